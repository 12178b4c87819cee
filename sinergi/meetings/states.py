from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Dijadwalkan")
    AGENDA_PUBLISHED = "agenda_published", _("Agenda diumumkan")
    IN_SESSION = "in_session", _("Sedang berlangsung")
    CLOSED = "closed", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.SCHEDULED: frozenset({MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.CANCELLED}),
    MeetingStatus.AGENDA_PUBLISHED: frozenset({MeetingStatus.IN_SESSION, MeetingStatus.CANCELLED}),
    MeetingStatus.IN_SESSION: frozenset({MeetingStatus.CLOSED}),
    MeetingStatus.CLOSED: frozenset(),
    MeetingStatus.CANCELLED: frozenset(),
}


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    IN_REVIEW = "in_review", _("Ditinjau anggota")
    APPROVED = "approved", _("Disahkan")


MINUTES_TRANSITIONS: dict[str, frozenset[str]] = {
    MinutesStatus.DRAFT: frozenset({MinutesStatus.IN_REVIEW}),
    MinutesStatus.IN_REVIEW: frozenset({MinutesStatus.DRAFT, MinutesStatus.APPROVED}),
    MinutesStatus.APPROVED: frozenset(),
}
