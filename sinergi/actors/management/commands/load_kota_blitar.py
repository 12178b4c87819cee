from typing import Any

from django.core.management.base import BaseCommand

from sinergi.actors.loaders import institutions_load, kota_blitar_institutions
from sinergi.actors.reference_data import reference_data_load
from sinergi.regions.management.commands.load_regions import summary
from sinergi.regions.services import region_import_kota_blitar


class Command(BaseCommand):
    help = (
        "Muat data nyata Kota Blitar (idempoten): data rujukan, wilayah (3 kecamatan, 21 kelurahan), "
        "lalu Pemkot dan OPD, kantor kecamatan dan kelurahan, DPRD dengan komisi dan fraksinya."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reference = reference_data_load()
        self.stdout.write(f"Data rujukan: {sum(reference.values())} baru.")
        self.stdout.write(summary(region_import_kota_blitar()))
        result = institutions_load(data=kota_blitar_institutions())
        self.stdout.write(
            self.style.SUCCESS(
                f"Lembaga Kota Blitar: {result.organisations_created} organisasi baru, "
                f"{result.aliases_added} nama lain, {result.people_created} tokoh publik, "
                f"{result.memberships_started} keanggotaan baru."
            )
        )
