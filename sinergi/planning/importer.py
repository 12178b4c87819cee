"""Reading a reses batch from CSV or XLSX: header check, size and row bounds. Parsing only; the
service (`reses_import`) writes, all rows or none."""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sinergi.core.errors import RuleViolation

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 500
MAX_CELL = 5000

# The template's columns, in order (Indonesian headers, as staff type them).
COLUMNS: tuple[str, ...] = ("kelurahan", "kategori", "judul", "isi", "nama", "telepon", "privasi")
REQUIRED_COLUMNS = frozenset({"kelurahan", "judul", "isi"})


@dataclass(frozen=True)
class BatchRow:
    """One aspiration as typed at a reses; `kelurahan` is a code or a name, `category` a slug or a name."""

    kelurahan: str
    title: str
    text: str
    category: str = ""
    name: str = ""
    phone: str = ""
    privacy: str = ""


class ImportRejected(RuleViolation):
    """The file as a whole cannot be read (format, size, headers)."""

    code = "import_rejected"


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    if len(text) > MAX_CELL:
        return text[: MAX_CELL + 1]  # the service refuses over-long values with a row error
    return text


def _check_header(header: list[str]) -> list[str]:
    names = [h.strip().lower() for h in header]
    unknown = [h for h in names if h and h not in COLUMNS]
    missing = sorted(REQUIRED_COLUMNS - set(names))
    duplicated = sorted({h for h in names if h and names.count(h) > 1})
    if unknown or missing or duplicated:
        problems = []
        if missing:
            problems.append(_("kolom wajib tidak ada: %(c)s") % {"c": ", ".join(missing)})
        if unknown:
            problems.append(_("kolom tidak dikenal: %(c)s") % {"c": ", ".join(unknown[:10])})
        if duplicated:
            problems.append(_("kolom ganda: %(c)s") % {"c": ", ".join(duplicated)})
        raise ImportRejected(
            _("Judul kolom tidak sesuai templat (%(p)s). Kolom yang dikenal: %(cols)s.")
            % {"p": "; ".join(problems), "cols": ", ".join(COLUMNS)},
            code="bad_header",
        )
    return names


def _rows_from_table(table: list[list[str]]) -> list[BatchRow]:
    # Skip wholly empty lines (spreadsheets keep formatted blank rows).
    table = [row for row in table if any(cell for cell in row)]
    if not table:
        raise ImportRejected(_("Berkas kosong."), code="empty_file")
    names = _check_header(table[0])
    body = table[1:]
    if not body:
        raise ImportRejected(_("Berkas tidak memuat baris aspirasi."), code="empty_file")
    if len(body) > MAX_IMPORT_ROWS:
        raise ImportRejected(
            _("Paling banyak %(n)s baris per impor; berkas ini memuat %(m)s.") % {"n": MAX_IMPORT_ROWS, "m": len(body)},
            code="too_many_rows",
        )
    rows = []
    for raw in body:
        values = {name: (raw[i] if i < len(raw) else "") for i, name in enumerate(names) if name}
        rows.append(
            BatchRow(
                kelurahan=values.get("kelurahan", ""),
                title=values.get("judul", ""),
                text=values.get("isi", ""),
                category=values.get("kategori", ""),
                name=values.get("nama", ""),
                phone=values.get("telepon", ""),
                privacy=values.get("privasi", ""),
            )
        )
    return rows


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected(_("Berkas CSV harus berenkode UTF-8."), code="bad_encoding") from error
    if "\x00" in text:
        raise ImportRejected(_("Berkas CSV memuat karakter yang tidak sah."), code="bad_file")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        # The 2 MB bound keeps this finite; the row bound is checked after blank lines are dropped.
        table = [
            [_cell(v) for v in line[: len(COLUMNS) + 5]]
            for line in csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
        ]
    except csv.Error as error:
        raise ImportRejected(_("Berkas CSV rusak: %(e)s") % {"e": str(error)[:200]}, code="bad_file") from error
    return table


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise ImportRejected(_("Berkas XLSX tidak dapat dibaca."), code="bad_file") from error
    except Exception as error:  # openpyxl raises assorted errors on malformed archives
        raise ImportRejected(_("Berkas XLSX tidak dapat dibaca."), code="bad_file") from error
    try:
        sheet = workbook.worksheets[0]
        table: list[list[str]] = []
        for row in sheet.iter_rows(values_only=True, max_col=len(COLUMNS) + 5):
            table.append([_cell(v) for v in row])
            if len(table) > 4 * MAX_IMPORT_ROWS:  # formatted blank rows can run on for ever
                break
    except ImportRejected:
        raise
    except Exception as error:
        raise ImportRejected(_("Berkas XLSX tidak dapat dibaca."), code="bad_file") from error
    finally:
        workbook.close()
    return table


def read_batch_file(filename: str, content: bytes) -> list[BatchRow]:
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportRejected(
            _("Berkas paling besar %(n)s MB.") % {"n": MAX_IMPORT_BYTES // (1024 * 1024)}, code="file_too_large"
        )
    name = (filename or "").lower()
    if name.endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        table = _read_xlsx(content)
    elif name.endswith(".csv") or name.endswith(".txt"):
        table = _read_csv(content)
    else:
        raise ImportRejected(_("Unggah berkas .csv atau .xlsx."), code="bad_format")
    return _rows_from_table(table)
