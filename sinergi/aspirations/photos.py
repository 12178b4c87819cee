"""Photos attached to an aspiration: checked by content, re-encoded without metadata, then stored.

`prepare_photos` runs before any write (it may refuse); `write_photo_files` writes the prepared bytes to
`default_storage` before the service's transaction (intake, the reporter's added information), which
then inserts the `Photo` rows. The file name and the
declared content type are never trusted: Pillow decides what the bytes are.

Between the web form's preview and its final submit the prepared photos wait under
`PENDING_DIR/<form token>/`. A visitor who never submits would leave them there for good (they may show
faces or houses: UU PDP asks us to keep no more than we need), so `purge_pending_photos` removes folders
older than a day: cron (`manage.py purge_pending_photos`), the django-tasks task
`purge_pending_photos_task`, and a sweep the intake view runs at most once every `SWEEP_INTERVAL` per process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import logging
import os
import re
import threading
import time
import uuid
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task
from PIL import Image, ImageOps, UnidentifiedImageError

from sinergi.core.errors import RuleViolation

if TYPE_CHECKING:
    from sinergi.aspirations.models import Aspiration, Photo

MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before its pixels are decoded
MAX_SIDE = 2048
JPEG_QUALITY = 85
ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
FILENAME_MAX = 200

PENDING_DIR = "aspirations/pending"
# The web form's hidden token (`forms.new_form_token`): no "/", no ".", so it can only name a folder inside PENDING_DIR.
PENDING_TOKEN = re.compile(r"web-[A-Za-z0-9_-]{16,64}")
PENDING_MAX_AGE = dt.timedelta(hours=24)
SWEEP_INTERVAL_SECONDS = 15 * 60

logger = logging.getLogger(__name__)

# (file name, content) — the name is kept only for messages; the bytes decide everything.
UploadedPhoto = tuple[str, bytes]


@dataclass(frozen=True)
class PreparedPhoto:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int
    sha256: str


def _invalid(name: str, reason: str) -> RuleViolation:
    return RuleViolation(
        _("Foto “%(name)s” tidak dapat diterima: %(reason)s") % {"name": name[:FILENAME_MAX] or "?", "reason": reason},
        code="invalid_photo",
    )


def prepare_photo(name: str, content: bytes) -> PreparedPhoto:
    """Decode, check and re-encode one photo (EXIF orientation applied, then every metadata block dropped)."""
    if len(content) > MAX_PHOTO_BYTES:
        raise _invalid(name, _("ukurannya lebih dari 5 MB."))
    if not content:
        raise _invalid(name, _("berkas kosong."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as probe:
                image_format = probe.format
                width, height = probe.size
                if image_format not in ACCEPTED_FORMATS:
                    raise _invalid(name, _("hanya JPEG, PNG atau WebP yang diterima."))
                if width * height > MAX_PIXELS or width <= 0 or height <= 0:
                    raise _invalid(name, _("resolusinya terlalu besar (paling banyak 40 megapiksel)."))
                probe.verify()  # checks the structure (truncated or corrupt data) without decoding pixels
            # verify() leaves the image unusable: open it again to decode.
            with Image.open(io.BytesIO(content)) as image:
                image.load()
                oriented = ImageOps.exif_transpose(image)
    except RuleViolation:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _invalid(name, _("berkas ini bukan gambar yang dikenali.")) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:  # truncated or malformed data
        raise _invalid(name, _("berkas gambar rusak atau tidak lengkap.")) from exc
    return _encode(oriented, image_format or "JPEG")


def _encode(image: Image.Image, source_format: str) -> PreparedPhoto:
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    has_alpha = image.mode in {"RGBA", "LA"} or (image.mode == "P" and "transparency" in image.info)
    output = io.BytesIO()
    if source_format == "PNG" and has_alpha:
        # Keep transparency (diagrams, screenshots); a new image carries no text chunks or ICC profile.
        clean = Image.new("RGBA", image.size)
        clean.paste(image.convert("RGBA"))
        clean.save(output, format="PNG", optimize=True)
        content_type, extension = "image/png", "png"
    else:
        clean = image.convert("RGB")
        clean.info = {}
        clean.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True, exif=b"")
        content_type, extension = "image/jpeg", "jpg"
    data = output.getvalue()
    return PreparedPhoto(
        content=data,
        content_type=content_type,
        extension=extension,
        width=clean.width,
        height=clean.height,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def prepare_photos(photos: Sequence[UploadedPhoto]) -> list[PreparedPhoto]:
    if len(photos) > MAX_PHOTOS:
        raise RuleViolation(
            ngettext(
                "Paling banyak %(max)d foto untuk satu aspirasi.",
                "Paling banyak %(max)d foto untuk satu aspirasi.",
                MAX_PHOTOS,
            )
            % {"max": MAX_PHOTOS},
            code="too_many_photos",
        )
    return [prepare_photo(name, content) for name, content in photos]


def write_photo_files(
    aspiration: Aspiration | None,
    prepared: Sequence[PreparedPhoto],
    *,
    stored_files: list[str],
    by_reporter: bool = True,
) -> list[Photo]:
    """Write the files and return their rows, not yet saved (`aspiration` may itself be unsaved — its key
    is filled in when the rows are written — or None, for the caller to set inside its transaction).
    Runs before the transaction, so that writing megabytes does not hold the database's write lock.
    Each file's name is appended to `stored_files` as soon as it is written, so a failed transaction
    can remove them (`discard_files`)."""
    from sinergi.aspirations.models import Photo

    rows = []
    for photo in prepared:
        uid = uuid.uuid4()
        row = Photo(
            uid=uid,
            aspiration=aspiration,
            content_type=photo.content_type,
            width=photo.width,
            height=photo.height,
            size_bytes=len(photo.content),
            sha256=photo.sha256,
            added_by_reporter=by_reporter,
        )
        row.image.save(f"{uid.hex}.{photo.extension}", ContentFile(photo.content), save=False)
        stored_files.append(row.image.name)
        rows.append(row)
    return rows


def discard_files(names: Sequence[str]) -> None:
    for name in names:
        with contextlib.suppress(OSError):
            default_storage.delete(name)


# --- photos waiting between the web form's preview and its final submit ---------------------------


def pending_folder(token: str) -> str:
    """The storage folder of one form's waiting photos. Anything but a form token is refused, so a
    crafted token can never point outside PENDING_DIR."""
    if not PENDING_TOKEN.fullmatch(token):
        raise ValueError("not a form token")
    return f"{PENDING_DIR}/{token}"


@dataclass(frozen=True)
class PendingPurge:
    folders: int = 0
    files: int = 0


def _modified(storage: Storage, name: str) -> dt.datetime | None:
    try:
        return storage.get_modified_time(name)
    except (OSError, NotImplementedError):
        return None  # gone meanwhile, or a storage that cannot tell


def _is_own_folder(storage: Storage, folder: str) -> bool:
    """On a file system, a symbolic link under PENDING_DIR is not ours to empty (it may point anywhere)."""
    try:
        root, path = storage.path(PENDING_DIR), storage.path(folder)
    except NotImplementedError:
        return True  # object storages have no links; the name check already keeps us inside PENDING_DIR
    if os.path.islink(path):
        return False
    return os.path.dirname(os.path.realpath(path)) == os.path.realpath(root)


def purge_pending_photos(*, older_than: dt.timedelta = PENDING_MAX_AGE, now: dt.datetime | None = None) -> PendingPurge:
    """Delete waiting photos older than `older_than`, and their folder once it holds nothing newer.

    Idempotent, and touches nothing outside PENDING_DIR: only folders named like a form token are read,
    and only files are deleted (a folder is removed only when it is empty). Each file is judged by its own
    age, so a visitor who re-uploads while the purge runs keeps the new files."""
    storage = default_storage
    cutoff = (now or timezone.now()) - older_than
    try:
        folders, _files = storage.listdir(PENDING_DIR)
    except (OSError, NotImplementedError):
        return PendingPurge()  # no photo has waited yet
    removed_folders = removed_files = 0
    for token in sorted(folders):
        if not PENDING_TOKEN.fullmatch(token):
            continue
        folder = pending_folder(token)
        if not _is_own_folder(storage, folder):
            continue
        try:
            subfolders, names = storage.listdir(folder)
        except (OSError, NotImplementedError):
            continue
        stale = []
        for name in names:
            modified = _modified(storage, f"{folder}/{name}")
            if modified is not None and modified < cutoff:
                stale.append(name)
        folder_modified = _modified(storage, folder) if not names else None
        for name in stale:
            try:
                storage.delete(f"{folder}/{name}")
            except OSError:
                continue
            removed_files += 1
        all_stale = len(stale) == len(names) and not subfolders
        if all_stale and (names or (folder_modified is not None and folder_modified < cutoff)):
            try:
                storage.delete(folder)  # FileSystemStorage removes an empty folder (and refuses a full one)
            except OSError:
                continue
            removed_folders += 1
    return PendingPurge(folders=removed_folders, files=removed_files)


@task()
def purge_pending_photos_task(older_than_hours: int = 24) -> dict[str, int]:
    """The scheduled job (django-tasks), for deployments that schedule tasks instead of cron."""
    run = purge_pending_photos(older_than=dt.timedelta(hours=older_than_hours))
    return {"folders": run.folders, "files": run.files}


_sweep_lock = threading.Lock()
_next_sweep_at = 0.0


def sweep_pending_photos() -> PendingPurge | None:
    """The purge, at most once every SWEEP_INTERVAL_SECONDS per process: the intake view calls it whenever
    photos start waiting, so a site without the cron job still forgets abandoned photos. It never fails
    the visitor's request."""
    global _next_sweep_at
    if time.monotonic() < _next_sweep_at or not _sweep_lock.acquire(blocking=False):
        return None
    try:
        if time.monotonic() < _next_sweep_at:
            return None
        _next_sweep_at = time.monotonic() + SWEEP_INTERVAL_SECONDS
        try:
            return purge_pending_photos()
        except Exception:  # an opportunistic clean-up; cron does it properly
            logger.exception("sweeping pending aspiration photos failed")
            return None
    finally:
        _sweep_lock.release()
