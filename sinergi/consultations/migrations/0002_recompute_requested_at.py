from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="consultation",
            name="recompute_requested_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
