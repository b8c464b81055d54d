"""pytest set-up for the whole checkout."""

# Browser fixtures (a demo server and Debian's Chromium), shared by every app's browser tests.
pytest_plugins = ["areasend.core.tests.browser.fixtures"]
