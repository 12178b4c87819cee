"""Lifecycles of reses, pokir items and Musrenbang proposals (explicit transition tables).

Pokir (Permendagri 86/2017 Pasal 178, entered in SIPD-RI): diusulkan → diverifikasi Setwan → divalidasi
Bappeda → masuk RKPD → dianggarkan → terealisasi, or ditolak (with reason) from any state that is not final.
Musrenbang proposals: diusulkan → disepakati → diteruskan ke tingkat berikutnya (kelurahan, kecamatan) or
masuk RKPD (kota), or ditolak (with reason).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResesStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    HELD = "held", _("Dilaksanakan")
    REPORTED = "reported", _("Dilaporkan")


RESES_TRANSITIONS: dict[str, frozenset[str]] = {
    ResesStatus.PLANNED: frozenset({ResesStatus.HELD}),
    ResesStatus.HELD: frozenset({ResesStatus.REPORTED}),
    ResesStatus.REPORTED: frozenset(),
}


class PokirStatus(models.TextChoices):
    PROPOSED = "proposed", _("Diusulkan")
    VERIFIED = "verified_by_secretariat", _("Diverifikasi Setwan")
    VALIDATED = "validated_by_bappeda", _("Divalidasi Bappeda")
    IN_RKPD = "in_rkpd", _("Masuk RKPD")
    BUDGETED = "budgeted", _("Dianggarkan")
    REALISED = "realised", _("Terealisasi")
    REJECTED = "rejected", _("Ditolak")


P = PokirStatus
POKIR_FORWARD: dict[str, str] = {
    P.PROPOSED: P.VERIFIED,
    P.VERIFIED: P.VALIDATED,
    P.VALIDATED: P.IN_RKPD,
    P.IN_RKPD: P.BUDGETED,
    P.BUDGETED: P.REALISED,
}
POKIR_FINAL = frozenset({P.REALISED, P.REJECTED})
POKIR_TRANSITIONS: dict[str, frozenset[str]] = {
    status: frozenset({POKIR_FORWARD[status], P.REJECTED}) if status in POKIR_FORWARD else frozenset() for status in P
}


class MusrenbangLevel(models.TextChoices):
    KELURAHAN = "kelurahan", _("Musrenbang Kelurahan")
    KECAMATAN = "kecamatan", _("Musrenbang Kecamatan")
    KOTA = "kota", _("Musrenbang RKPD Kota")


NEXT_LEVEL: dict[str, str] = {
    MusrenbangLevel.KELURAHAN: MusrenbangLevel.KECAMATAN,
    MusrenbangLevel.KECAMATAN: MusrenbangLevel.KOTA,
}


class MusrenbangStatus(models.TextChoices):
    OPEN = "open", _("Berlangsung")
    CLOSED = "closed", _("Ditutup (berita acara ditetapkan)")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Diusulkan")
    AGREED = "agreed", _("Disepakati")
    FORWARDED = "forwarded", _("Diteruskan ke tingkat berikutnya")
    IN_RKPD = "in_rkpd", _("Masuk RKPD")
    REJECTED = "rejected", _("Ditolak")


Q = ProposalStatus
PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    Q.PROPOSED: frozenset({Q.AGREED, Q.REJECTED}),
    Q.AGREED: frozenset({Q.FORWARDED, Q.IN_RKPD, Q.REJECTED}),
    Q.FORWARDED: frozenset(),
    Q.IN_RKPD: frozenset(),
    Q.REJECTED: frozenset(),
}
