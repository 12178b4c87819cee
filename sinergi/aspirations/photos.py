"""Photos attached to an aspiration: checked by content, re-encoded without metadata, then stored.

`prepare_photos` runs before any write (it may refuse); `store_photos` writes the prepared bytes to
`default_storage` and creates the `Photo` rows inside the intake transaction. The file name and the
declared content type are never trusted: Pillow decides what the bytes are.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import uuid
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
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
            _("Paling banyak %(max)d foto untuk satu aspirasi.") % {"max": MAX_PHOTOS}, code="too_many_photos"
        )
    return [prepare_photo(name, content) for name, content in photos]


def store_photos(
    aspiration: Aspiration,
    prepared: Sequence[PreparedPhoto],
    *,
    stored_files: list[str],
    by_reporter: bool = True,
) -> list[Photo]:
    """Write the files and the rows; the caller's transaction covers the rows. Each file's name is
    appended to `stored_files` as soon as it is written, so a failed transaction can remove them
    (`discard_files`)."""
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
        row.save()
        rows.append(row)
    return rows


def discard_files(names: Sequence[str]) -> None:
    for name in names:
        with contextlib.suppress(OSError):
            default_storage.delete(name)
