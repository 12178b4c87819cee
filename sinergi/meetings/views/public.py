import datetime as dt
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import quote_etag
from django.views.decorators.http import condition

from sinergi.forums.models import Forum
from sinergi.meetings import ical
from sinergi.meetings.forms import InvitationResponseForm, MinutesReturnForm, MinutesReviewForm
from sinergi.meetings.selectors import (
    PAST,
    UPCOMING,
    calendar_content,
    calendar_version,
    city_calendar_meetings,
    forum_calendar_meetings,
    forum_for_calendar,
    meeting_attendance_by_sector,
    meeting_get,
    meeting_invitations,
    meeting_list_public,
    meeting_minutes,
    meeting_quorum,
    minutes_reviews,
    user_invitation,
)
from sinergi.meetings.services import minutes_approval_state
from sinergi.meetings.states import MeetingStatus, MinutesStatus

PAGE_SIZE = 25
FEED_CACHE_SECONDS = 24 * 3600
ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"


def meeting_list(request: HttpRequest) -> HttpResponse:
    when = request.GET.get("waktu", UPCOMING)
    if when not in (UPCOMING, PAST):
        when = UPCOMING
    forum_slug = request.GET.get("forum", "")[:120]
    meetings = meeting_list_public(when=when, forum_slug=forum_slug)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    forums = list(Forum.objects.order_by("name").only("slug", "name"))
    selected = next((forum for forum in forums if forum.slug == forum_slug), None)
    return render(
        request,
        "meetings/public/list.html",
        {"page": page, "when": when, "forum_slug": forum_slug, "forums": forums, "selected_forum": selected},
    )


def meeting_detail(request: HttpRequest, uid: str) -> HttpResponse:
    meeting = meeting_get(uid=uid)
    minutes = meeting_minutes(meeting=meeting)
    user = request.user
    context = {
        "meeting": meeting,
        "agenda": list(meeting.agenda_items.all()),
        "attendance": list(meeting.attendance.all()),
        "by_sector": meeting_attendance_by_sector(meeting=meeting),
        "quorum": meeting_quorum(meeting),
        "minutes": minutes,
        "invitations": meeting_invitations(meeting=meeting),
        "my_invitation": user_invitation(meeting=meeting, user=user),
        "statuses": MeetingStatus,
        "minutes_statuses": MinutesStatus,
        "response_form": InvitationResponseForm(),
    }
    if minutes is not None:
        context["reviews"] = minutes_reviews(minutes=minutes)
        context["approval"] = minutes_approval_state(minutes)
        context["review_form"] = MinutesReviewForm()
        context["return_form"] = MinutesReturnForm()
    return render(request, "meetings/public/detail.html", context)


def _feed_language(request: HttpRequest) -> str:
    """`?lang=en` wins: calendar apps fetch a subscribed address without the visitor's cookie, so
    the language has to live in the address. Without it, the language the visitor chose."""
    requested = request.GET.get("lang", "")
    if requested in dict(settings.LANGUAGES):
        return requested
    return translation.get_language() or settings.LANGUAGE_CODE


def _ical_response(request: HttpRequest, body: bytes, filename: str, language: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ICAL_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=300"
    response["Content-Language"] = language
    if "lang" not in request.GET:
        patch_vary_headers(response, ("Cookie",))
    return response


def _version_etag(prefix: str, count: int, latest: object) -> str:
    return quote_etag(hashlib.sha256(f"{prefix}|{count}|{latest}".encode()).hexdigest()[:32])


def _forum_etag(request: HttpRequest, slug: str) -> str:
    forum = forum_for_calendar(slug=slug)
    count, latest = calendar_version(forum_calendar_meetings(forum=forum))
    return _version_etag(f"forum:{forum.pk}:{forum.updated_at}:{_feed_language(request)}", count, latest)


def _forum_last_modified(request: HttpRequest, slug: str) -> dt.datetime | None:
    forum = forum_for_calendar(slug=slug)
    _count, latest = calendar_version(forum_calendar_meetings(forum=forum))
    return max(filter(None, [latest, forum.updated_at]), default=None)


def _cached_body(version: str, build: Callable[[], bytes]) -> bytes:
    """Feeds are rebuilt only when their version (the ETag) changes: building thousands of
    events takes far longer than the two queries that compute the version."""
    key = f"meetings:ical:{version}"
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, FEED_CACHE_SECONDS)
    return body


@condition(etag_func=_forum_etag, last_modified_func=_forum_last_modified)
def forum_ical(request: HttpRequest, slug: str) -> HttpResponse:
    """Every meeting of one forum as iCalendar."""
    forum = forum_for_calendar(slug=slug)
    language = _feed_language(request)
    with translation.override(language):
        body = _cached_body(
            _forum_etag(request, slug),
            lambda: ical.calendar_ical(
                calendar_content(forum_calendar_meetings(forum=forum)), name=ical.forum_calendar_name(forum.name)
            ),
        )
    return _ical_response(request, body, f"rapat-{forum.slug}.ics", language)


def _city_etag(request: HttpRequest) -> str:
    count, latest = calendar_version(city_calendar_meetings())
    # Forum names appear in every event's summary, so a renamed forum changes the feed too.
    forums_changed = Forum.objects.aggregate(latest=Max("updated_at"))["latest"]
    return _version_etag(f"city:{timezone.localdate()}:{forums_changed}:{_feed_language(request)}", count, latest)


def _city_last_modified(request: HttpRequest) -> dt.datetime | None:
    _count, latest = calendar_version(city_calendar_meetings())
    forums_changed = Forum.objects.aggregate(latest=Max("updated_at"))["latest"]
    return max(filter(None, [latest, forums_changed]), default=None)


@condition(etag_func=_city_etag, last_modified_func=_city_last_modified)
def city_ical(request: HttpRequest) -> HttpResponse:
    """Meetings of every forum, three months back to twelve months ahead."""
    language = _feed_language(request)
    with translation.override(language):
        body = _cached_body(
            _city_etag(request),
            lambda: ical.calendar_ical(calendar_content(city_calendar_meetings()), name=ical.city_calendar_name()),
        )
    return _ical_response(request, body, "rapat-kota.ics", language)


def _meeting_last_modified(request: HttpRequest, uid: str) -> dt.datetime:
    meeting = meeting_get(uid=uid)
    return max(meeting.updated_at, meeting.forum.updated_at)


@condition(last_modified_func=_meeting_last_modified)
def meeting_ics(request: HttpRequest, uid: str) -> HttpResponse:
    meeting = meeting_get(uid=uid)
    language = _feed_language(request)
    with translation.override(language):
        body = ical.meeting_ical(meeting)
    return _ical_response(request, body, f"rapat-{meeting.uid}.ics", language)
