"""The framework's words for its keys, as inspection pages use them (see `frameworks.words`)."""

from areasend.frameworks.words import in_words, label_of

__all__ = ["in_words", "label_of"]
