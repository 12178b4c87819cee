"""Index for the similar-aspiration look-up (sinergi/aspirations/similar.py): the points of one category.

With the category known, the look-up reads only that category's points inside a ±500 m box instead of every
case in the box (bench/aspirations_similar.py). Plain SQL, so the model state is unchanged; both SQLite and
PostgreSQL understand it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("aspirations", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX IF NOT EXISTS aspiration_category_point "
                "ON aspirations_aspiration (category_id, latitude, longitude)"
            ),
            reverse_sql="DROP INDEX IF EXISTS aspiration_category_point",
        ),
    ]
