from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINSI = 1, _("Provinsi")
    KABUPATEN_KOTA = 2, _("Kabupaten/Kota")
    KECAMATAN = 3, _("Kecamatan")
    DESA_KELURAHAN = 4, _("Desa/Kelurahan")


class Region(models.Model):
    """A Kemendagri administrative region, keyed by its dotted code (e.g. 35.72.03.1007).

    `kind` refines the level (kota vs kabupaten, kelurahan vs desa) as the code says it.
    `boundary` is a GeoJSON geometry (WGS84, [lng, lat]) where one is shipped.
    """

    code = models.CharField(max_length=13, primary_key=True)
    name = models.CharField(max_length=120)
    level = models.PositiveSmallIntegerField(choices=RegionLevel.choices, db_index=True)
    kind = models.CharField(max_length=20)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    postal_code = models.CharField(max_length=5, blank=True)
    bps_code = models.CharField(max_length=10, blank=True)
    centroid_lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    centroid_lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    boundary = models.JSONField(null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    area_km2 = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        prefix = self.get_kind_display_id()
        # Kemendagri already names kab/kota in full ("Kota Blitar", "Kabupaten Blitar").
        if not prefix or self.name.startswith(prefix + " "):
            return self.name
        return f"{prefix} {self.name}"

    def get_kind_display_id(self) -> str:
        return {
            "provinsi": "Provinsi",
            "kota": "Kota",
            "kabupaten": "Kabupaten",
            "kecamatan": "Kecamatan",
            "kelurahan": "Kelurahan",
            "desa": "Desa",
        }.get(self.kind, "")

    @property
    def code_compact(self) -> str:
        return self.code.replace(".", "")


class RegionAlias(models.Model):
    """Other spellings people type ("Kepanjen Kidul") for normalising input."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=120, db_index=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["region", "name"], name="unique_region_alias")
        ]

    def __str__(self) -> str:
        return self.name
