from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import PublicIdModel


class PolicyObjectKind(models.TextChoices):
    PROGRAM = "program", _("Program/kegiatan/sub-kegiatan")
    REGULATION = "regulation", _("Rancangan peraturan (Perda/Perwali)")
    ASSET = "asset", _("Aset publik")
    BUDGET_ITEM = "budget_item", _("Pos anggaran")
    PUBLIC_SERVICE = "public_service", _("Layanan publik")


class PolicyObject(PublicIdModel):
    """What a forum, proposal or decision is about (criterion C6): a programme or sub-activity
    code, a draft regulation, a public asset or a budget item."""

    kind = models.CharField(max_length=20, choices=PolicyObjectKind.choices)
    code = models.CharField(_("kode"), max_length=60, blank=True, help_text=_("mis. 1.03.02.2.01.0001"))
    title = models.CharField(_("judul"), max_length=255)
    description = models.TextField(_("keterangan"), blank=True)
    responsible_organisation = models.ForeignKey(
        "actors.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="policy_objects"
    )

    class Meta:
        ordering: ClassVar[list[str]] = ["kind", "code", "title"]
        verbose_name = _("objek kebijakan")
        verbose_name_plural = _("objek kebijakan")

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()
