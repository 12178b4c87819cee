"""A forum's meeting RRULE is shown in words, in the reader's language; rules it cannot word stay as written."""

import pytest
from django.utils import translation

from sinergi.core.templatetags.indonesian import jadwal
from sinergi.forums.cadence import describe_rrule


@pytest.mark.parametrize(
    ("rule", "indonesian", "english"),
    [
        ("FREQ=MONTHLY;BYDAY=2TU", "Setiap bulan pada Selasa kedua", "Every month on the second Tuesday"),
        ("FREQ=WEEKLY;BYDAY=MO,WE", "Setiap minggu pada hari Senin dan Rabu", "Every week on Monday and Wednesday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", "Setiap 2 minggu pada hari Jumat", "Every 2 weeks on Friday"),
        (
            "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6",
            "Setiap bulan pada Jumat terakhir (6 kali)",
            "Every month on the last Friday (6 times)",
        ),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "Setiap bulan pada tanggal 15", "Every month on day 15"),
        ("FREQ=DAILY", "Setiap hari", "Every day"),
    ],
)
def test_common_rules_in_both_languages(rule, indonesian, english):
    with translation.override("id"):
        assert describe_rrule(rule) == indonesian
    with translation.override("en"):
        assert describe_rrule(rule) == english


def test_until_uses_the_page_date_format():
    with translation.override("id"):
        assert jadwal("FREQ=MONTHLY;BYDAY=1WE;UNTIL=20271231T000000Z") == (
            "Setiap bulan pada Rabu pertama sampai 31 Desember 2027"
        )


@pytest.mark.parametrize(
    "rule", ["", "FREQ=HOURLY", "FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO", "FREQ=MONTHLY;BYDAY=9TU", "FREQ=WEEKLY;BYDAY=XX"]
)
def test_what_it_cannot_word_is_left_to_the_rule_itself(rule):
    assert describe_rrule(rule) == ""


def test_forum_page_shows_the_cadence_in_words(client, reference_data):
    from django.urls import reverse

    from sinergi.forums.states import ForumStatus
    from sinergi.forums.tests.factories import forum_with_seats

    forum = forum_with_seats(status=ForumStatus.ACTIVE, meeting_rrule="FREQ=MONTHLY;BYDAY=2TU")
    page = client.get(reverse("forums:detail", args=[forum.slug])).content.decode()
    assert "Setiap bulan pada Selasa kedua" in page
