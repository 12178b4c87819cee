from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ForumStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    ACTIVE = "active", _("Aktif")
    CLOSED = "closed", _("Ditutup")


FORUM_TRANSITIONS: dict[str, frozenset[str]] = {
    ForumStatus.DRAFT: frozenset({ForumStatus.ACTIVE, ForumStatus.CLOSED}),
    ForumStatus.ACTIVE: frozenset({ForumStatus.CLOSED}),
    ForumStatus.CLOSED: frozenset(),
}


class ForumMemberStatus(models.TextChoices):
    INVITED = "invited", _("Diundang")
    APPLIED = "applied", _("Mengajukan diri")
    ACTIVE = "active", _("Anggota aktif")
    DECLINED = "declined", _("Menolak undangan")
    REJECTED = "rejected", _("Permohonan ditolak")
    LEFT = "left", pgettext_lazy("forum membership status", "Keluar")


FORUM_MEMBER_TRANSITIONS: dict[str, frozenset[str]] = {
    ForumMemberStatus.INVITED: frozenset({ForumMemberStatus.ACTIVE, ForumMemberStatus.DECLINED}),
    ForumMemberStatus.APPLIED: frozenset({ForumMemberStatus.ACTIVE, ForumMemberStatus.REJECTED}),
    ForumMemberStatus.ACTIVE: frozenset({ForumMemberStatus.LEFT}),
    ForumMemberStatus.DECLINED: frozenset({ForumMemberStatus.INVITED, ForumMemberStatus.APPLIED}),
    ForumMemberStatus.REJECTED: frozenset({ForumMemberStatus.INVITED, ForumMemberStatus.APPLIED}),
    ForumMemberStatus.LEFT: frozenset({ForumMemberStatus.INVITED, ForumMemberStatus.APPLIED}),
}
