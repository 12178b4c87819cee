from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.ledger.encoding import canonical_json, entry_document, leaf_hash


class AppendOnlyError(Exception):
    pass


class LedgerEntry(models.Model):
    """One public act, append-only.

    - `sequence`: position in the log, 1-based and gap-free (also the Merkle leaf index + 1).
    - `actor`: public handle of who acted ("person:<uid>", "system"); never a citizen's identity.
    - `actor_label`: the display name shown with it (an official's name or an organisation).
    - `subject_type`/`subject_id`: the record the act changed ("forum", slug or uid).
    - `payload`: the public facts of the act (old/new values), canonical-JSON encodable.
    - `previous_hash`/`entry_hash`: the chain; `entry_hash` is the RFC 9162 leaf hash of the
      canonical document, which includes `previous_hash`.
    Rows are never updated or deleted: the model refuses, and database triggers refuse too.
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    recorded_at = models.DateTimeField(db_index=True)
    event_type = models.CharField(max_length=64, db_index=True)
    actor = models.CharField(max_length=80)
    actor_label = models.CharField(max_length=200, blank=True)
    subject_type = models.CharField(max_length=40)
    subject_id = models.CharField(max_length=80)
    payload = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-sequence"]
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["subject_type", "subject_id", "sequence"])]
        verbose_name = _("entri log publik")
        verbose_name_plural = _("log publik")

    def __str__(self) -> str:
        return f"#{self.sequence} {self.event_type} {self.subject_type}:{self.subject_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("log entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("log entries cannot be deleted")

    def document(self) -> dict[str, Any]:
        return entry_document(
            sequence=self.sequence,
            recorded_at=self.recorded_at,
            event_type=self.event_type,
            actor=self.actor,
            subject_type=self.subject_type,
            subject_id=self.subject_id,
            payload=self.payload,
            previous_hash=self.previous_hash,
        )

    def canonical_bytes(self) -> bytes:
        return canonical_json(self.document())

    def computed_hash(self) -> str:
        return leaf_hash(self.canonical_bytes())

    @property
    def actor_display(self) -> str:
        """Who acted, as shown: the platform itself in the reader's language (the stored label is the
        language of the moment it acted), anyone else by their stored label."""
        if self.actor == "system":
            return str(_("Sistem"))
        return self.actor_label or self.actor

    @property
    def label(self) -> str:
        from sinergi.ledger.events import LedgerEvent

        try:
            return str(LedgerEvent(self.event_type).label)
        except ValueError:
            return self.event_type
