"""Event types of the public log, numbered in blocks per area (as Zulip's audit log).

`actor` is whoever performed the act (a public handle, never personal data of a citizen);
`subject` is the record the act changed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerEvent(models.TextChoices):
    # 1xx actors
    ORGANISATION_CREATED = "organisation.created", _("Organisasi didaftarkan")
    ORGANISATION_UPDATED = "organisation.updated", _("Organisasi diubah")
    ORGANISATION_ALIAS_ADDED = "organisation.alias_added", _("Nama lain organisasi dicatat")
    PERSON_CREATED = "person.created", _("Orang didaftarkan")
    PERSON_UPDATED = "person.updated", _("Profil diubah")
    MEMBERSHIP_STARTED = "membership.started", _("Keanggotaan organisasi dimulai")
    MEMBERSHIP_ENDED = "membership.ended", _("Keanggotaan organisasi berakhir")
    SECTOR_CREATED = "sector.created", _("Sektor ditambahkan")
    # 2xx forums
    FORUM_CONVENED = "forum.convened", _("Forum dibentuk")
    FORUM_CHARTER_UPDATED = "forum.charter_updated", _("Piagam forum diubah")
    FORUM_ACTIVATED = "forum.activated", _("Forum diaktifkan")
    FORUM_CLOSED = "forum.closed", _("Forum ditutup")
    FORUM_MEMBER_INVITED = "forum.member_invited", _("Anggota diundang")
    FORUM_MEMBER_APPLIED = "forum.member_applied", _("Permohonan keanggotaan")
    FORUM_MEMBER_JOINED = "forum.member_joined", _("Anggota bergabung")
    FORUM_MEMBER_DECLINED = "forum.member_declined", _("Keanggotaan ditolak")
    FORUM_MEMBER_LEFT = "forum.member_left", _("Anggota keluar")
    FORUM_MEMBER_ROLE_CHANGED = "forum.member_role_changed", _("Peran anggota diubah")
    FORUM_POLICY_OBJECT_LINKED = "forum.policy_object_linked", _("Fokus kebijakan forum ditautkan")
    POLICY_OBJECT_CREATED = "policy.object_created", _("Objek kebijakan didaftarkan")
    # 3xx meetings
    MEETING_SCHEDULED = "meeting.scheduled", _("Rapat dijadwalkan")
    MEETING_SERIES_CREATED = "meeting.series_created", _("Jadwal rapat berulang dibuat")
    MEETING_RESCHEDULED = "meeting.rescheduled", _("Rapat dijadwal ulang")
    MEETING_CANCELLED = "meeting.cancelled", _("Rapat dibatalkan")
    MEETING_AGENDA_ITEM_ADDED = "meeting.agenda_item_added", _("Acara ditambahkan")
    MEETING_AGENDA_PUBLISHED = "meeting.agenda_published", _("Agenda diumumkan")
    MEETING_INVITATIONS_SENT = "meeting.invitations_sent", _("Undangan dikirim")
    MEETING_OPENED = "meeting.opened", _("Rapat dibuka")
    MEETING_ATTENDANCE_RECORDED = "meeting.attendance_recorded", _("Kehadiran dicatat")
    MEETING_CLOSED = "meeting.closed", _("Rapat ditutup")
    MEETING_ITEM_OUTCOME_RECORDED = "meeting.item_outcome_recorded", _("Hasil acara dicatat")
    MINUTES_DRAFTED = "minutes.drafted", _("Notulen disusun")
    MINUTES_SUBMITTED = "minutes.submitted_for_review", _("Notulen diajukan untuk ditinjau")
    MINUTES_REVIEWED = "minutes.reviewed", _("Notulen ditinjau")
    MINUTES_APPROVED = "minutes.approved", _("Notulen disahkan")
    MEETING_INVITATION_RESPONDED = "meeting.invitation_responded", _("Undangan rapat dijawab")
    MINUTES_UPDATED = "minutes.updated", _("Notulen diubah")
    MINUTES_RETURNED_TO_DRAFT = "minutes.returned_to_draft", _("Notulen dikembalikan ke draf")
    # 9xx platform
    REGION_IMPORTED = "region.imported", _("Wilayah dimuat")
    REFERENCE_DATA_LOADED = "platform.reference_data_loaded", _("Data rujukan dimuat")
