"""iCalendar (RFC 5545) output for meetings, built with the `icalendar` package.

A series is one VEVENT with its RRULE (times in Asia/Jakarta with a VTIMEZONE); cancelled
occurrences are EXDATEs and moved occurrences are VEVENTs with the series UID and a
RECURRENCE-ID. A rule that would run past the generated horizon is published with UNTIL set to
the last generated occurrence, so expanding the feed gives exactly the stored meetings.
Single meetings are plain VEVENTs with their own UID.

Words the feed adds around the user's own text (calendar name, categories, the cancellation
note) are in the active language; the views choose it (`?lang=` or the visitor's choice).
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from icalendar import Calendar, Event, vRecur

from sinergi.meetings.models import Meeting, MeetingSeries
from sinergi.meetings.selectors import CalendarContent
from sinergi.meetings.states import MeetingStatus

LOCAL_TZ = ZoneInfo(settings.TIME_ZONE)


def _site() -> str:
    return settings.SINERGI["SITE_URL"].rstrip("/")


def _uid(kind: str, uid: object) -> str:
    host = urlsplit(_site()).hostname or "sinergi-sakti"
    return f"{kind}-{uid}@{host}"


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(LOCAL_TZ)


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Sinergi Sakti//Rapat Forum//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _base_url() -> str:
    """Absolute URL of the meetings pages; computed once per feed, since reverse() per event
    dominated the time of large feeds."""
    return _site() + reverse("meetings:list")


@dataclass(frozen=True)
class FeedWords:
    """Translated once per feed: a feed holds thousands of events."""

    category: str
    cancelled: str

    @classmethod
    def current(cls) -> "FeedWords":
        return cls(category=gettext("Rapat forum"), cancelled=str(MeetingStatus.CANCELLED.label))


def forum_calendar_name(forum_name: str) -> str:
    return gettext("Rapat %(forum)s") % {"forum": forum_name}


def city_calendar_name() -> str:
    return gettext("Rapat forum kolaborasi")


def _status(meeting: Meeting) -> str:
    return "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED"


def _meeting_event(meeting: Meeting, *, uid: str, base: str, words: FeedWords) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", meeting.updated_at.astimezone(dt.UTC))
    event.add("last-modified", meeting.updated_at.astimezone(dt.UTC))
    event.add("dtstart", _local(meeting.starts_at))
    event.add("dtend", _local(meeting.ends_at))
    event.add("sequence", meeting.sequence)
    event.add("status", _status(meeting))
    event.add("summary", f"{meeting.title} — {meeting.forum.name}")
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", f"{base}{meeting.uid}/")
    event.add("categories", [words.category])
    description = meeting.forum.name
    if meeting.status == MeetingStatus.CANCELLED:
        reason = meeting.cancellation_reason
        description += f"\n{words.cancelled}: {reason}" if reason else f"\n{words.cancelled}"
    event.add("description", description)
    return event


def series_rrule(series: MeetingSeries) -> vRecur:
    """The rule as published: UNTIL is the last generated occurrence when the stored rule goes on."""
    rule = vRecur.from_ical(series.rrule)
    if series.generated_until is not None:
        rule.pop("COUNT", None)
        rule["UNTIL"] = [series.generated_until.astimezone(dt.UTC)]
    return rule


def _is_changed(meeting: Meeting, series: MeetingSeries) -> bool:
    assert meeting.recurrence_id is not None
    return (
        meeting.starts_at != meeting.recurrence_id
        or meeting.ends_at - meeting.starts_at != dt.timedelta(minutes=series.duration_minutes)
        or meeting.location != series.location
        or meeting.title != series.title
    )


def _series_events(series: MeetingSeries, occurrences: list[Meeting], *, base: str, words: FeedWords) -> list[Event]:
    uid = _uid("rapat-berulang", series.uid)
    latest = max([series.updated_at, *(m.updated_at for m in occurrences)])
    master = Event()
    master.add("uid", uid)
    master.add("dtstamp", latest.astimezone(dt.UTC))
    master.add("last-modified", latest.astimezone(dt.UTC))
    master.add("dtstart", _local(series.starts_at))
    master.add("dtend", _local(series.starts_at) + dt.timedelta(minutes=series.duration_minutes))
    master.add("rrule", series_rrule(series))
    master.add("sequence", series.sequence)
    master.add("status", "CONFIRMED")
    master.add("summary", f"{series.title} — {series.forum.name}")
    if series.location:
        master.add("location", series.location)
    master.add("url", f"{base}?forum={series.forum.slug}")
    master.add("categories", [words.category])
    master.add("description", series.forum.name)
    cancelled = [m for m in occurrences if m.status == MeetingStatus.CANCELLED]
    for meeting in cancelled:
        assert meeting.recurrence_id is not None
        master.add("exdate", _local(meeting.recurrence_id))
    events = [master]
    for meeting in occurrences:
        if meeting.status == MeetingStatus.CANCELLED or not _is_changed(meeting, series):
            continue
        assert meeting.recurrence_id is not None
        override = _meeting_event(meeting, uid=uid, base=base, words=words)
        override.add("recurrence-id", _local(meeting.recurrence_id))
        events.append(override)
    return events


def calendar_ical(content: CalendarContent, *, name: str) -> bytes:
    calendar = _calendar(name)
    base = _base_url()
    words = FeedWords.current()
    for series in content.series:
        for event in _series_events(series, content.occurrences[series.pk], base=base, words=words):
            calendar.add_component(event)
    for meeting in content.singles:
        calendar.add_component(_meeting_event(meeting, uid=_uid("rapat", meeting.uid), base=base, words=words))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meeting_ical(meeting: Meeting) -> bytes:
    """One meeting on its own (its own UID even when it belongs to a series)."""
    calendar = _calendar(meeting.title)
    event = _meeting_event(meeting, uid=_uid("rapat", meeting.uid), base=_base_url(), words=FeedWords.current())
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
