"""The page of one recorded thing (`inspections/record.html`), shared by the apps that record on an
inspection: what is recorded now, its withdrawal, the corrections the viewer may make (or why they
cannot), and its history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime

from areasend.core import components as c

from .models import Inspection
from .record_history import Entry, history_table


def withdrawal_of(record: Any) -> dict[str, str] | None:
    """Who withdrew a withdrawn record, when and why (None when it is in force)."""
    if getattr(record, "withdrawn_at", None) is None:
        return None
    user = record.withdrawn_by
    name = (user.get_full_name() or user.get_username()) if user is not None else "someone"
    return {
        "by": name,
        "at": date_format(localtime(record.withdrawn_at), "j F Y"),
        "reason": record.withdrawal_reason,
    }


def link(href: str, text: str) -> dict[str, str]:
    return {"href": href, "text": text}


def record_page(
    request: HttpRequest,
    *,
    inspection: Inspection,
    heading: str,
    summary: Iterable[tuple[str, Any]],
    history: Sequence[Entry],
    links: Iterable[dict[str, str]] = (),
    refusals: Iterable[str] = (),
    record: Any = None,
    caption: str = "",
    back: str = "",
    back_text: str = "",
) -> HttpResponse:
    context = {
        "inspection": inspection,
        "heading": heading,
        "caption": caption or str(inspection),
        "summary": {"rows": [c.summary_row(key, value) for key, value in summary]},
        "withdrawn": withdrawal_of(record),
        "links": list(links),
        "refusals": list(dict.fromkeys(r for r in refusals if r)),
        "history": history_table(history),
        "back": back or reverse("inspections:detail", args=[inspection.pk]),
        "back_text": back_text or "the inspection",
    }
    return render(request, "inspections/record.html", context)
