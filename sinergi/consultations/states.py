from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.opinion.engine import AGREE, DISAGREE, PASS


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    OPEN = "open", pgettext_lazy("consultation status", "Dibuka")
    CLOSED = "closed", _("Ditutup")


CONSULTATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ConsultationStatus.DRAFT: frozenset({ConsultationStatus.OPEN}),
    ConsultationStatus.OPEN: frozenset({ConsultationStatus.CLOSED}),
    ConsultationStatus.CLOSED: frozenset(),
}


class Audience(models.TextChoices):
    PUBLIC = "public", _("Publik — siapa saja, juga tanpa akun")
    VERIFIED = "verified", _("Warga terverifikasi")
    FORUM_MEMBERS = "forum_members", _("Anggota forum")


class StatementStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu moderasi")
    ACCEPTED = "accepted", pgettext_lazy("statement moderation status", "Diterima")
    REJECTED = "rejected", _("Ditolak")


STATEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    StatementStatus.PENDING: frozenset({StatementStatus.ACCEPTED, StatementStatus.REJECTED}),
    # A moderator may reverse a decision; the reversal is logged like the first.
    StatementStatus.ACCEPTED: frozenset({StatementStatus.REJECTED}),
    StatementStatus.REJECTED: frozenset({StatementStatus.ACCEPTED}),
}


class VoteValue(models.IntegerChoices):
    # Polis's export sign convention (agree = +1); the engine uses the same constants.
    AGREE = AGREE, pgettext_lazy("consultation vote", "Setuju")
    DISAGREE = DISAGREE, _("Tidak setuju")
    PASS = PASS, _("Lewati / tidak yakin")
