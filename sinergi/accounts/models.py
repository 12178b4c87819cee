import hashlib
import secrets
import uuid
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. Public identity lives on `actors.Person` (one per user, created with it)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("alamat email"), blank=True)

    @property
    def public_handle(self) -> str:
        person = getattr(self, "person", None)
        return f"person:{person.uid}" if person else f"user:{self.uid}"

    @property
    def display_name(self) -> str:
        person = getattr(self, "person", None)
        if person:
            return person.display_name
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A per-user API token. Only a hash is stored; the secret is shown once at creation."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nama"), max_length=80)
    prefix = models.CharField(max_length=PREFIX_LENGTH, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate_key() -> str:
        return "ss_" + secrets.token_urlsafe(32)
