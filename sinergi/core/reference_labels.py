"""Reference data in the reader's language.

Sectors, organisation kinds, membership roles and aspiration categories are rows an
administrator may edit, so their names live in the database, in Bahasa Indonesia. The default
names are listed here so that `makemessages` puts them in the catalogue (under their own
context, so a name never borrows the translation of a like-spelled interface word); pages pass
the stored name through `reference_label`. A name the catalogue does not know (an
administrator's own rename) is shown as stored.
"""

from django.utils.translation import pgettext, pgettext_lazy

CONTEXT = "data rujukan"


def reference_label(name: str) -> str:
    if not name:
        return name
    return pgettext(CONTEXT, name)


# Lazy, so nothing is looked up here: the list exists for `makemessages` (Django has no
# pgettext_noop). Kept in step with the sources by sinergi/core/tests/test_reference_labels.py.
DEFAULT_NAMES = (
    # Sectors (sinergi/actors/reference_data.py SECTORS): names, then descriptions
    pgettext_lazy(CONTEXT, "Pemerintah"),
    pgettext_lazy(CONTEXT, "Legislatif"),
    pgettext_lazy(CONTEXT, "Swasta"),
    pgettext_lazy(CONTEXT, "Masyarakat"),
    pgettext_lazy(CONTEXT, "Pemuda"),
    pgettext_lazy(CONTEXT, "Akademisi"),
    pgettext_lazy(CONTEXT, "Media"),
    pgettext_lazy(CONTEXT, "Pemerintah kota, OPD, kecamatan, dan kelurahan"),
    pgettext_lazy(CONTEXT, "DPRD, komisi, dan fraksi"),
    pgettext_lazy(CONTEXT, "Perusahaan, asosiasi usaha, dan UMKM"),
    pgettext_lazy(CONTEXT, "LSM, RT/RW, LPMK, PKK, komunitas, dan warga"),
    pgettext_lazy(CONTEXT, "Karang Taruna, KNPI, organisasi mahasiswa dan kepemudaan"),
    pgettext_lazy(CONTEXT, "Perguruan tinggi dan lembaga penelitian"),
    pgettext_lazy(CONTEXT, "Media massa dan jurnalis"),
    # Organisation kinds (ORGANISATION_KINDS)
    pgettext_lazy(CONTEXT, "Pemerintah kota"),
    pgettext_lazy(CONTEXT, "Perangkat daerah (OPD)"),
    pgettext_lazy(CONTEXT, "Bagian/unit kerja"),
    pgettext_lazy(CONTEXT, "Kecamatan"),
    pgettext_lazy(CONTEXT, "Kelurahan"),
    pgettext_lazy(CONTEXT, "DPRD"),
    pgettext_lazy(CONTEXT, "Komisi DPRD"),
    pgettext_lazy(CONTEXT, "Fraksi DPRD"),
    pgettext_lazy(CONTEXT, "Alat kelengkapan DPRD"),
    pgettext_lazy(CONTEXT, "Instansi vertikal"),
    pgettext_lazy(CONTEXT, "Perusahaan"),
    pgettext_lazy(CONTEXT, "Asosiasi usaha"),
    pgettext_lazy(CONTEXT, "UMKM"),
    pgettext_lazy(CONTEXT, "LSM/organisasi masyarakat sipil"),
    pgettext_lazy(CONTEXT, "RT/RW"),
    pgettext_lazy(CONTEXT, "LPMK"),
    pgettext_lazy(CONTEXT, "PKK"),
    pgettext_lazy(CONTEXT, "Komunitas"),
    pgettext_lazy(CONTEXT, "Karang Taruna"),
    pgettext_lazy(CONTEXT, "Organisasi kepemudaan"),
    pgettext_lazy(CONTEXT, "Organisasi mahasiswa"),
    pgettext_lazy(CONTEXT, "Perguruan tinggi"),
    pgettext_lazy(CONTEXT, "Lembaga penelitian"),
    pgettext_lazy(CONTEXT, "Media massa"),
    # Membership roles (MEMBERSHIP_ROLES)
    pgettext_lazy(CONTEXT, "Kepala/pimpinan"),
    pgettext_lazy(CONTEXT, "Ketua"),
    pgettext_lazy(CONTEXT, "Wakil ketua"),
    pgettext_lazy(CONTEXT, "Sekretaris"),
    pgettext_lazy(CONTEXT, "Staf/petugas"),
    pgettext_lazy(CONTEXT, "Anggota DPRD"),
    pgettext_lazy(CONTEXT, "Perwakilan resmi"),
    pgettext_lazy(CONTEXT, "Anggota"),
    # Aspiration categories (sinergi/aspirations/routing/data/categories.json)
    pgettext_lazy(CONTEXT, "Jalan, jembatan dan trotoar"),
    pgettext_lazy(CONTEXT, "Drainase, saluran dan genangan/banjir"),
    pgettext_lazy(CONTEXT, "Air bersih dan PDAM"),
    pgettext_lazy(CONTEXT, "Sampah, kebersihan dan pencemaran lingkungan"),
    pgettext_lazy(CONTEXT, "Penerangan jalan umum (PJU)"),
    pgettext_lazy(CONTEXT, "Perumahan, RTLH, taman dan ruang terbuka"),
    pgettext_lazy(CONTEXT, "Lalu lintas, parkir dan angkutan"),
    pgettext_lazy(CONTEXT, "Pendidikan dan sekolah"),
    pgettext_lazy(CONTEXT, "Puskesmas, layanan kesehatan dan wabah"),
    pgettext_lazy(CONTEXT, "Layanan RSUD Mardi Waluyo"),
    pgettext_lazy(CONTEXT, "Bantuan sosial, DTKS dan disabilitas"),
    pgettext_lazy(CONTEXT, "KTP, KK, akta dan administrasi kependudukan"),
    pgettext_lazy(CONTEXT, "Perizinan, investasi dan ketenagakerjaan"),
    pgettext_lazy(CONTEXT, "Pasar, harga dan perdagangan"),
    pgettext_lazy(CONTEXT, "UMKM dan koperasi"),
    pgettext_lazy(CONTEXT, "Pertanian, pangan dan kesehatan hewan"),
    pgettext_lazy(CONTEXT, "Ketertiban umum (Satpol PP)"),
    pgettext_lazy(CONTEXT, "Kepemudaan dan olahraga"),
    pgettext_lazy(CONTEXT, "Pariwisata dan kebudayaan"),
    pgettext_lazy(CONTEXT, "Perpustakaan dan kearsipan"),
    pgettext_lazy(CONTEXT, "Perempuan, perlindungan anak dan KB"),
    pgettext_lazy(CONTEXT, "Kebencanaan dan kedaruratan"),
    pgettext_lazy(CONTEXT, "Informasi publik, website dan internet"),
    pgettext_lazy(CONTEXT, "Pungli dan perilaku aparatur"),
    pgettext_lazy(CONTEXT, "Pajak daerah, PBB dan aset daerah"),
)
