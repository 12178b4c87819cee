"""Demo aspirations for Kota Blitar, submitted through the real intake (`aspiration_submit`).

`seed_intake(now)` writes 40 cases over the last five weeks: the three kinds, every kecamatan, the
three privacy choices, web/assisted/reses channels, formal, chat-style and Javanese-mixed Indonesian.
Idempotent: each case has a fixed idempotency key, so a second run returns the same cases.
Needs the Kota Blitar regions and the aspiration categories (loaded first when missing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from sinergi.aspirations.models import Aspiration, Category
from sinergi.aspirations.services.intake import CONSENT_VERSION, AspirationSubmission, aspiration_submit
from sinergi.aspirations.states import AspirationKind, Channel, Privacy
from sinergi.regions.models import Region
from sinergi.regions.selectors import region_for_point

A, P, INFO = AspirationKind.ASPIRASI, AspirationKind.PENGADUAN, AspirationKind.PERMINTAAN_INFORMASI
PUB, ANON, CONF = Privacy.PUBLIC, Privacy.ANONYMOUS, Privacy.CONFIDENTIAL


@dataclass(frozen=True)
class DemoCase:
    kind: str
    kelurahan: str  # name of a Kota Blitar kelurahan
    title: str
    text: str
    privacy: str = ANON
    days_ago: int = 1
    point: bool = False  # use the kelurahan's centroid as the reported point
    name: str = ""
    phone: str = ""
    email: str = ""
    nik: str = ""
    channel: str = Channel.WEB
    category: str = ""  # "" → the router chooses


CASES: tuple[DemoCase, ...] = (
    DemoCase(P, "Kepanjenkidul", "Jalan berlubang di Jl. Merdeka depan toko roti",
             "Lubang di aspal sudah sebesar ban motor, tadi pagi ada ibu-ibu jatuh waktu hujan. Mohon segera ditambal.",
             PUB, 34, True, name="Rudi Hartono"),
    DemoCase(P, "Sananwetan", "Sampah TPS Jl. Kalimantan belum diangkut",
             "Sudah 3 hari sampah di TPS belum diangkut, baunya sampai ke SD. Lalat banyak sekali.", ANON, 33, True),
    DemoCase(A, "Bendogerit", "Usul taman bermain anak di lahan kosong RW 04",
             "Di RW 04 ada lahan kosong milik pemkot yang tidak terpakai. Warga usul dijadikan taman bermain anak "
             "dan tempat posyandu. Kami siap gotong royong merawatnya.", PUB, 32, name="Karang Taruna Bendogerit"),
    DemoCase(P, "Sentul", "Lampu PJU mati di gang masjid",
             "Lampu penerangan jalan di gang masjid Al Ikhlas mati sejak seminggu. Gelap banget kalau malam, "
             "rawan maling.", ANON, 31, True, phone="0812-3300-1101"),
    DemoCase(P, "Tanggung", "Selokan mampet, banjir tiap hujan",
             "Kalen neng ngarep omah mampet kebak sampah, nek udan deres banyune luber mlebu omah. Tulung didandani.",
             ANON, 30, True),
    DemoCase(INFO, "Kauman", "Permintaan data anggaran perbaikan jalan 2026",
             "Saya mohon salinan rincian anggaran perbaikan jalan lingkungan di Kecamatan Kepanjenkidul tahun "
             "anggaran 2026 beserta daftar lokasinya.", PUB, 29, name="Dewi Lestari", email="dewi.lestari@example.org",
             nik="3572016504880003"),
    DemoCase(P, "Pakunden", "Air PDAM keruh dan sering mati",
             "Air PDAM di perumahan kami keruh kecoklatan, kadang mati dari pagi sampai sore. Sudah 2 minggu begini.",
             ANON, 28, phone="0813-5566-7720"),
    DemoCase(A, "Gedog", "Pelatihan pengolahan sampah organik untuk PKK",
             "Ibu-ibu PKK Gedog ingin pelatihan membuat kompos dan eco-enzyme supaya sampah dapur tidak dibuang ke "
             "sungai.", PUB, 27, name="PKK Kelurahan Gedog"),
    DemoCase(P, "Blitar", "Parkir liar bikin macet di depan pasar",
             "Setiap sore parkir motor sampai ke badan jalan di depan pasar, macet parah dan angkot susah lewat.",
             ANON, 26, True),
    DemoCase(P, "Karangsari", "Pungutan di luar ketentuan saat urus surat pindah",
             "Waktu mengurus surat pindah saya diminta uang 'pelicin' oleh oknum. Saya punya bukti chat.",
             CONF, 25, phone="0857-1200-3344"),
    DemoCase(A, "Klampok", "Usul jalan usaha tani di persawahan Klampok",
             "Petani Klampok mengusulkan jalan usaha tani dicor supaya hasil panen gampang diangkut, sekarang masih "
             "makadam dan becek kalau hujan.", PUB, 24, name="Kelompok Tani Sumber Rejeki", channel=Channel.RESES),
    DemoCase(P, "Turi", "Pohon besar miring hampir roboh",
             "Wit gedhe neng pinggir dalan Jl. Cemara miring, yen angin banter wedi ambruk nimpa omah.", ANON, 23,
             True),
    DemoCase(INFO, "Sukorejo", "Permintaan informasi daftar penerima bansos",
             "Mohon informasi jumlah penerima bantuan sosial PKH per kelurahan di Kecamatan Sukorejo tahun 2026.",
             ANON, 22, name="Agus Santoso", phone="0812-4455-6677"),
    DemoCase(P, "Tanjungsari", "Anjing liar berkeliaran di sekitar sekolah",
             "Ada beberapa anjing liar yang sering nggonggong dan ngejar anak-anak pulang sekolah. Mohon ditangani.",
             ANON, 21),
    DemoCase(A, "Ngadirejo", "Perpustakaan keliling ke RW pinggiran",
             "Anak-anak di RW 07 jauh dari perpustakaan kota. Usul mobil perpustakaan keliling mampir seminggu "
             "sekali.", PUB, 20, name="Sri Wahyuni"),
    DemoCase(P, "Bendo", "Trotoar rusak dan dipakai jualan",
             "Trotoar di Jl. Anggrek pecah-pecah dan banyak dipakai PKL, pejalan kaki terpaksa jalan di aspal.",
             ANON, 19, True),
    DemoCase(P, "Plosokerep", "Antrean lama di puskesmas",
             "Antrean di puskesmas bisa 3 jam, petugas loket cuma satu. Lansia sampai kecapekan nunggu.", ANON, 18,
             channel=Channel.ASSISTED),
    DemoCase(A, "Rembang", "Lapangan voli untuk pemuda",
             "Pemuda Rembang butuh lapangan voli. Selama ini main di jalan kampung, bahaya kena motor lewat.",
             PUB, 17, name="Karang Taruna Rembang", channel=Channel.RESES),
    DemoCase(P, "Karangtengah", "Drainase tersumbat di Jl. Ciliwung",
             "Saluran air depan rumah nomor 12 tersumbat, air menggenang berhari-hari dan jadi sarang nyamuk.",
             ANON, 16, True),
    DemoCase(P, "Kepanjenlor", "Kabel menjuntai di tiang listrik",
             "Ada kabel yang menjuntai rendah di perempatan, hampir kena kepala pengendara motor.", ANON, 15, True),
    DemoCase(INFO, "Kepanjenkidul", "Salinan dokumen RKPD 2027",
             "Mohon salinan dokumen rancangan RKPD Kota Blitar 2027 untuk bahan diskusi komunitas kami.", PUB, 14,
             name="Forum Warga Peduli", email="forum.warga@example.org"),
    DemoCase(P, "Sananwetan", "Pembakaran sampah asapnya masuk rumah",
             "Tetangga sering bakar sampah plastik sore hari, asapnya masuk rumah, anak saya batuk terus.", CONF, 13),
    DemoCase(A, "Sentul", "Pelatihan digital marketing untuk UMKM",
             "Pelaku UMKM keripik di Sentul ingin pelatihan jualan online dan foto produk.", PUB, 12,
             name="Paguyuban UMKM Sentul"),
    DemoCase(P, "Tlumpu", "Jembatan kecil retak",
             "Jembatan kecil di atas kalen dekat makam retak di tengah, motor masih lewat tapi warga khawatir.", ANON,
             11, True),
    DemoCase(P, "Gedog", "Jadwal posyandu sering berubah tanpa kabar",
             "Jadwal posyandu bulan ini diundur dua kali tanpa pengumuman, ibu-ibu sudah datang tapi tutup.", ANON, 10),
    DemoCase(A, "Pakunden", "Penambahan CCTV di perempatan rawan",
             "Perempatan dekat SMP sering terjadi kecelakaan dan jambret. Usul dipasang CCTV dan lampu.", PUB, 9,
             name="Bambang Sugiarto", channel=Channel.RESES),
    DemoCase(P, "Kauman", "Genangan di depan masjid setiap hujan",
             "Setiap hujan deras, depan masjid tergenang sampai mata kaki, jamaah susah lewat.", ANON, 8, True),
    DemoCase(P, "Blitar", "Bau limbah dari usaha tahu",
             "Limbah cair usaha tahu dibuang ke selokan, baunya menyengat sampai malam.", ANON, 7, True),
    DemoCase(INFO, "Bendogerit", "Informasi syarat izin usaha mikro",
             "Mohon informasi syarat dan lama proses NIB untuk usaha mikro makanan rumahan.", ANON, 6,
             name="Lina Marlina", phone="0821-3344-5566"),
    DemoCase(P, "Turi", "Guru honorer belum terima insentif",
             "Beberapa guru TK di kelurahan kami belum menerima insentif triwulan lalu.", CONF, 5),
    DemoCase(A, "Sukorejo", "Rumah tidak layak huni warga lansia",
             "Mbah Sarmi tinggal sendiri, payone bocor lan gedheg e wis rusak. Mohon dibantu program RTLH.", PUB, 5,
             name="Ketua RT 02 Sukorejo", channel=Channel.ASSISTED),
    DemoCase(P, "Ngadirejo", "Lampu lalu lintas mati",
             "Traffic light di perempatan Ngadirejo mati sejak kemarin, kendaraan saling serobot.", ANON, 4, True),
    DemoCase(P, "Tanjungsari", "Pasar becek dan atap bocor",
             "Los sayur di pasar atapnya bocor, lantai becek dan licin, pembeli jadi sepi.", ANON, 4),
    DemoCase(A, "Klampok", "Wisata edukasi sawah untuk pelajar",
             "Usul sawah Klampok dijadikan wisata edukasi pertanian untuk anak sekolah, bisa tambah penghasilan "
             "petani.", PUB, 3, name="Pokdarwis Klampok"),
    DemoCase(P, "Karangsari", "Nunggak iuran BPJS, kartu tidak aktif",
             "Kartu BPJS ibu saya tidak aktif karena nunggak, padahal harus kontrol rutin. Bagaimana caranya?",
             ANON, 3, phone="0812-9988-7766"),
    DemoCase(P, "Rembang", "Got gak pernah dibersihkan",
             "Got sepanjang gang 3 gak pernah dibersihkan, udah item dan bau. Tlg dibersihin sblm musim hujan.",
             ANON, 2, True),
    DemoCase(A, "Plosokerep", "Sumur resapan di perumahan",
             "Perumahan kami sering tergenang. Usul dibangun sumur resapan di tiap gang.", PUB, 2,
             name="Paguyuban Perumahan Plosokerep"),
    DemoCase(INFO, "Tlumpu", "Data kasus demam berdarah per kelurahan",
             "Mohon data jumlah kasus DBD per kelurahan tiga bulan terakhir untuk kegiatan jumantik kami.", PUB, 1,
             name="Jumantik Tlumpu", email="jumantik.tlumpu@example.org"),
    DemoCase(P, "Bendo", "Bising knalpot brong tengah malam",
             "Tiap malam minggu ada rombongan motor knalpot brong lewat jam 1 pagi, bayi kebangun semua.", ANON, 1),
    DemoCase(P, "Kepanjenlor", "Kucing mati di jalan belum diambil",
             "Ada bangkai kucing di tengah jalan sejak pagi, baunya mulai menyengat.", ANON, 0, True),
)  # fmt: skip


def _point_inside(region: Region) -> tuple[float | None, float | None]:
    """The kelurahan's centroid, only when the shipped boundary really contains it."""
    if region.centroid_lat is None or region.centroid_lng is None:
        return None, None
    lat, lng = float(region.centroid_lat), float(region.centroid_lng)
    found = region_for_point(lng, lat)
    return (lat, lng) if found is not None and found.code == region.code else (None, None)


def intake_acts(now: dt.datetime) -> list[tuple[dt.datetime, Callable[[], Aspiration]]]:
    """The demo submissions as (moment received, act), oldest first: an act submits one case and returns it.
    Run each with the clock at its moment (`seed_aspirations` does) or pass `now` and let them be backdated."""
    from sinergi.aspirations.categories import aspiration_categories_load
    from sinergi.regions.services import region_import_kota_blitar

    if not Region.objects.filter(code__startswith="35.72.", level=4).exists():
        region_import_kota_blitar()
    if not Category.objects.exists():
        aspiration_categories_load()
    kelurahan = {r.name: r for r in Region.objects.filter(code__startswith="35.72.", level=4)}
    acts: list[tuple[dt.datetime, Callable[[], Aspiration]]] = []
    for number, case in enumerate(CASES):
        received_at = min(
            now - dt.timedelta(days=case.days_ago, hours=(number * 5) % 9, minutes=(number * 17) % 60), now
        )
        acts.append((received_at, partial(_submit, number, case, kelurahan[case.kelurahan], received_at)))
    acts.sort(key=lambda act: act[0])
    return acts


def _submit(number: int, case: DemoCase, region: Region, received_at: dt.datetime) -> Aspiration:
    latitude, longitude = _point_inside(region) if case.point else (None, None)
    result = aspiration_submit(
        submission=AspirationSubmission(
            kind=case.kind,
            title=case.title,
            text=case.text,
            category_slug=case.category,
            privacy=case.privacy,
            channel=case.channel,
            region_code=region.code,
            latitude=latitude,
            longitude=longitude,
            reporter_name=case.name,
            nik=case.nik,
            phone=case.phone,
            email=case.email,
            consent_version=CONSENT_VERSION,
        ),
        actor=None,
        idempotency_key=f"demo-intake-{number:03d}",
        received_at=received_at,
    )
    return result.aspiration


def seed_intake(now: dt.datetime) -> list[Aspiration]:
    """Submit the demo cases (received `days_ago` before `now`, at varied hours); returns them."""
    return [act() for _, act in intake_acts(now)]
