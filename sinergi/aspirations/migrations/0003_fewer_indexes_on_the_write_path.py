"""Fewer indexes written by every submission.

Single-column indexes that a composite index already leads with, the index on `kind` (three values), and
indexes on foreign keys that are never looked up from this side are dropped; mostly-empty foreign keys get
partial indexes instead. The field changes are recorded in the state only: on SQLite, AlterField would
rebuild the table twelve times and lose the similarity index that 0002 created with plain SQL, so the
database side is plain DROP INDEX (PostgreSQL's `_like` twins included).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


DROPPED = {
    "aspirations_aspiration": {
        "aspirations_aspiration_kind_916596ec": "kind",
        "aspirations_aspiration_category_id_fc49deba": "category_id",
        "aspirations_aspiration_region_id_d524a9af": "region_id",
        "aspirations_aspiration_assigned_organisation_id_18150bba": "assigned_organisation_id",
        "aspirations_aspiration_reporter_id_cf4c66c3": "reporter_id",
        "aspirations_aspiration_submitted_by_id_9cb889c8": "submitted_by_id",
        "aspirations_aspiration_suggested_category_id_c5b41ba4": "suggested_category_id",
        "aspirations_aspiration_suggested_organisation_id_b81db3d1": "suggested_organisation_id",
        "aspirations_aspiration_merged_into_id_f0b0dfb0": "merged_into_id",
    },
    "aspirations_aspirationevent": {
        "aspirations_aspirationevent_actor_id_1f2e8f47": "actor_id",
        "aspirations_aspirationevent_organisation_id_d3757f94": "organisation_id",
        "aspirations_aspirationevent_ledger_entry_id_fd8f8954": "ledger_entry_id",
    },
}


def drop_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for indexes in DROPPED.values():
        for name in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name + '_like')}")


def recreate_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, indexes in DROPPED.items():
        for name, column in indexes.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} ({quote(column)})")


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0003_person_verified_at"),
        ("aspirations", "0002_similarity_index"),
        ("ledger", "0002_append_only_triggers"),
        ("regions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="aspiration",
                    name="assigned_organisation",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assigned_aspirations",
                        to="actors.organisation",
                        verbose_name="OPD/komisi tujuan",
                    ),
                ),
                migrations.AlterField(
                    model_name="aspiration",
                    name="category",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="aspirations",
                        to="aspirations.category",
                        verbose_name="kategori",
                    ),
                ),
                migrations.AlterField(
                    model_name="aspiration",
                    name="kind",
                    field=models.CharField(
                        choices=[
                            ("aspirasi", "Aspirasi (usulan)"),
                            ("pengaduan", "Pengaduan"),
                            ("permintaan_informasi", "Permintaan informasi publik"),
                        ],
                        max_length=24,
                        verbose_name="jenis",
                    ),
                ),
                migrations.AlterField(
                    model_name="aspiration",
                    name="merged_into",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="merged_cases",
                        to="aspirations.aspiration",
                    ),
                ),
                migrations.AlterField(
                    model_name="aspiration",
                    name="region",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="regions.region",
                        verbose_name="kelurahan",
                    ),
                ),
                migrations.AlterField(
                    model_name="aspiration",
                    name="reporter",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="aspirations",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="aspiration",
                    name="submitted_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="aspiration",
                    name="suggested_category",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="aspirations.category",
                    ),
                ),
                migrations.AlterField(
                    model_name="aspiration",
                    name="suggested_organisation",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="actors.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="aspirationevent",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="aspirationevent",
                    name="ledger_entry",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ledger.ledgerentry",
                    ),
                ),
                migrations.AlterField(
                    model_name="aspirationevent",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="actors.organisation",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, recreate_indexes)],
        ),
        migrations.AddIndex(
            model_name="aspiration",
            index=models.Index(
                condition=models.Q(("reporter__isnull", False)), fields=["reporter"], name="aspiration_reporter"
            ),
        ),
        migrations.AddIndex(
            model_name="aspiration",
            index=models.Index(
                condition=models.Q(("submitted_by__isnull", False)),
                fields=["submitted_by"],
                name="aspiration_submitted_by",
            ),
        ),
        migrations.AddIndex(
            model_name="aspiration",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", False)),
                fields=["merged_into"],
                name="aspiration_merged_into",
            ),
        ),
        migrations.AddIndex(
            model_name="aspirationevent",
            index=models.Index(
                condition=models.Q(("actor__isnull", False)), fields=["actor"], name="aspiration_event_actor"
            ),
        ),
        migrations.AddIndex(
            model_name="aspirationevent",
            index=models.Index(
                condition=models.Q(("organisation__isnull", False)),
                fields=["organisation"],
                name="aspiration_event_organisation",
            ),
        ),
    ]
