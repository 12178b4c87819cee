import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from sinergi.meetings import services
from sinergi.meetings.models import Meeting
from sinergi.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def _future(days: int, hour: int = 9) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=WIB)


def _events(body: bytes) -> list:  # type: ignore[type-arg]
    calendar = Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


def _expand(events: list) -> list[dt.datetime]:  # type: ignore[type-arg]
    """What a calendar client shows: each master's RRULE expanded with dateutil, minus EXDATEs,
    with overridden instances moved to their new start."""
    starts: list[dt.datetime] = []
    overrides = {}
    for event in events:
        if event.get("recurrence-id") is not None:
            overrides[(str(event["uid"]), event["recurrence-id"].dt)] = event
    for event in events:
        if event.get("recurrence-id") is not None:
            continue
        dtstart = event["dtstart"].dt
        if event.get("rrule") is None:
            if str(event.get("status")) != "CANCELLED":
                starts.append(dtstart)
            continue
        rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=dtstart)
        exdates = set()
        raw = event.get("exdate")
        for group in raw if isinstance(raw, list) else ([raw] if raw is not None else []):
            exdates.update(item.dt for item in group.dts)
        for moment in rule:
            if moment in exdates:
                continue
            override = overrides.get((str(event["uid"]), moment))
            starts.append(override["dtstart"].dt if override is not None else moment)
    return sorted(starts)


def test_forum_feed_round_trips_the_recurrence(setup) -> None:  # type: ignore[no-untyped-def]
    series = services.meeting_series_create(
        forum=setup.forum,
        title="Rapat bulanan",
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        starts_at=_future(2),
        duration_minutes=120,
        location="Aula Bappeda",
        actor=None,
    )
    occurrences = list(series.meetings.order_by("starts_at"))
    services.meeting_cancel(meeting=occurrences[2], reason="Libur nasional", actor=None)
    moved = occurrences[4]
    services.meeting_reschedule(
        meeting=moved,
        starts_at=moved.starts_at + dt.timedelta(days=1),
        ends_at=moved.ends_at + dt.timedelta(days=1),
        actor=None,
    )
    single = MeetingFactory(forum=setup.forum, title="Rapat khusus")

    response = Client().get(f"/rapat/forum/{setup.forum.slug}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Jakarta"]
    events = _events(response.content)
    master = next(e for e in events if e.get("rrule") is not None)
    assert master["dtstart"].params["TZID"] == "Asia/Jakarta"
    assert master["dtstart"].dt.hour == 9
    assert str(master["location"]) == "Aula Bappeda"
    assert int(master["sequence"]) == 1  # an occurrence was cancelled (EXDATE)
    assert "UNTIL" in master["rrule"]  # the open rule is published up to the generated horizon
    override = next(e for e in events if e.get("recurrence-id") is not None)
    assert override["recurrence-id"].dt == moved.recurrence_id
    assert int(override["sequence"]) == 1
    assert str(override["uid"]) == str(master["uid"])
    assert str(override["url"]).endswith(f"/rapat/{moved.uid}/")

    stored = sorted(
        Meeting.objects.filter(forum=setup.forum).exclude(status="cancelled").values_list("starts_at", flat=True)
    )
    assert _expand(events) == stored
    single_event = next(e for e in events if str(e["uid"]).startswith(f"rapat-{single.uid}"))
    for prop in ("uid", "dtstamp", "sequence", "status", "location", "url", "dtstart", "dtend", "summary"):
        assert single_event.get(prop) is not None, prop


def test_series_with_count_round_trips_without_until(setup) -> None:  # type: ignore[no-untyped-def]
    series = services.meeting_series_create(
        forum=setup.forum,
        title="Pekan",
        rrule="FREQ=WEEKLY;COUNT=5",
        starts_at=_future(2),
        duration_minutes=60,
        actor=None,
    )
    events = _events(Client().get(f"/rapat/forum/{setup.forum.slug}.ics").content)
    master = events[0]
    assert master["rrule"]["COUNT"] == [5]
    assert _expand(events) == list(series.meetings.order_by("starts_at").values_list("starts_at", flat=True))


def test_cancelled_single_meeting_is_published_as_cancelled(setup) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum)
    services.meeting_cancel(meeting=meeting, reason="Ditunda", actor=None)
    event = _events(Client().get(f"/rapat/{meeting.uid}.ics").content)[0]
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 1
    assert "Ditunda" in str(event["description"])


def test_city_feed_is_limited_to_a_window(setup) -> None:  # type: ignore[no-untyped-def]
    soon = MeetingFactory(forum=setup.forum, title="Segera")
    far = MeetingFactory(
        forum=setup.forum,
        title="Jauh",
        starts_at=timezone.now() + dt.timedelta(days=500),
        ends_at=timezone.now() + dt.timedelta(days=500, hours=2),
    )
    old = MeetingFactory(
        forum=setup.forum,
        title="Lama",
        starts_at=timezone.now() - dt.timedelta(days=200),
        ends_at=timezone.now() - dt.timedelta(days=200) + dt.timedelta(hours=2),
    )
    body = Client().get("/rapat/kalender.ics").content
    uids = {str(e["uid"]) for e in _events(body)}
    assert any(str(soon.uid) in uid for uid in uids)
    assert not any(str(far.uid) in uid or str(old.uid) in uid for uid in uids)


def test_feeds_answer_conditional_requests(setup) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum)
    client = Client()
    for url in (f"/rapat/forum/{setup.forum.slug}.ics", "/rapat/kalender.ics"):
        first = client.get(url)
        assert first.status_code == 200
        assert first["ETag"] and first["Last-Modified"]
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    etag = client.get("/rapat/kalender.ics")["ETag"]
    services.meeting_reschedule(
        meeting=meeting, starts_at=meeting.starts_at + dt.timedelta(hours=1), ends_at=meeting.ends_at, actor=None
    )
    assert client.get("/rapat/kalender.ics", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_unknown_forum_feed_is_404(reference_data) -> None:  # type: ignore[no-untyped-def]
    assert Client().get("/rapat/forum/tidak-ada.ics").status_code == 404


def test_city_feed_changes_when_a_forum_is_renamed_and_meeting_ics_is_conditional(setup) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum)
    client = Client()
    etag = client.get("/rapat/kalender.ics")["ETag"]
    single = client.get(f"/rapat/{meeting.uid}.ics")
    assert client.get(f"/rapat/{meeting.uid}.ics", HTTP_IF_MODIFIED_SINCE=single["Last-Modified"]).status_code == 304
    setup.forum.name = "Forum Baru"
    setup.forum.updated_at = timezone.now() + dt.timedelta(seconds=2)
    type(setup.forum).objects.filter(pk=setup.forum.pk).update(name="Forum Baru", updated_at=setup.forum.updated_at)
    renamed = client.get("/rapat/kalender.ics", HTTP_IF_NONE_MATCH=etag)
    assert renamed.status_code == 200
    assert "Forum Baru" in renamed.content.decode()


def test_feed_is_built_once_per_version(setup, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sinergi.meetings import ical

    meeting = MeetingFactory(forum=setup.forum)
    builds: list[str] = []
    real = ical.calendar_ical

    def counting(content, *, name):  # type: ignore[no-untyped-def]
        builds.append(name)
        return real(content, name=name)

    monkeypatch.setattr(ical, "calendar_ical", counting)
    client = Client()
    url = f"/rapat/forum/{setup.forum.slug}.ics"
    first = client.get(url).content
    assert client.get(url).content == first
    assert len(builds) == 1
    services.meeting_cancel(meeting=meeting, reason="Ditunda", actor=None)
    assert b"STATUS:CANCELLED" in client.get(url).content
    assert len(builds) == 2


# English feeds: the words the feed adds follow `?lang=` (calendar apps send no cookie) or the
# visitor's language choice; the meetings themselves are the same.


def _single_cancelled(setup):  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum)
    services.meeting_cancel(meeting=meeting, reason="Ditunda", actor=None)
    return meeting


def test_meeting_ics_speaks_english_when_asked(setup) -> None:  # type: ignore[no-untyped-def]
    meeting = _single_cancelled(setup)
    english = Client().get(f"/rapat/{meeting.uid}.ics?lang=en")
    assert english["Content-Language"] == "en"
    event = _events(english.content)[0]
    assert str(event["description"]).splitlines() == [setup.forum.name, "Cancelled: Ditunda"]
    assert [str(c) for c in event["categories"].cats] == ["Forum meetings"]
    assert str(event["summary"]) == f"{meeting.title} — {setup.forum.name}"  # the organisers' own words

    indonesian = Client().get(f"/rapat/{meeting.uid}.ics")
    assert indonesian["Content-Language"] == "id"
    event = _events(indonesian.content)[0]
    assert str(event["description"]).splitlines() == [setup.forum.name, "Dibatalkan: Ditunda"]
    assert [str(c) for c in event["categories"].cats] == ["Rapat forum"]


def test_feeds_follow_the_visitors_language_choice(setup) -> None:  # type: ignore[no-untyped-def]
    _single_cancelled(setup)
    client = Client()
    client.cookies["django_language"] = "en"
    for url in (f"/rapat/forum/{setup.forum.slug}.ics", "/rapat/kalender.ics"):
        response = client.get(url)
        assert response["Content-Language"] == "en"
        assert "Cookie" in response["Vary"]  # the same address answers differently per visitor
        assert "Cancelled: Ditunda" in str(_events(response.content)[0]["description"])
    # An explicit ?lang= wins over the cookie, and then the answer no longer depends on it.
    response = client.get("/rapat/kalender.ics?lang=id")
    assert "Dibatalkan: Ditunda" in str(_events(response.content)[0]["description"])
    assert "Cookie" not in response.get("Vary", "")
    # Unknown languages fall back to the visitor's choice instead of failing.
    assert client.get("/rapat/kalender.ics?lang=xx")["Content-Language"] == "en"


def test_feed_cache_and_etag_are_per_language(setup) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    from sinergi.meetings import ical

    _single_cancelled(setup)
    client = Client()
    url = f"/rapat/forum/{setup.forum.slug}.ics"
    indonesian = client.get(url)
    english = client.get(url + "?lang=en")
    assert indonesian["ETag"] != english["ETag"]
    assert indonesian.content != english.content
    assert client.get(url + "?lang=en", HTTP_IF_NONE_MATCH=indonesian["ETag"]).status_code == 200
    assert client.get(url + "?lang=en", HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 304
    calendar = Calendar.from_ical(english.content)
    with translation.override("en"):
        assert str(calendar["x-wr-calname"]) == ical.forum_calendar_name(setup.forum.name)
    assert str(Calendar.from_ical(indonesian.content)["x-wr-calname"]) == f"Rapat {setup.forum.name}"
    assert str(Calendar.from_ical(client.get("/rapat/kalender.ics").content)["x-wr-calname"]) == (
        "Rapat forum kolaborasi"
    )


def test_english_feed_round_trips_the_same_meetings(setup) -> None:  # type: ignore[no-untyped-def]
    series = services.meeting_series_create(
        forum=setup.forum,
        title="Rapat bulanan",
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        starts_at=_future(2),
        duration_minutes=120,
        actor=None,
    )
    occurrences = list(series.meetings.order_by("starts_at"))
    services.meeting_cancel(meeting=occurrences[1], reason="Libur nasional", actor=None)
    moved = occurrences[3]
    services.meeting_reschedule(
        meeting=moved,
        starts_at=moved.starts_at + dt.timedelta(hours=1),
        ends_at=moved.ends_at + dt.timedelta(hours=1),
        actor=None,
    )
    url = f"/rapat/forum/{setup.forum.slug}.ics"
    english = _events(Client().get(url + "?lang=en").content)
    indonesian = _events(Client().get(url).content)
    stored = sorted(
        Meeting.objects.filter(forum=setup.forum).exclude(status="cancelled").values_list("starts_at", flat=True)
    )
    assert _expand(english) == _expand(indonesian) == stored
    assert [str(e["uid"]) for e in english] == [str(e["uid"]) for e in indonesian]
    assert all([str(c) for c in e["categories"].cats] == ["Forum meetings"] for e in english)


def test_english_pages_link_to_english_feeds(setup) -> None:  # type: ignore[no-untyped-def]
    meeting = MeetingFactory(forum=setup.forum)
    client = Client()
    assert f'href="/rapat/{meeting.uid}.ics"' in client.get(f"/rapat/{meeting.uid}/").content.decode()
    client.cookies["django_language"] = "en"
    detail = client.get(f"/rapat/{meeting.uid}/").content.decode()
    assert f'href="/rapat/{meeting.uid}.ics?lang=en"' in detail
    assert 'href="/rapat/kalender.ics?lang=en"' in detail
    listing = client.get(f"/rapat/?forum={setup.forum.slug}").content.decode()
    assert f'href="/rapat/forum/{setup.forum.slug}.ics?lang=en"' in listing
