"""Aspiration categories in the database, loaded from the routing data so the form, Open311 and the
routing model share one list (`routing/data/categories.json`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_noop

from sinergi.aspirations.models import Category
from sinergi.aspirations.routing import load_categories
from sinergi.ledger.events import LedgerEvent
from sinergi.ledger.services import ledger_record

# How the form groups the categories (optgroups); the routing data has no grouping of its own.
GROUPS: dict[str, str] = {
    "jalan_jembatan": gettext_noop("Infrastruktur"),
    "drainase_banjir": gettext_noop("Infrastruktur"),
    "air_bersih": gettext_noop("Infrastruktur"),
    "penerangan_jalan": gettext_noop("Infrastruktur"),
    "perumahan_permukiman": gettext_noop("Infrastruktur"),
    "lalu_lintas_parkir": gettext_noop("Infrastruktur"),
    "kebersihan_lingkungan": gettext_noop("Lingkungan dan kebencanaan"),
    "kebencanaan": gettext_noop("Lingkungan dan kebencanaan"),
    "ketertiban_umum": gettext_noop("Lingkungan dan kebencanaan"),
    "pendidikan": gettext_noop("Sosial dan kesehatan"),
    "kesehatan": gettext_noop("Sosial dan kesehatan"),
    "rumah_sakit": gettext_noop("Sosial dan kesehatan"),
    "bantuan_sosial": gettext_noop("Sosial dan kesehatan"),
    "perempuan_anak_kb": gettext_noop("Sosial dan kesehatan"),
    "kepemudaan_olahraga": gettext_noop("Sosial dan kesehatan"),
    "pasar_perdagangan": gettext_noop("Ekonomi"),
    "umkm_koperasi": gettext_noop("Ekonomi"),
    "pertanian_pangan_hewan": gettext_noop("Ekonomi"),
    "perizinan_ketenagakerjaan": gettext_noop("Ekonomi"),
    "pariwisata_budaya": gettext_noop("Ekonomi"),
    "kependudukan": gettext_noop("Pemerintahan dan layanan"),
    "perpustakaan_arsip": gettext_noop("Pemerintahan dan layanan"),
    "kominfo_informasi": gettext_noop("Pemerintahan dan layanan"),
    "integritas_aparatur": gettext_noop("Pemerintahan dan layanan"),
    "pajak_keuangan_daerah": gettext_noop("Pemerintahan dan layanan"),
}
OTHER_GROUP = gettext_noop("Lainnya")


@transaction.atomic
def aspiration_categories_load(*, actor: Any = None) -> dict[str, int]:
    """Create or update one `Category` per shipped category. Idempotent: a second run changes nothing
    and writes no log entry. OPD and komisi are linked when those organisations are loaded."""
    from sinergi.actors.models import Organisation

    shipped = load_categories()
    slugs = {c.opd for c in shipped} | {c.komisi for c in shipped}
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    existing = {c.slug: c for c in Category.objects.filter(slug__in=[c.slug for c in shipped])}
    counts = {"created": 0, "updated": 0}
    for order, item in enumerate(shipped):
        desired: dict[str, Any] = {
            "name": item.label,
            "group": GROUPS.get(item.slug, OTHER_GROUP),
            "keywords": list(item.keywords),
            "order": order,
            "default_organisation_id": getattr(organisations.get(item.opd), "pk", None),
            "default_komisi_id": getattr(organisations.get(item.komisi), "pk", None),
        }
        row = existing.get(item.slug)
        if row is None:
            Category.objects.create(slug=item.slug, **desired)
            counts["created"] += 1
            continue
        changed = [name for name, value in desired.items() if getattr(row, name) != value]
        if changed:
            for name in changed:
                setattr(row, name, desired[name])
            row.save(update_fields=changed)
            counts["updated"] += 1
    if any(counts.values()):
        ledger_record(
            event=LedgerEvent.REFERENCE_DATA_LOADED,
            actor=actor,
            subject_type="platform",
            subject_id="aspiration-categories",
            data=counts,
        )
    return counts
