"""Django-side timings for the data pack benchmark: one area's page, PDF and XLSX.

Uses the test settings and a throw-away test database holding the real register of areas, and the
Django test client signed in as a national inspector, so the whole request path is measured
(permission check, scoped area lookup, pack, template, WeasyPrint or openpyxl).
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any


def _timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def page_and_pdf_times(ons_code: str, repeat: int) -> dict[str, float]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "areasend.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.urls import reverse

    from areasend.accounts.services import user_create
    from areasend.areas.services import areas_import

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        areas_import()
        user = user_create(username="bench-inspector", role="inspector")
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        urls = {
            name: reverse(f"datapack:{name}", kwargs={"ons_code": ons_code})
            for name in ("page", "pdf", "xlsx")
        }

        def get(name: str) -> Any:
            response = client.get(urls[name])
            assert response.status_code == 200, (name, response.status_code)
            return response

        cold_page, _ = _timed(lambda: get("page"))  # includes loading the statistics once per process
        cold_pdf, _ = _timed(lambda: get("pdf"))  # includes WeasyPrint's first font load
        pages = [_timed(lambda: get("page"))[0] for _ in range(repeat)]
        pdfs = [_timed(lambda: get("pdf"))[0] for _ in range(repeat)]
        xlsxs = [_timed(lambda: get("xlsx"))[0] for _ in range(repeat)]
        return {
            "page_cold": cold_page,
            "page": statistics.median(pages),
            "pdf_cold": cold_pdf,
            "pdf": statistics.median(pdfs),
            "xlsx": statistics.median(xlsxs),
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
