"""Consultations (konsultasi publik) mapped with the opinion engine (sinergi.opinion.engine).

Row and column indices for the engine are assigned here, once, in creation order (`Participant.row_index`,
`Statement.column_index`), so warm starts can append to the previous vote matrix.
Individual votes are not public acts and are not in the public log (privacy, and millions of rows);
each published result is, with a digest of the votes it counts.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.consultations.states import Audience, ConsultationStatus, StatementStatus, VoteValue
from sinergi.core.models import PublicIdModel, TimeStampedModel

QUESTION_MAX = 500
STATEMENT_MAX = 280


class Consultation(PublicIdModel):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(_("judul"), max_length=200)
    question = models.TextField(_("pertanyaan"), max_length=QUESTION_MAX)
    description = models.TextField(_("latar belakang"), blank=True)
    # Opened by a public institution, or by a forum (whose convener is one): exactly one is set.
    organiser = models.ForeignKey(
        "actors.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("lembaga penyelenggara"),
    )
    forum = models.ForeignKey(
        "forums.Forum",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("forum"),
    )
    audience = models.CharField(
        _("siapa yang boleh ikut"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    status = models.CharField(
        max_length=10, choices=ConsultationStatus.choices, default=ConsultationStatus.DRAFT, db_index=True
    )
    opens_at = models.DateTimeField(_("dibuka"))
    closes_at = models.DateTimeField(_("ditutup"))
    accepts_statements = models.BooleanField(_("peserta boleh mengirim pernyataan"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Counter behind Vote.change_sequence (bumped with F() in the voting transaction).
    vote_sequence = models.BigIntegerField(default=0)
    # Set when a recompute is enqueued, cleared when the task starts: a vote enqueues another only when none is
    # pending (debounce), and votes that arrive while one runs enqueue the next.
    recompute_requested_at = models.DateTimeField(null=True, blank=True)
    imported_from = models.CharField(_("diimpor dari"), max_length=255, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-opens_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(organiser__isnull=False, forum__isnull=True)
                | models.Q(organiser__isnull=True, forum__isnull=False),
                name="consultation_has_one_host",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="consultation_closes_after_opening"
            ),
        ]
        verbose_name = _("konsultasi")
        verbose_name_plural = _("konsultasi")

    def __str__(self) -> str:
        return self.title


class Participant(TimeStampedModel):
    """One voter in one consultation: an account, or (public consultations) an anonymous browser
    identified by a random cookie whose hash is stored. Sector and kelurahan are declared by the
    participant (or taken from their organisation) and drive the cross-sector common ground."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="participants")
    row_index = models.PositiveIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    anonymous_key_hash = models.CharField(max_length=64, blank=True)
    sector = models.ForeignKey("actors.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(max_length=40, blank=True)  # Polis pid of an imported conversation

    class Meta:
        ordering: ClassVar[list[str]] = ["row_index"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["consultation", "row_index"], name="participant_row_unique"),
            models.UniqueConstraint(
                fields=["consultation", "user"], condition=models.Q(user__isnull=False), name="one_participant_per_user"
            ),
            models.UniqueConstraint(
                fields=["consultation", "anonymous_key_hash"],
                condition=~models.Q(anonymous_key_hash=""),
                name="one_participant_per_browser",
            ),
        ]

    def __str__(self) -> str:
        return f"peserta {self.row_index}"


class Statement(TimeStampedModel):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="statements")
    column_index = models.PositiveIntegerField()
    text = models.CharField(_("pernyataan"), max_length=STATEMENT_MAX)
    author = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements")
    is_seed = models.BooleanField(_("pernyataan awal"), default=False)
    is_meta = models.BooleanField(_("pernyataan meta"), default=False)
    status = models.CharField(
        max_length=10, choices=StatementStatus.choices, default=StatementStatus.PENDING, db_index=True
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.CharField(_("alasan moderasi"), max_length=255, blank=True)
    external_id = models.CharField(max_length=40, blank=True)  # Polis comment-id

    class Meta:
        ordering: ClassVar[list[str]] = ["column_index"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["consultation", "column_index"], name="statement_column_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    """One row per participant and statement: voting again replaces the value (the latest counts)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    voted_at = models.DateTimeField()
    # Bumped from a per-consultation counter on every insert or change, so "votes since the last result"
    # is one indexed range read even when an old row is updated.
    change_sequence = models.BigIntegerField(db_index=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["participant", "statement"], name="one_vote_per_statement"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["consultation", "change_sequence"], name="vote_consultation_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}→{self.statement_id}: {self.value}"


class ConsultationResult(models.Model):
    """The latest computed opinion map of a consultation (one row, replaced by each recompute).

    `summary` is what pages and the API render (JSON: groups, positions, representative statements,
    consensus, common ground, participation); `engine_state` is the pickled `EngineState` for the next
    warm start. `votes_digest` is SHA-256 over the counted votes, also written to the public log.
    """

    consultation = models.OneToOneField(Consultation, on_delete=models.CASCADE, related_name="result")
    computed_at = models.DateTimeField()
    change_sequence = models.BigIntegerField(default=0)
    participant_count = models.PositiveIntegerField(default=0)
    vote_count = models.PositiveIntegerField(default=0)
    group_count = models.PositiveSmallIntegerField(default=0)
    summary = models.JSONField(default=dict)
    engine_state = models.BinaryField(null=True, blank=True)
    votes_digest = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"hasil {self.consultation_id}"
