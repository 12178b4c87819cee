from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sinergi.core.errors import RuleViolation
from sinergi.regions.services import RegionImportResult, region_import_kota_blitar, region_import_national


class Command(BaseCommand):
    help = (
        "Muat wilayah Kepmendagri dari data yang dibawa produk: bawaan Kota Blitar (kode, kode pos, batas); "
        "--national untuk seluruh Indonesia; --under KODE untuk satu cabang (mis. 35.05). Idempoten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--national", action="store_true", help="seluruh daftar nasional (±91 ribu baris)")
        scope.add_argument("--under", default="", help="hanya wilayah di bawah kode ini, dengan induknya")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["national"] or options["under"]:
                result = region_import_national(under=options["under"], batch_size=options["batch_size"])
            else:
                result = region_import_kota_blitar()
        except RuleViolation as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(summary(result)))


def summary(result: RegionImportResult) -> str:
    return (
        f"Wilayah {result.scope}: {result.created} baru, {result.updated} diperbarui, "
        f"{result.unchanged} tetap, {result.aliases_added} alias baru."
    )
