from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.models import LedgerEntry
from sinergi.ledger.selectors import ledger_entry_list


def timeline(request: HttpRequest) -> HttpResponse:
    event_type = request.GET.get("event", "")
    if event_type not in LedgerEvent.values:
        event_type = ""
    entries = ledger_entry_list(
        subject_type=request.GET.get("subject_type", "")[:40],
        subject_id=request.GET.get("subject_id", "")[:80],
        event_type=event_type,
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "ledger/public/timeline.html",
        {"page": page, "event_type": event_type, "events": LedgerEvent.choices},
    )


def entry_detail(request: HttpRequest, sequence: int) -> HttpResponse:
    if sequence > 2**62:
        raise Http404
    entry = get_object_or_404(LedgerEntry, sequence=sequence)
    return render(
        request,
        "ledger/public/entry.html",
        {"entry": entry, "canonical": entry.canonical_bytes().decode("utf-8")},
    )
