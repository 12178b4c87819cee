import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from sinergi.consultations.models import Consultation, Participant, Statement, Vote
from sinergi.consultations.results import load_inputs, recompute
from sinergi.consultations.states import Audience, ConsultationStatus, StatementStatus
from sinergi.consultations.tests.factories import (
    ConsultationFactory,
    StatementFactory,
    synthetic_votes,
    with_statements,
)
from sinergi.consultations.views.public import ANONYMOUS_COOKIE
from sinergi.opinion.engine import update

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_consultation(reference_data):  # type: ignore[no-untyped-def]
    consultation = ConsultationFactory()
    with_statements(consultation, 3)
    return consultation


def _detail(consultation: Consultation) -> str:
    return reverse("consultations:detail", args=[consultation.slug])


def test_list_shows_open_first_with_bounded_queries(reference_data, django_assert_max_num_queries) -> None:
    closed = ConsultationFactory(status=ConsultationStatus.CLOSED, title="Yang sudah ditutup")
    for n in range(15):
        with_statements(ConsultationFactory(title=f"Terbuka {n}"), 2)
    ConsultationFactory(status=ConsultationStatus.DRAFT, title="Draf rahasia")
    client = Client()
    with django_assert_max_num_queries(8):
        response = client.get(reverse("consultations:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Draf rahasia" not in body
    assert body.index("Terbuka") < body.index(closed.title)
    assert "2 pernyataan" in body


def test_anonymous_votes_through_the_statements(open_consultation) -> None:
    client = Client()
    response = client.get(_detail(open_consultation))
    body = response.content.decode()
    assert "0 dari 3 pernyataan" in body
    for label in ("Setuju", "Tidak setuju", "Lewati"):
        assert f">{label}</button>" in body
    assert "private" in response["Cache-Control"]
    shown = []
    for value in ("1", "-1", "0"):
        statement = client.get(_detail(open_consultation)).context["statement"]
        shown.append(statement.pk)
        response = client.post(
            reverse("consultations:vote", args=[open_consultation.slug]), {"statement": statement.pk, "value": value}
        )
        assert response.status_code == 302
        assert ANONYMOUS_COOKIE in client.cookies
    assert len(set(shown)) == 3
    body = client.get(_detail(open_consultation)).content.decode()
    assert "3 dari 3 pernyataan" in body
    assert "sudah menanggapi semua" in body
    assert Participant.objects.filter(consultation=open_consultation).count() == 1
    assert Vote.objects.count() == 3


def test_join_form_declares_sector_and_kelurahan(open_consultation, personas) -> None:
    from sinergi.actors.tests.factories import sector

    client = client_for(personas["citizen"])
    assert client.get(_detail(open_consultation)).context["needs_join"]
    response = client.post(
        reverse("consultations:join", args=[open_consultation.slug]), {"sector": sector("pemuda").pk}
    )
    assert response.status_code == 302
    participant = Participant.objects.get(user=personas["citizen"].user)
    assert participant.sector.code == "pemuda"
    bad = client.post(reverse("consultations:join", args=[open_consultation.slug]), {"kelurahan": "99.99"})
    assert bad.status_code == 400


def test_bad_votes_give_a_message_not_an_error(open_consultation) -> None:
    client = Client()
    other = StatementFactory()
    url = reverse("consultations:vote", args=[open_consultation.slug])
    for data in (
        {"statement": other.pk, "value": "1"},
        {"statement": "x", "value": "1"},
        {"statement": 1, "value": "7"},
    ):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200
        assert response.context["messages"]
    Consultation.objects.filter(pk=open_consultation.pk).update(status=ConsultationStatus.CLOSED)
    statement = open_consultation.statements.first()
    response = client.post(url, {"statement": statement.pk, "value": "1"}, follow=True)
    assert "tidak sedang dibuka" in response.content.decode()
    assert not Vote.objects.exists()


def test_statement_form_errors_are_shown(open_consultation) -> None:
    client = Client()
    url = reverse("consultations:statement", args=[open_consultation.slug])
    too_long = client.post(url, {"text": "x" * 281})
    assert too_long.status_code == 400
    duplicate = client.post(url, {"text": open_consultation.statements.first().text})
    assert duplicate.status_code == 400
    assert "sudah ada" in duplicate.content.decode()
    ok = client.post(url, {"text": "Perlu jalur sepeda ke taman."})
    assert ok.status_code == 302
    assert Statement.objects.get(text="Perlu jalur sepeda ke taman.").status == StatementStatus.PENDING
    assert "menunggu moderasi" in client.get(_detail(open_consultation)).content.decode()


def test_audience_pages(reference_data, personas) -> None:
    verified = ConsultationFactory(audience=Audience.VERIFIED)
    with_statements(verified, 1)
    anonymous = Client()
    body = anonymous.get(_detail(verified)).content.decode()
    assert "khusus warga terverifikasi" in body
    response = anonymous.post(reverse("consultations:vote", args=[verified.slug]), {"statement": 1, "value": "1"})
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]
    citizen = client_for(personas["citizen"])
    statement = verified.statements.first()
    response = citizen.post(
        reverse("consultations:vote", args=[verified.slug]), {"statement": statement.pk, "value": "1"}
    )
    assert response.status_code == 403


def test_draft_is_hidden_from_the_public(reference_data, personas) -> None:
    draft = ConsultationFactory(status=ConsultationStatus.DRAFT, organiser=personas["opd_officer"].organisation)
    assert Client().get(_detail(draft)).status_code == 404
    assert client_for(personas["opd_officer"]).get(_detail(draft)).status_code == 200


def test_results_page_renders_map_groups_and_common_ground_light(reference_data) -> None:
    from sinergi.regions.models import Region, RegionLevel

    consultation = ConsultationFactory()
    synthetic_votes(consultation, participants=1000, statements=30)
    # Kota Blitar has 21 kelurahan: every one present makes the participation table as long as it gets.
    kelurahan = [
        Region.objects.create(
            code=f"35.72.0{1 + n // 7}.100{n % 7 + 1}",
            name=f"Kelurahan Panjang Namanya {n}",
            level=RegionLevel.DESA_KELURAHAN,
            kind="kelurahan",
        )
        for n in range(21)
    ]
    for participant in Participant.objects.filter(consultation=consultation):
        participant.region = kelurahan[participant.row_index % 21]
        participant.save(update_fields=["region"])
    recompute(consultation)
    response = Client().get(reverse("consultations:results", args=[consultation.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="opinion-map"' in body and "<title" in body and "<desc" in body
    assert "Kelompok A" in body
    assert "Titik temu lintas sektor" in body
    assert 'class="ci' in body
    assert "Per kelurahan" in body and "Per sektor" in body
    assert "Kelurahan Panjang Namanya 20" in body
    assert "diperbarui" in body
    assert "Ditampilkan 600 dari" in body
    print(f"results page with 1,000 participants and 21 kelurahan: {len(response.content) / 1024:.1f} KB")
    assert len(response.content) <= 30 * 1024, f"{len(response.content) / 1024:.1f} KB"


def test_few_votes_look_uncertain(reference_data) -> None:
    consultation = ConsultationFactory()
    synthetic_votes(consultation, participants=20, statements=6)
    recompute(consultation)
    body = Client().get(reverse("consultations:results", args=[consultation.slug])).content.decode()
    assert "ci uncertain" in body
    assert "belum pasti" in _section(body, "titik-temu")
    group_aware = _section(body, "konsensus-kelompok")
    assert "ci uncertain" in group_aware and "belum pasti" in group_aware
    assert "semua kelompok setuju</span>" not in group_aware


def _section(body: str, heading_id: str) -> str:
    found = re.search(rf'<section aria-labelledby="{heading_id}">.*?</section>', body, re.DOTALL)
    assert found, f"the results page has no section #{heading_id}"
    return found.group(0)


def _agreed_by_everybody(consultation: Consultation, text: str) -> Statement:
    """A statement every participant agrees with (the synthetic conversation divides its groups on everything)."""
    statement = StatementFactory(consultation=consultation, text=text)
    participants = list(Participant.objects.filter(consultation=consultation))
    sequence = consultation.vote_sequence
    now = timezone.now()
    Vote.objects.bulk_create(
        Vote(
            consultation=consultation,
            participant=participant,
            statement=statement,
            value=1,
            voted_at=now,
            change_sequence=sequence + n + 1,
        )
        for n, participant in enumerate(participants)
    )
    Consultation.objects.filter(pk=consultation.pk).update(vote_sequence=sequence + len(participants))
    return statement


def test_results_page_draws_group_aware_consensus_in_engine_order(reference_data) -> None:
    consultation = ConsultationFactory()
    synthetic_votes(consultation, participants=240, statements=16)
    agreed = _agreed_by_everybody(consultation, "Taman kota perlu lebih banyak pohon peneduh.")
    recompute(consultation)
    inputs = load_inputs(consultation)
    engine = update(
        inputs.matrix,
        inputs.moderated_out,
        meta=inputs.meta,
        sector_of_participant=inputs.sector_of_participant,
        sector_names=inputs.sector_codes,
    )
    gac = engine.group_aware_consensus_agree
    ranked = sorted(inputs.accepted_columns, key=lambda column: (-gac[column], column))[:5]
    text_of = dict(Statement.objects.filter(consultation=consultation).values_list("column_index", "text"))
    expected = [text_of[column] for column in ranked]
    assert expected[0] == agreed.text and engine.group_count >= 2

    body = Client().get(reverse("consultations:results", args=[consultation.slug])).content.decode()
    section = _section(body, "konsensus-kelompok")
    assert re.findall(r'<li class="card"><p>(.*?)</p>', section) == expected
    cards = section.split('<li class="card">')[1:]
    labels = [f"Kelompok {chr(ord('A') + g)}" for g in range(engine.group_count)]
    for card in cards:  # one bar row per opinion group, drawn for the eye only
        assert card.count('<svg class="bars"') == 1 and 'aria-hidden="true"' in card
        assert all(f'<text x="0" y="{18 * g + 14}">{label} ' in card for g, label in enumerate(labels))
    assert "semua kelompok setuju</span>" in cards[0] and "belum pasti" not in cards[0]
    assert all("belum pasti</span>" in card for card in cards[1:])
    # The table says the same for screen readers: a column per group, a row per statement, in the same order.
    table = section[section.index('<table class="visually-hidden">') :]
    assert all(f'<th scope="col">{label}</th>' in table for label in labels)
    assert re.findall(r'<th scope="row">(.*?)</th>', table) == expected
    assert table.count("% setuju (") == len(expected) * engine.group_count


def test_results_before_any_vote(open_consultation) -> None:
    response = Client().get(reverse("consultations:results", args=[open_consultation.slug]))
    assert response.status_code == 200
    assert "Hasil belum tersedia" in response.content.decode()


def test_create_edit_open_close_pages(personas) -> None:
    officer = client_for(personas["opd_officer"])
    organisation = personas["opd_officer"].organisation
    form = officer.get(reverse("consultations:create"))
    assert f"org:{organisation.pk}" in form.content.decode()
    now = timezone.now()
    response = officer.post(
        reverse("consultations:create"),
        {
            "host": f"org:{organisation.pk}",
            "title": "Jalur sepeda",
            "question": "Di mana jalur sepeda paling dibutuhkan?",
            "opens_at": (now + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            "audience": "public",
            "accepts_statements": "on",
            "seed_statements": "Jalan Merdeka perlu jalur sepeda.\nJalan Kartini perlu jalur sepeda.",
        },
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get(title="Jalur sepeda")
    assert consultation.statements.count() == 2
    bad_host = officer.post(reverse("consultations:create"), {"host": "org:999999", "title": "x"})
    assert bad_host.status_code == 200 and "errorlist" in bad_host.content.decode()
    edit = officer.get(reverse("consultations:edit", args=[consultation.slug]))
    assert "Jalan Kartini perlu jalur sepeda." in edit.content.decode()
    officer.post(reverse("consultations:open", args=[consultation.slug]))
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OPEN
    officer.post(reverse("consultations:close", args=[consultation.slug]), {"reason": "Cukup."})
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED
    assert client_for(personas["swasta"]).get(reverse("consultations:create")).status_code == 403


def test_moderation_hides_a_rejected_statement(open_consultation, personas) -> None:
    Consultation.objects.filter(pk=open_consultation.pk).update(organiser=personas["opd_officer"].organisation)
    visitor = Client()
    visitor.post(reverse("consultations:statement", args=[open_consultation.slug]), {"text": "Usulan tidak sopan."})
    pending = Statement.objects.get(text="Usulan tidak sopan.")
    officer = client_for(personas["opd_officer"])
    queue = officer.get(reverse("consultations:moderation", args=[open_consultation.slug]))
    assert "Usulan tidak sopan." in queue.content.decode()
    url = reverse("consultations:moderate", args=[open_consultation.slug, pending.pk])
    officer.post(url, {"decision": "reject"})  # no reason: refused
    pending.refresh_from_db()
    assert pending.status == StatementStatus.PENDING
    officer.post(url, {"decision": "reject", "reason": "Tidak sopan."})
    pending.refresh_from_db()
    assert pending.status == StatementStatus.REJECTED
    assert (
        "Usulan tidak sopan."
        not in officer.get(reverse("consultations:moderation", args=[open_consultation.slug])).content.decode()
    )
    for _ in range(4):
        statement = visitor.get(_detail(open_consultation)).context["statement"]
        if statement is None:
            break
        assert statement.pk != pending.pk
        visitor.post(
            reverse("consultations:vote", args=[open_consultation.slug]), {"statement": statement.pk, "value": "1"}
        )
    assert (
        client_for(personas["pemuda"])
        .get(reverse("consultations:moderation", args=[open_consultation.slug]))
        .status_code
        == 403
    )


def test_list_shows_managers_their_drafts(personas, django_assert_max_num_queries) -> None:
    own = ConsultationFactory(
        status=ConsultationStatus.DRAFT, organiser=personas["opd_officer"].organisation, title="Draf dinas"
    )
    for n in range(10):
        ConsultationFactory(status=ConsultationStatus.DRAFT, title=f"Draf lain {n}")
    officer = client_for(personas["opd_officer"])
    with django_assert_max_num_queries(20):
        body = officer.get(reverse("consultations:list")).content.decode()
    assert own.title in body and "Draf lain" not in body
    assert own.title not in client_for(personas["pemuda"]).get(reverse("consultations:list")).content.decode()
