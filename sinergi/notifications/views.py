"""The two notification pages: a person's own notices, and the administrators' outbox overview."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sinergi.notifications.gateway import gateway_configured
from sinergi.notifications.selectors import notification_overview, notifications_for_user

PER_PAGE = 25
MAX_PAGE = 400


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return min(int(raw), MAX_PAGE) if raw.isdigit() and 0 < len(raw) <= 4 and int(raw) > 0 else 1


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("notifications.view_own_notifications"):
        raise PermissionDenied(_("Anda tidak dapat melihat notifikasi ini."))
    paginator = Paginator(notifications_for_user(request.user), PER_PAGE)
    page = paginator.get_page(_page_number(request))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("notifications.view_outbox"):
        raise PermissionDenied(_("Hanya administrator yang dapat melihat antrean notifikasi."))
    context = notification_overview()
    context["gateway_configured"] = gateway_configured()
    return render(request, "notifications/outbox.html", context)
