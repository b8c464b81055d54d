"""Static files: collected the same way under every settings module, served by WhiteNoise.

Production serves files under their hashed names from the manifest (`staticfiles.json`) that
`collectstatic` writes; if the manifest is missing or lacks a file, every page that links it fails.
So `collectstatic` always writes it, whichever settings run it (`make install` runs it with the base
settings), and a server started with production settings refuses to start without it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.contrib.staticfiles.storage import StaticFilesStorage as PlainStaticFilesStorage
from django.core.files.storage import storages
from whitenoise.storage import CompressedManifestStaticFilesStorage

MANIFEST_MISSING = (
    "The static files manifest {path} is missing, so every page would fail: run `areasend collectstatic` "
    "(`make install` does) with the same AREASEND_DATA_DIR before serving with these settings."
)


class CollectedStaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """Collects as production does (hashed and compressed copies, and the manifest) but links each file
    by its own name, so a development server works before `collectstatic` and after a front-end build."""

    def url(self, name: Any, force: bool = False) -> str:
        return PlainStaticFilesStorage.url(self, name)


def manifest_problems() -> list[str]:
    """What stops pages from linking their static files under the current settings (empty when nothing)."""
    storage = storages["staticfiles"]
    if settings.DEBUG or not isinstance(storage, ManifestFilesMixin):
        return []
    if isinstance(storage, CollectedStaticFilesStorage) or storage.exists(storage.manifest_name):
        return []
    return [MANIFEST_MISSING.format(path=storage.path(storage.manifest_name))]
