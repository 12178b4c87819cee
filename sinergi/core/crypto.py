"""Encryption of personal data at rest (UU 27/2022 PDP): NIK, phone numbers, e-mail addresses.

* **AEAD**: AES-256-GCM from `cryptography`. A sealed value is ``key_id (1 byte) ‖ nonce (12) ‖ ciphertext+tag``;
  the *purpose* ("nik", "phone", ...) is the associated data, so a ciphertext copied into another column
  fails to open instead of silently meaning something else.
* **Blind index**: HMAC-SHA256 of the normalised value under a key derived for that purpose, so a look-up
  ("has this phone already supported this aspiration?") needs no decryption and a dump reveals nothing.
* **Keys** come from the environment: ``SINERGI_DATA_KEYS`` = comma-separated ``id:base64url(32 bytes)``;
  the first is used to seal, all are tried to open (rotation: add a new first key, re-seal, drop the old).
  Without it the demo and the tests derive one key from ``SECRET_KEY`` (HKDF) — production refuses that
  (``SINERGI_ALLOW_INSECURE_KEY`` false and DEBUG off).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

NONCE_BYTES = 12
SERIALISED_PREFIX = "sealed:"


class UnreadableCiphertext(Exception):
    """A stored value that no configured key opens (wrong key, tampered row, wrong column)."""


def _hkdf(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"sinergi-sakti", info=info).derive(secret)


@cache
def _keys() -> tuple[tuple[int, bytes], ...]:
    configured = os.environ.get("SINERGI_DATA_KEYS", "").strip()
    if configured:
        keys = []
        for part in configured.split(","):
            key_id, _, encoded = part.strip().partition(":")
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            if not key_id.isdigit() or not 0 <= int(key_id) <= 255 or len(raw) != 32:
                raise ImproperlyConfigured("SINERGI_DATA_KEYS: each key is `id:base64url(32 bytes)`, id 0–255")
            keys.append((int(key_id), raw))
        return tuple(keys)
    insecure_allowed = settings.DEBUG or os.environ.get("SINERGI_ALLOW_INSECURE_KEY", "true").lower() in {
        "1",
        "true",
        "yes",
        "on",
    }
    if not insecure_allowed:
        raise ImproperlyConfigured("SINERGI_DATA_KEYS must be set in production")
    return ((0, _hkdf(settings.SECRET_KEY.encode(), b"data-key-demo")),)


def reset_key_cache() -> None:
    """For tests that change the keys."""
    _keys.cache_clear()
    _index_key.cache_clear()


@cache
def _index_key(purpose: str) -> bytes:
    # Derived from the *first* key; rotating it means re-indexing (a management command's job).
    return _hkdf(_keys()[0][1], b"blind-index:" + purpose.encode())


def seal(plaintext: str, *, purpose: str) -> bytes:
    key_id, key = _keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    return bytes([key_id]) + nonce + AESGCM(key).encrypt(nonce, plaintext.encode(), purpose.encode())


def unseal(blob: bytes, *, purpose: str) -> str:
    blob = bytes(blob)
    if len(blob) < 1 + NONCE_BYTES + 16:
        raise UnreadableCiphertext("too short")
    key_id, nonce, body = blob[0], blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    for candidate_id, key in _keys():
        if candidate_id == key_id:
            try:
                return AESGCM(key).decrypt(nonce, body, purpose.encode()).decode()
            except InvalidTag as exc:
                raise UnreadableCiphertext("authentication failed") from exc
    raise UnreadableCiphertext(f"no key with id {key_id}")


def blind_index(value: str, *, purpose: str) -> str:
    """Hex HMAC of an already-normalised value (E.164 phone, 16-digit NIK, lower-cased e-mail)."""
    return hmac.new(_index_key(purpose), value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.BinaryField):
    """A text column stored sealed; Python code sees the plain string (or None).

    Not filterable by value (every seal uses a fresh nonce): keep a blind index beside it for look-ups.
    """

    def __init__(self, *args: Any, purpose: str, **kwargs: Any) -> None:
        self.purpose = purpose
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        return unseal(bytes(value), purpose=self.purpose)

    def to_python(self, value: Any) -> Any:
        # A serialised (dumpdata) value comes back sealed; anything else is the plain string.
        if isinstance(value, str) and value.startswith(SERIALISED_PREFIX):
            return base64.b64decode(value[len(SERIALISED_PREFIX) :].encode("ascii"))
        return value

    def value_to_string(self, obj: Any) -> str:
        """Fixtures and dumps carry the sealed bytes (freshly sealed), never the plain value."""
        value = self.value_from_object(obj)
        if value is None or value == "":
            return ""
        sealed = value if isinstance(value, (bytes, bytearray, memoryview)) else seal(str(value), purpose=self.purpose)
        return SERIALISED_PREFIX + base64.b64encode(bytes(sealed)).decode("ascii")

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, (bytes, bytearray, memoryview)):
            return super().get_db_prep_value(value, connection, prepared)
        return super().get_db_prep_value(seal(str(value), purpose=self.purpose), connection, prepared)
