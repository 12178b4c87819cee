import uuid

from django.db import migrations, models


def fill_membership_uids(apps, schema_editor):
    Membership = apps.get_model("actors", "Membership")
    for membership in Membership.objects.filter(uid__isnull=True).only("pk"):
        membership.uid = uuid.uuid4()
        membership.save(update_fields=["uid"])


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="seat_count",
            field=models.PositiveSmallIntegerField(
                blank=True, help_text="mis. kursi DPRD atau anggota fraksi", null=True, verbose_name="jumlah kursi"
            ),
        ),
        # Added in three steps so existing rows each get their own value before the unique index.
        migrations.AddField(
            model_name="membership",
            name="uid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_membership_uids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="membership",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
