"""Forget photos that waited for a web form's final submit that never came (cron: hourly; idempotent).

Only MEDIA_ROOT/aspirations/pending/ is read; a missing folder is not an error.
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinergi.aspirations.photos import PENDING_MAX_AGE, purge_pending_photos

MAX_HOURS = 24 * 365


class Command(BaseCommand):
    help = "Hapus foto formulir aspirasi yang tidak pernah dikirim (lebih tua dari --older-than-hours)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-hours",
            type=int,
            default=int(PENDING_MAX_AGE.total_seconds() // 3600),
            help="umur minimum folder yang dihapus, dalam jam (bawaan: 24; 1 sampai 8760)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["older_than_hours"]
        if not 1 <= hours <= MAX_HOURS:
            # Zero would remove the photos of a visitor who is on the preview page right now.
            raise CommandError(f"--older-than-hours must be between 1 and {MAX_HOURS}")
        run = purge_pending_photos(older_than=dt.timedelta(hours=hours))
        self.stdout.write(f"folders={run.folders} files={run.files}")
