import pytest

from sinergi.regions.services import region_import_kota_blitar


@pytest.fixture
def kota_blitar(db: None) -> None:
    """Kota Blitar's regions loaded from the shipped data (3 kecamatan, 21 kelurahan)."""
    region_import_kota_blitar()
