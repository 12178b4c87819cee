"""CSV/XLSX import of reses aspirations: all rows or none, header check, bounds."""

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import Workbook

from sinergi.aspirations.models import Aspiration
from sinergi.ledger.models import LedgerEntry
from sinergi.planning import services
from sinergi.planning.importer import COLUMNS, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, ImportRejected, read_batch_file
from sinergi.planning.tests.conftest import World

pytestmark = pytest.mark.django_db


def csv_bytes(rows: list[list[str]], header: tuple[str, ...] | list[str] = COLUMNS, delimiter: str = ",") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    return ("\ufeff" + "\n".join(lines) + "\n").encode()


def xlsx_bytes(rows: list[list[Any]], header: tuple[str, ...] | list[str] = COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def good(n: int) -> list[str]:
    return ["Kepanjenkidul", "drainase", f"Got mampet {n}", f"Got di gang {n} mampet tiap hujan.", "", "", "anonim"]


@pytest.fixture
def reses(world: World) -> Any:
    return services.reses_open(
        actor=world.member,
        organisation=world.dprd,
        data=services.ResesInput(dapil="Dapil 1", masa_sidang="MS I", held_on=dt.date(2027, 1, 15), place="Balai"),
    )


def test_csv_import_creates_all_rows_once(world: World, reses: Any) -> None:
    content = csv_bytes([good(i) for i in range(5)])
    result = services.reses_import(reses=reses, filename="reses.csv", content=content, actor=world.member)
    assert result.created == 5 and reses.aspirations.count() == 5
    again = services.reses_import(reses=reses, filename="reses.csv", content=content, actor=world.member)
    assert again.created == 0 and Aspiration.objects.count() == 5


def test_xlsx_import_and_semicolon_csv(world: World, reses: Any) -> None:
    services.reses_import(
        reses=reses, filename="a.xlsx", content=xlsx_bytes([good(i) for i in range(3)]), actor=world.member
    )
    services.reses_import(
        reses=reses, filename="b.csv", content=csv_bytes([good(9)], delimiter=";"), actor=world.member
    )
    assert reses.aspirations.count() == 4


def test_a_bad_row_means_nothing_is_written(world: World, reses: Any) -> None:
    before = (LedgerEntry.objects.count(), Aspiration.objects.count())
    rows = [good(0), ["Kelurahan Antah", "", "Judul", "Isi yang cukup panjang.", "", "", ""], good(2)]
    with pytest.raises(services.BatchRejected) as caught:
        services.reses_import(reses=reses, filename="r.csv", content=csv_bytes(rows), actor=world.member)
    assert list(caught.value.row_errors) == [1]
    assert (LedgerEntry.objects.count(), Aspiration.objects.count()) == before


@pytest.mark.parametrize(
    ("filename", "content", "code"),
    [
        ("r.csv", csv_bytes([good(0)], header=["kelurahan", "judul"]), "bad_header"),  # isi missing
        ("r.csv", csv_bytes([good(0)], header=[*COLUMNS[:-1], "catatan"]), "bad_header"),
        ("r.csv", csv_bytes([good(0)], header=["kelurahan", "judul", "isi", "isi"]), "bad_header"),
        ("r.csv", csv_bytes([]), "empty_file"),
        ("r.csv", b"", "empty_file"),
        ("r.csv", "kelurahan,judul,isi\n\xff".encode("latin-1"), "bad_encoding"),
        ("r.csv", b'kelurahan,judul,isi\n"unterminated,x', "bad_file"),
        ("r.xlsx", b"PK\x03\x04 this is not a zip", "bad_file"),
        ("r.xlsx", b"definitely not a workbook", "bad_file"),
        ("r.pdf", b"%PDF-1.4", "bad_format"),
        ("r.csv", b"x" * (MAX_IMPORT_BYTES + 1), "file_too_large"),
        ("r.csv", csv_bytes([good(i) for i in range(MAX_IMPORT_ROWS + 1)]), "too_many_rows"),
    ],
)
def test_malformed_files_are_refused_whole(filename: str, content: bytes, code: str) -> None:
    with pytest.raises(ImportRejected) as caught:
        read_batch_file(filename, content)
    assert caught.value.code == code


def test_too_many_rows_in_xlsx() -> None:
    with pytest.raises(ImportRejected) as caught:
        read_batch_file("r.xlsx", xlsx_bytes([good(i) for i in range(MAX_IMPORT_ROWS + 1)]))
    assert caught.value.code == "too_many_rows"


def test_blank_lines_and_header_case_are_tolerated() -> None:
    content = csv_bytes([good(0), ["", "", "", "", "", "", ""], good(1)], header=[c.upper() for c in COLUMNS])
    rows = read_batch_file("r.csv", content)
    assert [r.title for r in rows] == ["Got mampet 0", "Got mampet 1"]


def test_import_refused_for_others(world: World, reses: Any) -> None:
    from sinergi.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        services.reses_import(reses=reses, filename="r.csv", content=csv_bytes([good(0)]), actor=world.opd_officer)
