"""Polis import/export: a real conversation end to end, every malformed-file branch, nothing half-imported,
duplicates (the latest counts), and the round trip import → export → import."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sinergi.actors.tests.factories import OrganisationFactory, kind
from sinergi.consultations import polis_io
from sinergi.consultations.models import Consultation, Participant, Statement, Vote
from sinergi.consultations.polis_io import PolisFormatError, read_polis_export
from sinergi.consultations.states import StatementStatus
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.models import LedgerEntry
from sinergi.opinion.engine.polis_export import load_polis_export

DATA = Path(__file__).resolve().parents[1] / "data"
UBI = DATA / "scoop-hivemind.ubi"
SHARED_POLIS = Path(__file__).resolve().parents[4] / "shared" / "data" / "polis"

COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1000,x,0,0,1,0,1,Trotoar alun-alun diperlebar\n"
    "1001,x,1,1,0,1,-1,Iklan spam\n"
    "1002,x,2,0,1,0,0,PKL ditata di satu lorong\n"
)
V = "timestamp,comment-id,voter-id,vote\n"
PV = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,"
VOTES = "timestamp,datetime,comment-id,voter-id,vote\n2000,x,0,0,1\n2001,x,0,1,-1\n2002,x,2,1,0\n"


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def import_command(*paths: Path, **options: Any) -> None:
    call_command("import_polis", *[str(path) for path in paths], **options)


def matrix_of(consultation: Consultation, *, by: str = "index") -> dict[tuple[Any, Any], int]:
    rows = Vote.objects.filter(consultation=consultation).values_list(
        "participant__row_index",
        "statement__column_index",
        "participant__external_id",
        "statement__external_id",
        "value",
    )
    if by == "index":
        return {(row, column): value for row, column, _, _, value in rows}
    return {(int(pid), int(tid)): value for _, _, pid, tid, value in rows}


@pytest.fixture
def organiser(reference_data: None) -> Any:
    return OrganisationFactory(slug="bappeda-uji", name="Bappeda (uji)", kind=kind("opd"))


@pytest.fixture
def empty_consultation(organiser: Any) -> Consultation:
    now = timezone.now()
    return Consultation.objects.create(
        slug="kosong",
        title="Konsultasi kosong",
        question="Bagaimana?",
        organiser=organiser,
        opens_at=now,
        closes_at=now + dt.timedelta(days=7),
    )


def nothing_imported() -> bool:
    return (
        not Statement.objects.exists()
        and not Participant.objects.exists()
        and not Vote.objects.exists()
        and not LedgerEntry.objects.filter(event_type=LedgerEvent.CONSULTATION_IMPORTED).exists()
    )


# --------------------------------------------------------------------------- a real conversation


@pytest.mark.django_db
def test_import_real_conversation_counts_matrix_and_log(organiser: Any, capsys: pytest.CaptureFixture[str]) -> None:
    import_command(UBI, create=True, organiser=organiser.slug, title="UBI untuk Aotearoa (impor Polis)")

    consultation = Consultation.objects.get()
    with (UBI / "comments.csv").open(encoding="utf-8", newline="") as handle:
        comments = list(csv.DictReader(handle))
    with (UBI / "participants-votes.csv").open(encoding="utf-8", newline="") as handle:
        matrix_rows = list(csv.reader(handle))
    final_cells = sum(1 for row in matrix_rows[1:] for cell in row[6:] if cell != "")

    assert consultation.statements.count() == len(comments) == 71
    assert consultation.participants.count() == len(matrix_rows) - 1 == 234
    assert Vote.objects.filter(consultation=consultation).count() == final_cells
    assert consultation.vote_sequence == final_cells
    sequences = sorted(Vote.objects.filter(consultation=consultation).values_list("change_sequence", flat=True))
    assert sequences == list(range(1, final_cells + 1))
    rejected = sum(1 for comment in comments if comment["moderated"] == "-1")
    assert consultation.statements.filter(status=StatementStatus.REJECTED).count() == rejected
    unmoderated = [comment["comment-id"] for comment in comments if comment["moderated"] == "0"]
    assert set(consultation.statements.filter(external_id__in=unmoderated).values_list("status", flat=True)) == {
        StatementStatus.ACCEPTED
    }
    # columns follow comment-id order; rows follow pid order; no participant is a user
    statements = list(consultation.statements.order_by("column_index"))
    assert [int(s.external_id) for s in statements] == sorted(int(c["comment-id"]) for c in comments)
    participants = list(consultation.participants.order_by("row_index"))
    assert [int(p.external_id) for p in participants] == sorted(int(p.external_id) for p in participants)
    assert not consultation.participants.filter(user__isnull=False).exists()
    # the latest vote per pair from votes.csv equals Polis's own final matrix (read by the engine's reader)
    reference = load_polis_export(UBI)
    expected = {
        (int(pid), int(tid)): int(vote)
        for pid, tid, vote in zip(reference.participant_index, reference.statement_index, reference.vote, strict=True)
    }
    assert matrix_of(consultation, by="external") == expected

    assert consultation.status == "closed" and consultation.imported_from.startswith("Polis: scoop-hivemind.ubi")
    assert consultation.question == "A Universal Basic Income for Aotearoa NZ?"
    entry = LedgerEntry.objects.get(event_type=LedgerEvent.CONSULTATION_IMPORTED)
    assert entry.subject_id == str(consultation.uid)
    assert entry.payload["votes"] == final_cells and entry.payload["participants"] == 234
    for name, digest in entry.payload["files_sha256"].items():
        assert digest == hashlib.sha256((UBI / name).read_bytes()).hexdigest()
    assert set(entry.payload["files_sha256"]) == {"comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"}
    assert "234 peserta" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.skipif(not (SHARED_POLIS / "scoop-hivemind.biodiversity").exists(), reason="shared/ data not beside")
def test_import_biodiversity_from_the_shared_data(organiser: Any) -> None:
    folder = SHARED_POLIS / "scoop-hivemind.biodiversity"
    import_command(folder, create=True, organiser=organiser.slug, title="Biodiversity")
    consultation = Consultation.objects.get()
    reference = load_polis_export(folder)
    assert consultation.participants.count() == reference.n_participants - _missing_pids(reference)
    assert Vote.objects.filter(consultation=consultation).count() == reference.matrix().n_votes
    assert consultation.statements.filter(status=StatementStatus.REJECTED).count() == int(reference.moderated_out.sum())


def _missing_pids(reference: Any) -> int:
    present = set(reference.participant_index.tolist()) | {
        pid for pid, group in enumerate(reference.exported_group.tolist()) if group >= 0
    }
    return reference.n_participants - len(present)


@pytest.mark.django_db
def test_matrix_only_export_is_enough(organiser: Any, tmp_path: Path) -> None:
    folder = tmp_path / "ubi"
    folder.mkdir()
    for name in ("comments.csv", "participants-votes.csv"):
        shutil.copy(UBI / name, folder / name)
    import_command(folder, create=True, organiser=organiser.slug, title="Tanpa votes.csv")
    consultation = Consultation.objects.get()
    reference = load_polis_export(UBI)
    assert len(matrix_of(consultation)) == reference.matrix().n_votes
    assert LedgerEntry.objects.get(event_type=LedgerEvent.CONSULTATION_IMPORTED).payload["votes_from"] == (
        "participants-votes.csv"
    )


# --------------------------------------------------------------------------- duplicates and mapping


@pytest.mark.django_db
def test_duplicate_votes_latest_by_timestamp_counts(empty_consultation: Consultation, tmp_path: Path) -> None:
    votes = (
        "timestamp,datetime,comment-id,voter-id,vote\n"
        "3000,x,0,7,-1\n"  # latest in time, first in file
        "1000,x,0,7,1\n"
        "2000,x,0,7,0\n"
        "2500,x,2,7,1\n"
        "2500,x,2,7,-1\n"  # same time: the later row wins
    )
    folder = write(tmp_path / "dup", {"comments.csv": COMMENTS, "votes.csv": votes})
    import_command(folder, consultation="kosong")
    rows = list(
        Vote.objects.filter(consultation=empty_consultation)
        .order_by("change_sequence")
        .values_list("statement__external_id", "value", "change_sequence")
    )
    assert rows == [("2", -1, 1), ("0", -1, 2)]
    statuses = dict(empty_consultation.statements.values_list("external_id", "status"))
    assert statuses == {"0": "accepted", "1": "rejected", "2": "accepted"}
    assert LedgerEntry.objects.get(event_type=LedgerEvent.CONSULTATION_IMPORTED).payload["vote_rows"] == 5


@pytest.mark.django_db
def test_byte_order_mark_and_long_comment(empty_consultation: Consultation, tmp_path: Path) -> None:
    long_text = "kata " * 80
    comments = COMMENTS + f'1003,x,3,0,0,0,1,"{long_text}"\n'
    folder = write(tmp_path / "bom", {"comments.csv": b"\xef\xbb\xbf" + comments.encode(), "votes.csv": VOTES})
    import_command(folder, consultation="kosong")
    long_statement = empty_consultation.statements.get(external_id="3")
    assert len(long_statement.text) <= 280 and long_statement.text.endswith("…")
    assert empty_consultation.statements.count() == 4
    entry = LedgerEntry.objects.get(event_type=LedgerEvent.CONSULTATION_IMPORTED)
    assert entry.payload["truncated_statements"] == 1


# --------------------------------------------------------------------------- malformed files


MALFORMED = [
    ("missing column", {"comments.csv": "comment-id,comment-body\n0,a\n"}, "comments.csv, baris 1", "moderated"),
    (
        "unknown column",
        {"votes.csv": "timestamp,comment-id,voter-id,vote,extra\n1,0,0,1,x\n"},
        "votes.csv, baris 1",
        "extra",
    ),
    (
        "not an integer",
        {"votes.csv": V + "1,0,abc,1\n"},
        "votes.csv, baris 2",
        "voter-id",
    ),
    (
        "vote value",
        {"votes.csv": V + "1,0,0,1\n2,0,1,2\n"},
        "votes.csv, baris 3",
        "-1, 0, 1",
    ),
    (
        "unknown comment",
        {"votes.csv": V + "1,9,0,1\n"},
        "votes.csv, baris 2",
        "comment-id 9",
    ),
    ("short row", {"votes.csv": V + "1,0,0\n"}, "votes.csv, baris 2", "3 kolom"),
    ("duplicate comment", {"comments.csv": COMMENTS + "5,x,0,0,0,0,1,lagi\n"}, "comments.csv, baris 5", "dua kali"),
    (
        "moderated value",
        {"comments.csv": COMMENTS.replace(",-1,Iklan", ",7,Iklan")},
        "comments.csv, baris 3",
        "moderated",
    ),
    ("empty body", {"comments.csv": COMMENTS + "5,x,3,0,0,0,1,   \n"}, "comments.csv, baris 5", "kosong"),
    ("not UTF-8", {"comments.csv": COMMENTS.encode() + b"5,x,3,0,0,0,1,caf\xe9\n"}, "comments.csv, baris 5", "UTF-8"),
    ("empty file", {"votes.csv": ""}, "votes.csv, baris 1", "kosong"),
    ("NUL", {"votes.csv": VOTES + "4,x,0,\x002,1\n"}, "votes.csv, baris 5", "NUL"),
    (
        "unknown participant",
        {"participants-votes.csv": PV + "0,1,2\n0,,0,1,1,0,1,,\n"},
        "votes.csv",
        "voter-id 1 tidak terdaftar",
    ),
    (
        "matrix column",
        {"participants-votes.csv": "participant,group-id,0,5\n0,,1,\n1,,-1,\n"},
        "participants-votes.csv, baris 1",
        "comment-id 5",
    ),
    (
        "matrix duplicate participant",
        {"participants-votes.csv": "participant,group-id,0,1,2\n0,,1,,\n1,,-1,,0\n0,,1,,\n"},
        "participants-votes.csv, baris 4",
        "dua kali",
    ),
    ("matrix cell", {"participants-votes.csv": "participant,0\n0,yes\n"}, "participants-votes.csv, baris 2", "yes"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "files", "where", "problem"), MALFORMED, ids=[case[0] for case in MALFORMED])
def test_malformed_files_name_file_line_and_problem(
    empty_consultation: Consultation, tmp_path: Path, case: str, files: dict[str, Any], where: str, problem: str
) -> None:
    folder = write(tmp_path / "bad", {"comments.csv": COMMENTS, "votes.csv": VOTES, **files})
    with pytest.raises(CommandError) as raised:
        import_command(folder, consultation="kosong")
    message = str(raised.value)
    assert message.startswith(where), message
    assert problem in message, message
    assert nothing_imported()


@pytest.mark.django_db
def test_no_vote_file_and_unknown_file_name(empty_consultation: Consultation, tmp_path: Path) -> None:
    folder = write(tmp_path / "only", {"comments.csv": COMMENTS})
    with pytest.raises(CommandError, match=r"votes\.csv: tidak ditemukan"):
        import_command(folder, consultation="kosong")
    stray = write(tmp_path / "stray", {"komentar.csv": COMMENTS})
    with pytest.raises(CommandError, match=r"komentar\.csv: bukan berkas ekspor Polis"):
        import_command(stray / "komentar.csv", consultation="kosong")
    assert nothing_imported()


@pytest.mark.django_db
def test_size_bound(empty_consultation: Consultation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(polis_io, "MAX_FILE_BYTES", 100)
    folder = write(tmp_path / "big", {"comments.csv": COMMENTS, "votes.csv": VOTES})
    with pytest.raises(CommandError, match=r"comments.csv: lebih dari 0 MB"):
        import_command(folder, consultation="kosong")
    assert nothing_imported()


@pytest.mark.django_db
def test_bad_row_at_the_end_of_a_big_file_leaves_nothing(organiser: Any, tmp_path: Path) -> None:
    folder = tmp_path / "ubi"
    shutil.copytree(UBI, folder)
    with (folder / "votes.csv").open("a", encoding="utf-8") as handle:
        handle.write("1500000000000,x,3,17,5\n")
    lines = (folder / "votes.csv").read_text(encoding="utf-8").count("\n")
    consultations = Consultation.objects.count()
    with pytest.raises(CommandError, match=rf"^votes.csv, baris {lines}: .*suara “5” tidak sah"):
        import_command(folder, create=True, organiser=organiser.slug, title="Rusak di akhir")
    assert nothing_imported() and Consultation.objects.count() == consultations


@pytest.mark.django_db
def test_failure_while_writing_rolls_everything_back(
    organiser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_bulk_create(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Vote.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(RuntimeError, match="disk full"):
        import_command(UBI, create=True, organiser=organiser.slug, title="Gagal di tengah")
    assert nothing_imported() and not Consultation.objects.exists()


@pytest.mark.django_db
def test_refuses_a_consultation_that_already_has_statements(empty_consultation: Consultation, tmp_path: Path) -> None:
    folder = write(tmp_path / "ok", {"comments.csv": COMMENTS, "votes.csv": VOTES})
    import_command(folder, consultation="kosong")
    with pytest.raises(CommandError, match="sudah berisi"):
        import_command(folder, consultation="kosong")
    assert empty_consultation.statements.count() == 3
    assert LedgerEntry.objects.filter(event_type=LedgerEvent.CONSULTATION_IMPORTED).count() == 1


@pytest.mark.django_db
def test_command_arguments(organiser: Any, tmp_path: Path) -> None:
    folder = write(tmp_path / "ok", {"comments.csv": COMMENTS, "votes.csv": VOTES})
    with pytest.raises(CommandError, match="--organiser"):
        import_command(folder, create=True, title="Tanpa lembaga")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        import_command(folder, create=True, organiser="tidak-ada", title="X")
    OrganisationFactory(slug="lsm-uji", kind=kind("lsm"))
    with pytest.raises(CommandError, match="lembaga publik"):
        import_command(folder, create=True, organiser="lsm-uji", title="X")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        import_command(folder, consultation="tidak-ada")
    with pytest.raises(CommandError, match="tidak ada"):
        import_command(tmp_path / "tidak-ada", consultation="tidak-ada")


def test_reader_touches_no_database() -> None:
    export = read_polis_export([UBI])  # no django_db mark: any query would fail
    assert len(export.comments) == 71 and len(export.participant_ids) == 234
    assert export.replaced_votes == export.source_rows - len(export.votes) > 0
    with pytest.raises(PolisFormatError):
        read_polis_export([UBI / "summary.csv"])


# --------------------------------------------------------------------------- export and round trip


@pytest.mark.django_db
def test_round_trip_import_export_import(organiser: Any, tmp_path: Path) -> None:
    import_command(UBI, create=True, organiser=organiser.slug, title="Asli")
    original = Consultation.objects.get()
    from sinergi.consultations.results import recompute

    result = recompute(original)
    assert result is not None and result.group_count >= 2
    out = tmp_path / "out"
    call_command("export_polis", original.slug, str(out))

    for name in ("comments.csv", "votes.csv", "participants-votes.csv"):
        header = (out / name).read_text(encoding="utf-8").splitlines()[0].split(",")
        shared = (UBI / name).read_text(encoding="utf-8").splitlines()[0].split(",")
        meta = [column for column in shared if not column.isdigit()]
        assert header[: len(meta)] == meta, name
    with (out / "participants-votes.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    sizes = [group["size"] for group in result.summary["groups"]]
    exported = [sum(1 for row in rows if row["group-id"] == str(g)) for g in range(len(sizes))]
    assert exported == sizes and sum(sizes) > 0
    assert {row["group-id"] for row in rows} <= {"", *(str(g) for g in range(len(sizes)))}

    import_command(out, create=True, organiser=organiser.slug, title="Salinan")
    copy = Consultation.objects.get(title="Salinan")
    assert matrix_of(copy) == matrix_of(original)
    assert list(copy.statements.values_list("column_index", "text", "status")) == list(
        original.statements.values_list("column_index", "text", "status")
    )
    assert copy.participants.count() == original.participants.count()
    # authors survive as row indices
    assert list(copy.statements.values_list("author__row_index", flat=True)) == list(
        original.statements.values_list("author__row_index", flat=True)
    )


@pytest.mark.django_db
def test_export_names_participants_by_row_only(empty_consultation: Consultation, tmp_path: Path, personas: Any) -> None:
    folder = write(tmp_path / "ok", {"comments.csv": COMMENTS, "votes.csv": VOTES})
    import_command(folder, consultation="kosong")
    user = personas["citizen"].user
    Participant.objects.filter(consultation=empty_consultation, row_index=0).update(user=user)
    out = tmp_path / "out"
    call_command("export_polis", "kosong", str(out))
    text = "".join(path.read_text(encoding="utf-8") for path in out.iterdir())
    for secret in (user.username, user.email, str(user.pk) + "@", getattr(user, "display_name", "")):
        if secret:
            assert secret not in text
    with (out / "votes.csv").open(encoding="utf-8", newline="") as handle:
        assert {row["voter-id"] for row in csv.DictReader(handle)} == {"0", "1"}


@pytest.mark.django_db
def test_export_unknown_consultation() -> None:
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("export_polis", "tidak-ada", "/tmp/tidak-dipakai")


@pytest.mark.django_db
def test_api_download_only_for_closed_consultations_with_day_precision(
    organiser: Any, empty_consultation: Consultation, tmp_path: Path, rf: Any
) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    from sinergi.consultations.api_export import polis_export_file

    import_command(UBI, create=True, organiser=organiser.slug, title="Ditutup")
    closed = Consultation.objects.get(title="Ditutup")
    request = rf.get("/")
    request.user = AnonymousUser()
    response = polis_export_file(request, slug=closed.slug, file="votes.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="{closed.slug}-votes.csv"'
    rows = list(csv.DictReader(response.content.decode("utf-8").splitlines()))
    assert len(rows) == Vote.objects.filter(consultation=closed).count()
    assert all(row["datetime"].startswith(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")) for row in rows[:5])
    assert {row["datetime"][11:19] for row in rows} == {"00:00:00"}
    matrix = polis_export_file(request, slug=closed.slug, file="participants-votes.csv")
    assert matrix.content.decode().startswith("participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,")

    empty_consultation.status = "open"
    empty_consultation.save()
    for slug in (empty_consultation.slug, "tidak-ada"):
        with pytest.raises(Http404):
            polis_export_file(request, slug=slug, file="comments.csv")


# --------------------------------------------------------------------------- demo


@pytest.mark.django_db
def test_demo_seeds_an_open_and_an_imported_consultation(reference_data: None) -> None:
    from sinergi.actors.models import MembershipRole
    from sinergi.actors.tests.factories import MembershipFactory, PersonFactory, UserFactory
    from sinergi.consultations.demo import seed_consultations
    from sinergi.regions.services import region_import_kota_blitar

    region_import_kota_blitar()
    bappeda = OrganisationFactory(slug="bappeda", name="Bappeda (uji)", kind=kind("opd"))
    person = PersonFactory(user=UserFactory(username="bappeda"))
    MembershipFactory(person=person, organisation=bappeda, role=MembershipRole.objects.get(code="staf"))

    now = timezone.now().replace(microsecond=0)
    seeded = seed_consultations(now, participants=40)
    assert seeded.participants == 40 and seeded.votes > 40 * 8
    live = Consultation.objects.get(slug=seeded.open_slug)
    assert live.status == "open" and live.statements.count() == 25 + 3
    assert set(live.statements.values_list("status", flat=True)) == {"accepted", "rejected", "pending"}
    assert live.participants.filter(sector__isnull=False).exists()
    assert live.result.group_count >= 2
    imported = Consultation.objects.get(slug=seeded.imported_slug)
    assert imported.status == "closed" and imported.participants.count() == 234
    assert imported.result.vote_count > 0
    again = seed_consultations(now, participants=40)
    assert again.open_slug == seeded.open_slug and Consultation.objects.count() == 2
