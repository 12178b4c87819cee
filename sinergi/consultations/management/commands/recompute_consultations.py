"""Cron job: close consultations past their closing time, then recompute every result that misses votes.

python manage.py recompute_consultations            # due closes + stale results
python manage.py recompute_consultations --all      # every published consultation (e.g. after an engine upgrade)
python manage.py recompute_consultations --slug x   # one consultation
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinergi.consultations.models import Consultation
from sinergi.consultations.results import recompute
from sinergi.consultations.services import consultations_close_due
from sinergi.consultations.states import ConsultationStatus
from sinergi.consultations.tasks import stale_consultation_ids


class Command(BaseCommand):
    help = "Tutup konsultasi yang lewat waktunya dan hitung ulang hasil yang belum memuat semua suara."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="hitung ulang semua konsultasi yang sudah dibuka")
        parser.add_argument("--slug", default="", help="hanya konsultasi ini")

    def handle(self, *args: Any, **options: Any) -> None:
        closed = consultations_close_due()
        for slug in closed:
            self.stdout.write(f"ditutup: {slug}")
        if options["slug"]:
            ids = list(Consultation.objects.filter(slug=options["slug"]).values_list("pk", flat=True))
            if not ids:
                raise CommandError(f"konsultasi tidak ditemukan: {options['slug']}")
        elif options["all"]:
            ids = list(Consultation.objects.exclude(status=ConsultationStatus.DRAFT).values_list("pk", flat=True))
        else:
            ids = stale_consultation_ids()
        for consultation in Consultation.objects.filter(pk__in=ids).order_by("pk"):
            result = recompute(consultation)
            counted = "dilewati (ada hasil lebih baru)" if result is None else f"{result.vote_count} suara"
            self.stdout.write(f"dihitung ulang: {consultation.slug} — {counted}")
