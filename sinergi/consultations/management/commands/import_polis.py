from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinergi.actors.models import Organisation
from sinergi.consultations.models import Consultation
from sinergi.consultations.polis_io import consultation_import_polis, read_polis_export
from sinergi.core.errors import RuleViolation


class Command(BaseCommand):
    help = (
        "Impor percakapan Polis (comments.csv beserta votes.csv dan/atau participants-votes.csv, opsional "
        "summary.csv) ke konsultasi yang masih kosong, atau ke konsultasi baru yang sudah ditutup (--create). "
        "Semua berkas diperiksa dulu; berkas rusak tidak meninggalkan data setengah jadi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="folder ekspor Polis, atau berkas-berkasnya")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--consultation", metavar="SLUG", help="konsultasi kosong tujuan impor")
        target.add_argument("--create", action="store_true", help="buat konsultasi baru (status: ditutup)")
        parser.add_argument("--organiser", metavar="ORG_SLUG", help="lembaga penyelenggara (dengan --create)")
        parser.add_argument("--title", help="judul konsultasi baru (dengan --create)")
        parser.add_argument("--slug", help="slug konsultasi baru (dengan --create; bawaan: dari judul)")
        parser.add_argument("--question", help="pertanyaan (dengan --create; bawaan: topic di summary.csv)")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(path) for path in options["paths"]]
        try:
            export = read_polis_export(paths)
        except RuleViolation as error:
            raise CommandError(error.message) from error
        consultation = None
        create = None
        if options["create"]:
            if not options["organiser"] or not options["title"]:
                raise CommandError("--create memerlukan --organiser dan --title.")
            organiser = Organisation.objects.filter(slug=options["organiser"]).first()
            if organiser is None:
                raise CommandError(f"Lembaga “{options['organiser']}” tidak ditemukan.")
            if options["slug"] and Consultation.objects.filter(slug=options["slug"]).exists():
                raise CommandError(f"Slug “{options['slug']}” sudah dipakai.")
            create = {
                "organiser": organiser,
                "title": options["title"],
                "slug": options["slug"],
                "question": options["question"],
            }
        else:
            consultation = Consultation.objects.filter(slug=options["consultation"]).first()
            if consultation is None:
                raise CommandError(f"Konsultasi “{options['consultation']}” tidak ditemukan.")
        label = ", ".join(path.resolve().name for path in paths)
        if export.summary.get("url"):
            label = f"{label} ({export.summary['url']})"
        try:
            outcome = consultation_import_polis(
                export=export, actor=None, source_label=f"Polis: {label}", consultation=consultation, create=create
            )
        except RuleViolation as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Diimpor ke “{outcome.consultation.slug}”: {outcome.statements} pernyataan "
                f"({outcome.rejected_statements} ditolak moderator, {outcome.truncated_statements} dipotong), "
                f"{outcome.participants} peserta, {outcome.votes} suara "
                f"({outcome.replaced_votes} suara lama digantikan suara terbaru)."
            )
        )
