"""Import and export of Polis conversation exports (the compdemocracy open-data CSV shapes).

Import is two strictly separated steps, so a malformed file never leaves half an import behind:

1. `read_polis_export` reads and validates *everything* in memory (sizes, encoding, headers, types, vote values,
   references between files, duplicates) and raises `PolisFormatError` naming the file, the line and the problem.
   It touches no database.
2. `consultation_import_polis` writes the validated conversation in one transaction with bulk inserts and one
   public-log entry, then (after commit) asks for a recompute of the opinion map.

Mapping (see docs/architecture.md, "Polis import and export"):
- statements get `column_index` in comment-id order and `external_id` = comment-id; participants get `row_index` in
  pid order and `external_id` = pid, never a user;
- `moderated` −1 → rejected, 1 → accepted, 0 (unmoderated) → accepted: Polis shows unmoderated comments unless the
  conversation used strict moderation, and its math treats only −1 (and meta) as moderated out, so the votes cast
  on them were real votes on visible statements;
- of several votes by one participant on one statement the latest by timestamp counts (equal timestamps: the later
  row in the file), exactly as the Polis math applies them;
- statement text longer than `STATEMENT_MAX` (Polis allowed longer comments in some years) is cut with "…" and
  the number of cut statements is recorded.

Export writes `comments.csv`, `votes.csv` and `participants-votes.csv` with the headers and column order of the
shared open data. Participants are identified by `row_index` only and statements by `column_index`, so
import → export → import reproduces the same vote matrix.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import io
import logging
import pickle
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sinergi.consultations.models import (
    QUESTION_MAX,
    STATEMENT_MAX,
    Consultation,
    ConsultationResult,
    Participant,
    Statement,
    Vote,
)
from sinergi.consultations.states import ConsultationStatus, StatementStatus, VoteValue
from sinergi.core.errors import RuleViolation
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import ledger_record
from sinergi.opinion.engine import EngineState

logger = logging.getLogger(__name__)

COMMENTS_FILE = "comments.csv"
VOTES_FILE = "votes.csv"
MATRIX_FILE = "participants-votes.csv"
SUMMARY_FILE = "summary.csv"
KNOWN_FILES = (COMMENTS_FILE, VOTES_FILE, MATRIX_FILE, SUMMARY_FILE)

# Bounds. Polis's own math ignores comments past 10,000 and participants past 100,000 ("customs").
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_STATEMENTS = 10_000
MAX_PARTICIPANTS = 100_000
MAX_VOTE_ROWS = 3_000_000
MAX_EXTERNAL_ID = 2**31 - 1
MAX_COMMENT_CHARS = 5_000  # longer is not a Polis comment; shorter but > STATEMENT_MAX is cut
MAX_TIMESTAMP_MS = 32_503_680_000_000  # year 3000
BULK_BATCH = 2_000
# Path segments of the consultation pages that a slug must not shadow (as in services.RESERVED_SLUGS).
RESERVED_SLUGS = frozenset({"buat", "kelola"})

COMMENTS_REQUIRED = ("comment-id", "moderated", "comment-body")
COMMENTS_OPTIONAL = ("timestamp", "datetime", "author-id", "agrees", "disagrees", "is-meta", "is_meta")
VOTES_HEADER = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
VOTES_REQUIRED = ("timestamp", "comment-id", "voter-id", "vote")
MATRIX_META = ("participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
# The export writes the shape most of the shared conversations have (no xid column).
COMMENTS_HEADER = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
MATRIX_HEADER_META = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")

VOTE_VALUES = {"-1": -1, "0": 0, "1": 1, "-1.0": -1, "0.0": 0, "1.0": 1}
TRUE_WORDS = {"1", "true", "t", "yes", "y"}
FALSE_WORDS = {"", "0", "false", "f", "no", "n"}
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


class PolisFormatError(RuleViolation):
    """A file of the export is malformed: names the file, the line (1-based, 0 = the whole file) and the problem."""

    code = "polis_format"

    def __init__(self, file: str, line: int, problem: str) -> None:
        if line:
            message = _("%(file)s, baris %(line)d: %(problem)s") % {"file": file, "line": line, "problem": problem}
        else:
            message = _("%(file)s: %(problem)s") % {"file": file, "problem": problem}
        super().__init__(message)
        self.file, self.line, self.problem = file, line, problem


# ---------------------------------------------------------------------------------------------------------------
# Reading and validating


@dataclass(frozen=True)
class PolisComment:
    comment_id: int
    body: str
    moderated: int  # −1, 0, 1
    author_id: int | None
    is_meta: bool
    timestamp_ms: int | None
    truncated: bool


@dataclass(frozen=True)
class PolisVote:
    participant_id: int
    comment_id: int
    value: int
    timestamp_ms: int | None


@dataclass(frozen=True)
class PolisExport:
    """A validated conversation: comments by comment-id, participants by pid, final votes in arrival order."""

    comments: list[PolisComment]
    participant_ids: list[int]
    votes: list[PolisVote]
    groups: dict[int, int]
    summary: dict[str, str]
    file_digests: dict[str, str]
    source_rows: int  # vote rows read, before duplicates were resolved
    votes_from: str  # which file the votes came from

    @property
    def replaced_votes(self) -> int:
        return self.source_rows - len(self.votes)


@dataclass
class _Source:
    name: str
    text: str
    digest: str


def locate_polis_files(paths: Sequence[str | Path]) -> dict[str, Path]:
    """Map each known export file name to its path; `paths` are directories holding them or the files themselves.

    `name.csv.gz` is accepted for any file. Unknown file names are refused so a typo is not silently ignored.
    """
    found: dict[str, Path] = {}

    def add(name: str, path: Path) -> None:
        if name in found and found[name] != path:
            raise PolisFormatError(name, 0, _("diberikan dua kali (%(a)s, %(b)s)") % {"a": found[name], "b": path})
        found[name] = path

    for given in paths:
        path = Path(given)
        if path.is_dir():
            for name in KNOWN_FILES:
                for candidate in (path / name, path / f"{name}.gz"):
                    if candidate.is_file():
                        add(name, candidate)
        elif path.is_file():
            name = path.name.removesuffix(".gz")
            if name not in KNOWN_FILES:
                problem = _("bukan berkas ekspor Polis (dikenal: %(names)s)") % {"names": ", ".join(KNOWN_FILES)}
                raise PolisFormatError(path.name, 0, problem)
            add(name, path)
        else:
            raise PolisFormatError(str(path), 0, _("berkas atau folder tidak ada"))
    if COMMENTS_FILE not in found:
        raise PolisFormatError(COMMENTS_FILE, 0, _("tidak ditemukan; ekspor Polis selalu memuatnya"))
    if VOTES_FILE not in found and MATRIX_FILE not in found:
        raise PolisFormatError(VOTES_FILE, 0, _("tidak ditemukan, begitu pula participants-votes.csv: tidak ada suara"))
    return found


def _read_source(name: str, path: Path) -> _Source:
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as packed:
                raw = packed.read(MAX_FILE_BYTES + 1)
        else:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise PolisFormatError(name, 0, _("lebih dari %(mb)d MB") % {"mb": MAX_FILE_BYTES // 2**20})
            raw = path.read_bytes()
    except (OSError, EOFError) as error:
        raise PolisFormatError(name, 0, _("tidak dapat dibaca (%(error)s)") % {"error": error}) from error
    if len(raw) > MAX_FILE_BYTES:
        raise PolisFormatError(name, 0, _("lebih dari %(mb)d MB") % {"mb": MAX_FILE_BYTES // 2**20})
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")  # a leading byte-order mark (Excel) is dropped
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PolisFormatError(name, line, _("bukan teks UTF-8")) from error
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise PolisFormatError(name, line, _("memuat karakter NUL"))
    return _Source(name=name, text=text, digest=digest)


def _rows(source: _Source) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each record after the header; the header itself is the first item (line 1)."""
    reader = csv.reader(io.StringIO(source.text, newline=""), strict=True)
    try:
        for row in reader:
            if not row:  # blank line
                continue
            yield reader.line_num, row
    except csv.Error as error:
        raise PolisFormatError(source.name, reader.line_num, _("CSV rusak (%(error)s)") % {"error": error}) from error


def _header(source: _Source, rows: Iterator[tuple[int, list[str]]], required: Iterable[str]) -> dict[str, int]:
    try:
        line, header = next(rows)
    except StopIteration:
        raise PolisFormatError(source.name, 1, _("kosong, tanpa baris judul kolom")) from None
    columns: dict[str, int] = {}
    for position, name in enumerate(header):
        name = name.strip()
        if name in columns:
            raise PolisFormatError(source.name, line, _("kolom “%(name)s” muncul dua kali") % {"name": name})
        columns[name] = position
    missing = [name for name in required if name not in columns]
    if missing:
        raise PolisFormatError(source.name, line, _("kolom wajib tidak ada: %(names)s") % {"names": ", ".join(missing)})
    return columns


def _integer(source: _Source, line: int, column: str, value: str, *, low: int, high: int) -> int:
    text = value.strip()
    try:
        number = int(text)
    except ValueError:
        problem = _("kolom %(column)s: “%(value)s” bukan bilangan bulat") % {"column": column, "value": text[:40]}
        raise PolisFormatError(source.name, line, problem) from None
    if not low <= number <= high:
        raise PolisFormatError(
            source.name,
            line,
            _("kolom %(column)s: %(value)d di luar batas %(low)d–%(high)d")
            % {"column": column, "value": number, "low": low, "high": high},
        )
    return number


def _record(source: _Source, line: int, row: list[str], columns: dict[str, int]) -> dict[str, str]:
    if len(row) != len(columns):
        raise PolisFormatError(
            source.name, line, _("%(found)d kolom, seharusnya %(width)d") % {"found": len(row), "width": len(columns)}
        )
    return {name: row[position] for name, position in columns.items()}


def _vote_value(source: _Source, line: int, column: str, value: str) -> int:
    try:
        return VOTE_VALUES[value.strip()]
    except KeyError:
        problem = _("kolom %(column)s: suara “%(value)s” tidak sah (hanya -1, 0, 1)")
        raise PolisFormatError(source.name, line, problem % {"column": column, "value": value[:40]}) from None


def _read_comments(source: _Source) -> list[PolisComment]:
    rows = _rows(source)
    columns = _header(source, rows, COMMENTS_REQUIRED)
    unknown = [name for name in columns if name not in COMMENTS_REQUIRED + COMMENTS_OPTIONAL]
    if unknown:
        raise PolisFormatError(source.name, 1, _("kolom tidak dikenal: %(names)s") % {"names": ", ".join(unknown)})
    meta_column = "is-meta" if "is-meta" in columns else ("is_meta" if "is_meta" in columns else None)
    comments: dict[int, PolisComment] = {}
    for line, row in rows:
        value = _record(source, line, row, columns).__getitem__
        comment_id = _integer(source, line, "comment-id", value("comment-id"), low=0, high=MAX_EXTERNAL_ID)
        if comment_id in comments:
            raise PolisFormatError(source.name, line, _("comment-id %(id)d muncul dua kali") % {"id": comment_id})
        moderated = _integer(source, line, "moderated", value("moderated"), low=-1, high=1)
        body = " ".join(value("comment-body").split())
        if not body:
            raise PolisFormatError(source.name, line, _("comment-body kosong"))
        if len(body) > MAX_COMMENT_CHARS:
            raise PolisFormatError(
                source.name, line, _("comment-body lebih dari %(max)d karakter") % {"max": MAX_COMMENT_CHARS}
            )
        truncated = len(body) > STATEMENT_MAX
        if truncated:
            body = body[: STATEMENT_MAX - 1].rstrip() + "…"
        author = None
        if "author-id" in columns and value("author-id").strip():
            author = _integer(source, line, "author-id", value("author-id"), low=-1, high=MAX_EXTERNAL_ID)
            author = None if author < 0 else author
        is_meta = False
        if meta_column:
            word = value(meta_column).strip().lower()
            if word not in TRUE_WORDS | FALSE_WORDS:
                problem = _("kolom %(column)s: “%(value)s” bukan ya/tidak")
                raise PolisFormatError(source.name, line, problem % {"column": meta_column, "value": word[:20]})
            is_meta = word in TRUE_WORDS
        timestamp = None
        if "timestamp" in columns and value("timestamp").strip():
            timestamp = _integer(source, line, "timestamp", value("timestamp"), low=0, high=MAX_TIMESTAMP_MS)
        comments[comment_id] = PolisComment(comment_id, body, moderated, author, is_meta, timestamp, truncated)
        if len(comments) > MAX_STATEMENTS:
            raise PolisFormatError(source.name, line, _("lebih dari %(max)d komentar") % {"max": MAX_STATEMENTS})
    if not comments:
        raise PolisFormatError(source.name, 0, _("tidak memuat satu komentar pun"))
    return [comments[key] for key in sorted(comments)]


def _read_votes(source: _Source, comment_ids: set[int]) -> tuple[list[PolisVote], int]:
    """Vote events; returns the final vote per (participant, comment) in arrival order, and the rows read."""
    rows = _rows(source)
    columns = _header(source, rows, VOTES_REQUIRED)
    unknown = [name for name in columns if name not in VOTES_HEADER]
    if unknown:
        raise PolisFormatError(source.name, 1, _("kolom tidak dikenal: %(names)s") % {"names": ", ".join(unknown)})
    events: list[tuple[int, int, int, int, int]] = []  # timestamp, file order, pid, tid, vote
    for line, row in rows:
        value = _record(source, line, row, columns).__getitem__
        timestamp = _integer(source, line, "timestamp", value("timestamp"), low=0, high=MAX_TIMESTAMP_MS)
        comment_id = _integer(source, line, "comment-id", value("comment-id"), low=0, high=MAX_EXTERNAL_ID)
        if comment_id not in comment_ids:
            problem = _("suara untuk comment-id %(id)d yang tidak ada di comments.csv")
            raise PolisFormatError(source.name, line, problem % {"id": comment_id})
        voter = _integer(source, line, "voter-id", value("voter-id"), low=0, high=MAX_EXTERNAL_ID)
        vote = _vote_value(source, line, "vote", value("vote"))
        events.append((timestamp, len(events), voter, comment_id, vote))
        if len(events) > MAX_VOTE_ROWS:
            raise PolisFormatError(source.name, line, _("lebih dari %(max)d baris suara") % {"max": MAX_VOTE_ROWS})
    events.sort()  # by time; equal times keep file order, so the later row wins below
    latest: dict[tuple[int, int], tuple[int, int]] = {}
    for position, (_time, _order, voter, comment_id, vote) in enumerate(events):
        latest[(voter, comment_id)] = (position, vote)
    kept = sorted(latest.items(), key=lambda item: item[1][0])
    votes = [PolisVote(pid, tid, vote, events[position][0]) for (pid, tid), (position, vote) in kept]
    return votes, len(events)


def _read_matrix(source: _Source, comment_ids: set[int]) -> tuple[list[int], list[PolisVote], dict[int, int]]:
    """participants-votes.csv: the participants in pid order, the final votes (no timestamps), the group ids."""
    rows = _rows(source)
    columns = _header(source, rows, ("participant",))
    statement_columns: list[tuple[int, int]] = []
    for name, position in columns.items():
        if name in MATRIX_META:
            continue
        if not name.isdigit():
            raise PolisFormatError(source.name, 1, _("kolom tidak dikenal: %(name)s") % {"name": name[:40]})
        comment_id = int(name)
        if comment_id not in comment_ids:
            raise PolisFormatError(
                source.name, 1, _("kolom comment-id %(id)d tidak ada di comments.csv") % {"id": comment_id}
            )
        statement_columns.append((position, comment_id))
    participants: dict[int, int] = {}
    groups: dict[int, int] = {}
    cells: list[PolisVote] = []
    for line, row in rows:
        record = _record(source, line, row, columns)
        pid = _integer(source, line, "participant", record["participant"], low=0, high=MAX_EXTERNAL_ID)
        if pid in participants:
            raise PolisFormatError(source.name, line, _("participant %(id)d muncul dua kali") % {"id": pid})
        participants[pid] = line
        if len(participants) > MAX_PARTICIPANTS:
            raise PolisFormatError(source.name, line, _("lebih dari %(max)d peserta") % {"max": MAX_PARTICIPANTS})
        if record.get("group-id", "").strip():
            groups[pid] = _integer(source, line, "group-id", record["group-id"], low=0, high=1000)
        for position, comment_id in statement_columns:
            cell = row[position]
            if cell.strip():
                cells.append(PolisVote(pid, comment_id, _vote_value(source, line, str(comment_id), cell), None))
        if len(cells) > MAX_VOTE_ROWS:
            raise PolisFormatError(source.name, line, _("lebih dari %(max)d suara") % {"max": MAX_VOTE_ROWS})
    return sorted(participants), cells, groups


def _read_summary(source: _Source) -> dict[str, str]:
    summary: dict[str, str] = {}
    for line, row in _rows(source):
        if len(row) < 2:
            raise PolisFormatError(source.name, line, _("baris harus berbentuk kunci,nilai"))
        summary[row[0].strip()[:60]] = ",".join(row[1:]).strip()[:2000]
        if len(summary) > 100:
            raise PolisFormatError(source.name, line, _("terlalu banyak baris"))
    return summary


def read_polis_export(paths: Sequence[str | Path]) -> PolisExport:
    """Read and validate a Polis export completely; raises `PolisFormatError` and never touches the database."""
    files = locate_polis_files(paths)
    sources = {name: _read_source(name, path) for name, path in files.items()}
    comments = _read_comments(sources[COMMENTS_FILE])
    comment_ids = {comment.comment_id for comment in comments}
    groups: dict[int, int] = {}
    listed: list[int] | None = None
    if MATRIX_FILE in sources:
        listed, matrix_votes, groups = _read_matrix(sources[MATRIX_FILE], comment_ids)
    if VOTES_FILE in sources:
        votes, source_rows = _read_votes(sources[VOTES_FILE], comment_ids)
        votes_from = VOTES_FILE
        if listed is not None:
            known = set(listed)
            for vote in votes:
                if vote.participant_id not in known:
                    raise PolisFormatError(
                        VOTES_FILE,
                        0,
                        _("voter-id %(id)d tidak terdaftar di participants-votes.csv") % {"id": vote.participant_id},
                    )
    else:
        votes, source_rows, votes_from = matrix_votes, len(matrix_votes), MATRIX_FILE
    participant_ids = listed if listed is not None else sorted({vote.participant_id for vote in votes})
    if len(participant_ids) > MAX_PARTICIPANTS:
        raise PolisFormatError(votes_from, 0, _("lebih dari %(max)d peserta") % {"max": MAX_PARTICIPANTS})
    summary = _read_summary(sources[SUMMARY_FILE]) if SUMMARY_FILE in sources else {}
    return PolisExport(
        comments=comments,
        participant_ids=participant_ids,
        votes=votes,
        groups=groups,
        summary=summary,
        file_digests={name: sources[name].digest for name in sorted(sources)},
        source_rows=source_rows,
        votes_from=votes_from,
    )


# ---------------------------------------------------------------------------------------------------------------
# Writing


@dataclass(frozen=True)
class ImportOutcome:
    consultation: Consultation
    statements: int
    participants: int
    votes: int
    rejected_statements: int
    truncated_statements: int
    replaced_votes: int
    created: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _moment(timestamp_ms: int | None, fallback: dt.datetime) -> dt.datetime:
    if timestamp_ms is None:
        return fallback
    return dt.datetime.fromtimestamp(timestamp_ms / 1000, tz=dt.UTC)


def _time_span(export: PolisExport) -> tuple[dt.datetime, dt.datetime] | None:
    stamps = [vote.timestamp_ms for vote in export.votes if vote.timestamp_ms is not None]
    stamps += [comment.timestamp_ms for comment in export.comments if comment.timestamp_ms is not None]
    if not stamps:
        return None
    return _moment(min(stamps), timezone.now()), _moment(max(stamps), timezone.now())


def _unique_slug(title: str) -> str:
    base = (slugify(title) or "konsultasi-impor")[:100]
    if base in RESERVED_SLUGS:
        base = f"{base}-konsultasi"
    slug, suffix = base, 2
    while Consultation.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _schedule_recompute(consultation_id: int) -> None:
    """Ask the consultations task module for a recompute, if it offers one (it is optional for the importer)."""
    try:
        from sinergi.consultations import tasks
    except ImportError:
        return
    recompute = getattr(tasks, "consultation_recompute", None) or getattr(tasks, "recompute_consultation", None)
    if recompute is None:
        return
    try:
        recompute.enqueue(consultation_id)
    except Exception:  # the import itself is committed; `recompute_consultations` catches up later
        logger.exception("recompute after the Polis import of consultation %s could not be queued", consultation_id)


@transaction.atomic
def consultation_import_polis(
    *,
    export: PolisExport,
    actor: Any,
    source_label: str,
    consultation: Consultation | None = None,
    create: dict[str, Any] | None = None,
) -> ImportOutcome:
    """Write a validated export into an empty consultation, or into a new closed one (`create`: organiser, title,
    optional slug, question, description). Everything, including the log entry, commits or rolls back together."""
    if (consultation is None) == (create is None):
        raise ValueError("give exactly one of consultation or create")
    span = _time_span(export)
    now = timezone.now()
    created = consultation is None
    if create is not None:
        title = str(create["title"]).strip()[:200]
        if not title:
            raise RuleViolation(_("Judul konsultasi wajib diisi."), code="title_required")
        if not create["organiser"].is_public_institution:
            raise RuleViolation(
                _("Konsultasi publik hanya dapat diselenggarakan oleh lembaga publik."), code="not_public_institution"
            )
        opens_at, closes_at = span if span else (now, now)
        if closes_at <= opens_at:
            closes_at = opens_at + dt.timedelta(seconds=1)
        question = (create.get("question") or export.summary.get("topic") or title).strip()[:QUESTION_MAX]
        consultation = Consultation.objects.create(
            slug=create.get("slug") or _unique_slug(title),
            title=title,
            question=question,
            description=(create.get("description") or export.summary.get("conversation-description") or "")[:5000],
            organiser=create["organiser"],
            status=ConsultationStatus.CLOSED,
            opens_at=opens_at,
            closes_at=closes_at,
            opened_at=opens_at,
            closed_at=closes_at,
            accepts_statements=False,
            created_by=actor,
        )
    assert consultation is not None
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if (
        Statement.objects.filter(consultation=consultation).exists()
        or Participant.objects.filter(consultation=consultation).exists()
    ):
        raise RuleViolation(
            _("Konsultasi ini sudah berisi pernyataan atau peserta; impor hanya ke konsultasi yang masih kosong."),
            code="consultation_not_empty",
        )
    fallback_time = consultation.closes_at if consultation.closes_at <= now else now

    participants = Participant.objects.bulk_create(
        [
            Participant(consultation=consultation, row_index=row, external_id=str(pid))
            for row, pid in enumerate(export.participant_ids)
        ],
        batch_size=BULK_BATCH,
    )
    participant_by_pid = {int(participant.external_id): participant for participant in participants}
    status_of = {-1: StatementStatus.REJECTED, 0: StatementStatus.ACCEPTED, 1: StatementStatus.ACCEPTED}
    statements = Statement.objects.bulk_create(
        [
            Statement(
                consultation=consultation,
                column_index=column,
                text=comment.body,
                author=participant_by_pid.get(comment.author_id) if comment.author_id is not None else None,
                is_meta=comment.is_meta,
                status=status_of[comment.moderated],
                moderated_at=now if comment.moderated else None,
                moderation_reason=_("Dimoderasi di Polis") if comment.moderated == -1 else "",
                external_id=str(comment.comment_id),
            )
            for column, comment in enumerate(export.comments)
        ],
        batch_size=BULK_BATCH,
    )
    statement_by_tid = {int(statement.external_id): statement for statement in statements}
    Vote.objects.bulk_create(
        (
            Vote(
                consultation=consultation,
                participant=participant_by_pid[vote.participant_id],
                statement=statement_by_tid[vote.comment_id],
                value=vote.value,
                voted_at=_moment(vote.timestamp_ms, fallback_time),
                change_sequence=sequence,
            )
            for sequence, vote in enumerate(export.votes, start=1)
        ),
        batch_size=BULK_BATCH,
    )
    rejected = sum(1 for comment in export.comments if comment.moderated == -1)
    truncated = sum(1 for comment in export.comments if comment.truncated)
    consultation.vote_sequence = len(export.votes)
    consultation.imported_from = source_label[:255]
    consultation.save(update_fields=["vote_sequence", "imported_from", "updated_at"])
    ledger_record(
        event=LedgerEvent.CONSULTATION_IMPORTED,
        actor=actor,
        subject_type="consultation",
        subject_id=str(consultation.uid),
        data={
            "source": consultation.imported_from,
            "format": "polis",
            "created": created,
            "statements": len(statements),
            "rejected_statements": rejected,
            "truncated_statements": truncated,
            "participants": len(participants),
            "votes": len(export.votes),
            "vote_rows": export.source_rows,
            "votes_from": export.votes_from,
            "files_sha256": export.file_digests,
        },
    )
    consultation_id = consultation.pk
    transaction.on_commit(lambda: _schedule_recompute(consultation_id))
    return ImportOutcome(
        consultation=consultation,
        statements=len(statements),
        participants=len(participants),
        votes=len(export.votes),
        rejected_statements=rejected,
        truncated_statements=truncated,
        replaced_votes=export.replaced_votes,
        created=created,
    )


# ---------------------------------------------------------------------------------------------------------------
# Export


def _milliseconds(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


def _day(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(JAKARTA).replace(hour=0, minute=0, second=0, microsecond=0)


def _polis_datetime(moment: dt.datetime) -> str:
    """Polis writes e.g. "Wed Jul 27 22:09:49 WIB 2022" (server-local time); we write Western Indonesian Time."""
    return moment.astimezone(JAKARTA).strftime("%a %b %d %H:%M:%S WIB %Y")


def stored_groups(consultation: Consultation) -> dict[int, int]:
    """Group index (0 = the results page's first group) per participant row_index, from the stored result.

    The published summary deliberately holds no participant → group mapping, so it is derived from the engine
    state kept for warm starts: each clustered participant's base cluster, and that base cluster's group in the
    clustering the result reported. Empty when nothing was computed yet.
    """
    blob = ConsultationResult.objects.filter(consultation=consultation).values_list("engine_state", flat=True).first()
    if not blob:
        return {}
    try:
        state = pickle.loads(bytes(blob))  # noqa: S301 — written by the results module, never user input
    except Exception:  # an incompatible engine version: export without groups rather than fail
        logger.warning("consultation %s: engine state unreadable, exporting without group ids", consultation.pk)
        return {}
    if not isinstance(state, EngineState):
        return {}
    clustering = state.group_clusterings.get(state.reported_k)
    group_of_base_id: dict[int, int] = {}
    if clustering is not None:
        group_of_base_id = {
            int(base_id): int(group)
            for base_id, group in zip(clustering.base_ids, clustering.group_of_base, strict=True)
        }
    groups: dict[int, int] = {}
    for row, base in enumerate(state.base_of_participant.tolist()):
        if base < 0:
            continue
        group = group_of_base_id.get(int(state.base_ids[base]), -1) if clustering is not None else 0
        if group >= 0:
            groups[row] = group
    return groups


EXPORT_FILES = (COMMENTS_FILE, VOTES_FILE, MATRIX_FILE)


def export_polis(consultation: Consultation, directory: str | Path) -> dict[str, Path]:
    """Write the three Polis CSV files for a consultation into a folder; returns their paths."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / name for name in EXPORT_FILES}
    handles = {name: path.open("w", encoding="utf-8", newline="") for name, path in paths.items()}
    try:
        write_polis_export(consultation, handles)
    finally:
        for handle in handles.values():
            handle.close()
    return paths


def write_polis_export(
    consultation: Consultation, handles: Mapping[str, TextIO], *, day_precision: bool = False
) -> None:
    """Write the requested export files (any of `EXPORT_FILES`) to text handles; participants appear as
    row_index only, statements as column_index. `day_precision` cuts vote times to midnight WIB (public
    downloads); rows stay in arrival order, so a re-import still lets the latest vote count."""
    unknown = set(handles) - set(EXPORT_FILES)
    if unknown:
        raise ValueError(f"not an export file: {sorted(unknown)}")
    statements = list(
        Statement.objects.filter(consultation=consultation)
        .select_related("author")
        .annotate(
            agrees=Count("votes", filter=Q(votes__value=VoteValue.AGREE)),
            disagrees=Count("votes", filter=Q(votes__value=VoteValue.DISAGREE)),
        )
        .order_by("column_index")
    )
    moderated_code = {StatementStatus.REJECTED: -1, StatementStatus.PENDING: 0, StatementStatus.ACCEPTED: 1}
    if COMMENTS_FILE in handles:
        writer = csv.writer(handles[COMMENTS_FILE], lineterminator="\n")
        writer.writerow(COMMENTS_HEADER)
        for statement in statements:
            created_at = _day(statement.created_at) if day_precision else statement.created_at
            writer.writerow(
                [
                    _milliseconds(created_at),
                    _polis_datetime(created_at),
                    statement.column_index,
                    statement.author.row_index if statement.author else "",
                    statement.agrees,  # type: ignore[attr-defined]
                    statement.disagrees,  # type: ignore[attr-defined]
                    moderated_code[StatementStatus(statement.status)],
                    statement.text,
                ]
            )
    if VOTES_FILE not in handles and MATRIX_FILE not in handles:
        return

    column_of = {statement.pk: statement.column_index for statement in statements}
    row_of = dict(Participant.objects.filter(consultation=consultation).values_list("pk", "row_index"))
    matrix: dict[int, dict[int, int]] = {row: {} for row in sorted(row_of.values())}
    vote_writer = csv.writer(handles[VOTES_FILE], lineterminator="\n") if VOTES_FILE in handles else None
    if vote_writer is not None:
        vote_writer.writerow(VOTES_HEADER)
    votes = (
        Vote.objects.filter(consultation=consultation)
        .order_by("change_sequence", "pk")
        .values_list("participant_id", "statement_id", "value", "voted_at")
    )
    for participant_id, statement_id, value, voted_at in votes.iterator(chunk_size=5000):
        row, column = row_of[participant_id], column_of[statement_id]
        matrix[row][column] = value
        if vote_writer is not None:
            if day_precision:
                voted_at = _day(voted_at)
            vote_writer.writerow([_milliseconds(voted_at), _polis_datetime(voted_at), column, row, value])
    if MATRIX_FILE not in handles:
        return

    comment_counts = dict(
        Participant.objects.filter(consultation=consultation)
        .annotate(n=Count("statements"))
        .values_list("row_index", "n")
    )
    groups = stored_groups(consultation)
    columns = [statement.column_index for statement in statements]
    writer = csv.writer(handles[MATRIX_FILE], lineterminator="\n")
    writer.writerow([*MATRIX_HEADER_META, *columns])
    for row, cells in matrix.items():
        values = list(cells.values())
        writer.writerow(
            [
                row,
                groups.get(row, ""),
                comment_counts.get(row, 0),
                len(values),
                values.count(VoteValue.AGREE),
                values.count(VoteValue.DISAGREE),
                *(cells.get(column, "") for column in columns),
            ]
        )
