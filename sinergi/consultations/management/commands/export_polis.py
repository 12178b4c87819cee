from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinergi.consultations.models import Consultation
from sinergi.consultations.polis_io import export_polis


class Command(BaseCommand):
    help = (
        "Ekspor konsultasi dalam bentuk ekspor Polis: comments.csv, votes.csv, participants-votes.csv "
        "(peserta hanya sebagai nomor baris, tanpa nama)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="slug konsultasi")
        parser.add_argument("out_dir", help="folder tujuan (dibuat bila belum ada)")

    def handle(self, *args: Any, **options: Any) -> None:
        consultation = Consultation.objects.filter(slug=options["slug"]).first()
        if consultation is None:
            raise CommandError(f"Konsultasi “{options['slug']}” tidak ditemukan.")
        try:
            paths = export_polis(consultation, options["out_dir"])
        except OSError as error:
            raise CommandError(f"Tidak dapat menulis ke {options['out_dir']}: {error}") from error
        for path in paths.values():
            self.stdout.write(str(path))
