"""The aspiration lifecycle, mapped to SP4N-LAPOR! (PermenPANRB 62/2018).

received (diterima) → verified (terverifikasi) | needs_information (perlu informasi) |
out_of_scope (bukan kewenangan) | archived (diarsipkan); verified → dispositioned (didisposisikan, to an
OPD or a DPRD komisi) → in_progress (ditindaklanjuti) → resolved (selesai) | rejected (ditolak, with
reason). A resolved case may be reopened by its reporter within `REOPEN_WORKING_DAYS`; duplicates end as
merged (digabung) into the case that carries on.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AspirationStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    NEEDS_INFORMATION = "needs_information", _("Perlu informasi")
    VERIFIED = "verified", _("Terverifikasi")
    OUT_OF_SCOPE = "out_of_scope", _("Bukan kewenangan")
    ARCHIVED = "archived", _("Diarsipkan")
    DISPOSITIONED = "dispositioned", _("Didisposisikan")
    IN_PROGRESS = "in_progress", _("Ditindaklanjuti")
    RESOLVED = "resolved", pgettext_lazy("aspiration status", "Selesai")
    REJECTED = "rejected", _("Ditolak")
    MERGED = "merged", _("Digabung")


S = AspirationStatus

ASPIRATION_TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.VERIFIED, S.NEEDS_INFORMATION, S.OUT_OF_SCOPE, S.ARCHIVED, S.MERGED}),
    # The reporter's added information brings it back to the verification desk.
    S.NEEDS_INFORMATION: frozenset({S.RECEIVED, S.ARCHIVED, S.MERGED}),
    S.VERIFIED: frozenset({S.DISPOSITIONED, S.MERGED}),
    # Re-disposition (the OPD returns it as not theirs, or the coordinator moves it) stays dispositioned.
    S.DISPOSITIONED: frozenset({S.DISPOSITIONED, S.IN_PROGRESS, S.REJECTED, S.MERGED}),
    S.IN_PROGRESS: frozenset({S.RESOLVED, S.REJECTED, S.MERGED}),
    S.RESOLVED: frozenset({S.IN_PROGRESS}),  # reopened by the reporter within the window
    S.REJECTED: frozenset(),
    S.OUT_OF_SCOPE: frozenset(),
    S.ARCHIVED: frozenset(),
    S.MERGED: frozenset(),
}

OPEN_STATUSES = frozenset({S.RECEIVED, S.NEEDS_INFORMATION, S.VERIFIED, S.DISPOSITIONED, S.IN_PROGRESS})
CLOSED_STATUSES = frozenset(set(S) - OPEN_STATUSES)
# Working days after resolution in which the reporter may reopen (configurable in settings).
REOPEN_WORKING_DAYS = 10


class AspirationKind(models.TextChoices):
    ASPIRASI = "aspirasi", _("Aspirasi (usulan)")
    PENGADUAN = "pengaduan", _("Pengaduan")
    PERMINTAAN_INFORMASI = "permintaan_informasi", _("Permintaan informasi publik")


class Privacy(models.TextChoices):
    PUBLIC = "public", _("Publik — nama dan isi tampil")
    ANONYMOUS = "anonymous", _("Anonim — identitas disembunyikan dari publik dan OPD")
    CONFIDENTIAL = "confidential", _("Rahasia — isi disembunyikan dari publik")


class Channel(models.TextChoices):
    WEB = "web", _("Formulir web")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    RESES = "reses", _("Reses DPRD")
    ASSISTED = "assisted", _("Dibantu petugas (loket kelurahan)")


class OverdueStage(models.TextChoices):
    NONE = "", _("Tepat waktu")
    VERIFY = "verify", _("Terlambat verifikasi")
    FIRST_RESPONSE = "first_response", _("Terlambat tanggapan pertama")
    COMPLETION = "completion", _("Terlambat penyelesaian")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Disampaikan")
    STATUS = "status", _("Perubahan status")
    RESPONSE = "response", _("Tanggapan")
    INFORMATION_ADDED = "information_added", _("Informasi tambahan dari pelapor")
    ROUTING_CORRECTED = "routing_corrected", _("Kategori/OPD dikoreksi")
    OVERDUE = "overdue", _("Melewati tenggat")
    ESCALATED = "escalated", _("Dieskalasi")
    CONFIRMED = "confirmed", _("Dikonfirmasi pelapor")
    RATED = "rated", _("Dinilai pelapor")
    REOPENED = "reopened", _("Dibuka kembali")
    MERGED = "merged", _("Digabung")
    PLANNING = "planning", _("Masuk perencanaan")
