import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from django.urls import reverse
from openpyxl import load_workbook

from conftest import client_for
from sinergi.aspirations.models import Aspiration
from sinergi.aspirations.states import Privacy
from sinergi.aspirations.tests.factories import AspirationFactory
from sinergi.planning import services
from sinergi.planning.models import PokirItem, Reses
from sinergi.planning.selectors import SIPD_COLUMNS
from sinergi.planning.states import PokirStatus
from sinergi.planning.tests.conftest import World
from sinergi.planning.tests.factories import MusrenbangFactory, PokirItemFactory, ResesFactory

pytestmark = pytest.mark.django_db


def open_reses(world: World) -> Reses:
    return services.reses_open(
        actor=world.member,
        organisation=world.dprd,
        data=services.ResesInput(dapil="Dapil 1", masa_sidang="MS I 2027", held_on=dt.date(2027, 1, 15), place="Balai"),
    )


def as_user(user: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_public_pages_render(world: World, client: Any) -> None:
    reses = open_reses(world)
    reses.aspirations.add(AspirationFactory(region=world.kelurahan, title="Lampu mati di gang"))
    item = PokirItemFactory(opd=world.opd)
    musrenbang = MusrenbangFactory(organiser=world.kelurahan_office, region=world.kelurahan)
    for url in [
        reverse("planning:home"),
        reverse("planning:reses_list"),
        reverse("planning:reses_detail", args=[reses.uid]),
        reverse("planning:reses_report", args=[reses.uid]),
        reverse("planning:pokir_list"),
        reverse("planning:pokir_detail", args=[item.uid]),
        reverse("planning:musrenbang_list") + "?level=kelurahan",
        reverse("planning:musrenbang_detail", args=[musrenbang.uid]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) < 30_000, url
    assert "Lampu mati di gang" in client.get(reverse("planning:reses_report", args=[reses.uid])).content.decode()


def test_confidential_titles_stay_hidden_in_report_and_exports(world: World, client: Any) -> None:
    reses = open_reses(world)
    reses.aspirations.add(AspirationFactory(privacy=Privacy.CONFIDENTIAL, title="Rahasia sekali"))
    url = reverse("planning:reses_report", args=[reses.uid])
    assert "Rahasia sekali" not in client.get(url).content.decode()
    assert "Rahasia sekali" not in client.get(url + "?format=csv").content.decode()
    workbook = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content))
    assert "Rahasia sekali" not in str([list(r) for r in workbook["Aspirasi"].iter_rows(values_only=True)])


def test_reses_list_query_count(world: World, client: Any, django_assert_max_num_queries: Any) -> None:
    for _ in range(15):
        ResesFactory(member=world.member.person, organisation=world.dprd).aspirations.add(AspirationFactory())
    with django_assert_max_num_queries(8):
        response = client.get(reverse("planning:reses_list"))
    assert response.status_code == 200


def test_pokir_list_filters_and_query_count(world: World, client: Any, django_assert_max_num_queries: Any) -> None:
    for n in range(12):
        PokirItemFactory(opd=world.opd, komisi=world.komisi, fiscal_year=2028 if n % 2 else 2029)
    PokirItemFactory(opd=world.opd, status=PokirStatus.REJECTED, title="Yang ditolak")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("planning:pokir_list"), {"year": 2028, "komisi": world.komisi.slug})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 6
    rejected = client.get(reverse("planning:pokir_list"), {"status": "rejected"})
    assert rejected.context["page"].paginator.count == 1
    PokirItemFactory(opd=world.opd, member=world.member.person)
    by_member = client.get(reverse("planning:pokir_list"), {"member": world.member.person.slug})
    assert by_member.context["page"].paginator.count == 1


def test_musrenbang_list_query_count(world: World, client: Any, django_assert_max_num_queries: Any) -> None:
    for n in range(10):
        MusrenbangFactory(organiser=world.kelurahan_office, fiscal_year=2020 + n)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("planning:musrenbang_list")).status_code == 200


def test_sipd_export_has_the_documented_columns_in_order(world: World, client: Any) -> None:
    item = PokirItemFactory(opd=world.opd, komisi=world.komisi, kelurahan=world.kelurahan, member=world.member.person)
    item.aspirations.add(AspirationFactory())
    response = client.get(reverse("planning:pokir_list"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == [label for _, label in SIPD_COLUMNS]
    assert "1.03.02.2.01.0012" in lines[1] and "Kepanjenkidul" in lines[1] and lines[1].endswith(",1")
    workbook = load_workbook(io.BytesIO(client.get(reverse("planning:pokir_list"), {"format": "xlsx"}).content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0]) == [label for _, label in SIPD_COLUMNS]
    assert rows[1][17] == "1.03.02.2.01.0012" and rows[1][12] == world.opd.name


def test_export_cells_cannot_become_formulas(world: World, client: Any) -> None:
    PokirItemFactory(opd=world.opd, title='=HYPERLINK("http://x")')
    body = client.get(reverse("planning:pokir_list"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_templates_download(client: Any) -> None:
    csv_response = client.get(reverse("planning:batch_template", args=["csv"]))
    assert csv_response.content.decode("utf-8-sig").strip() == "kelurahan,kategori,judul,isi,nama,telepon,privasi"
    workbook = load_workbook(io.BytesIO(client.get(reverse("planning:batch_template", args=["xlsx"])).content))
    assert [c.value for c in workbook["Aspirasi"][1]] == [
        "kelurahan",
        "kategori",
        "judul",
        "isi",
        "nama",
        "telepon",
        "privasi",
    ]


def _batch_post(rows: list[dict[str, str]], key: str = "d" * 32) -> dict[str, str]:
    data = {
        "baris-TOTAL_FORMS": "10",
        "baris-INITIAL_FORMS": "0",
        "baris-MIN_NUM_FORMS": "0",
        "baris-MAX_NUM_FORMS": "50",
        "batch_key": key,
    }
    for index in range(10):
        values = rows[index] if index < len(rows) else {}
        data[f"baris-{index}-privacy"] = values.get("privacy", "anonymous")
        for field in ("kelurahan", "category", "title", "text", "name", "phone"):
            data[f"baris-{index}-{field}"] = values.get(field, "")
    return data


def test_batch_page_saves_all_rows(world: World) -> None:
    reses = open_reses(world)
    client = as_user(world.member)
    page = client.get(reverse("planning:reses_batch", args=[reses.uid]))
    assert page.status_code == 200 and len(page.content) < 30_000
    rows = [
        {
            "kelurahan": "Kepanjenkidul",
            "category": "Drainase dan banjir",
            "title": f"Got {n}",
            "text": f"Got mampet {n}.",
        }
        for n in range(3)
    ]
    response = client.post(reverse("planning:reses_batch", args=[reses.uid]), _batch_post(rows))
    assert response.status_code == 302
    assert reses.aspirations.count() == 3


def test_batch_page_bad_row_saves_nothing_and_marks_the_row(world: World) -> None:
    reses = open_reses(world)
    client = as_user(world.member)
    rows = [
        {"kelurahan": "Kepanjenkidul", "title": "Got 1", "text": "Got mampet."},
        {"kelurahan": "Gotham", "title": "Got 2", "text": "Got mampet."},
        {"kelurahan": "Kepanjenkidul", "title": "", "text": "Tanpa judul"},
    ]
    response = client.post(reverse("planning:reses_batch", args=[reses.uid]), _batch_post(rows))
    assert response.status_code == 200
    assert Aspiration.objects.count() == 0
    forms = response.context["formset"].forms
    assert forms[2].errors  # form-level: the title is required
    # The form-valid path: fix row 3, row 2 is then refused by the service and marked.
    rows[2]["title"] = "Judul"
    response = client.post(reverse("planning:reses_batch", args=[reses.uid]), _batch_post(rows))
    assert response.status_code == 200 and Aspiration.objects.count() == 0
    forms = response.context["formset"].forms
    assert forms[1].non_field_errors() and not forms[0].non_field_errors()
    assert "Gotham" in response.content.decode()


def test_import_page_lists_row_errors(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    reses = open_reses(world)
    client = as_user(world.member)
    content = b"kelurahan,judul,isi\nKepanjenkidul,Got,Got mampet.\nNarnia,Got,Got mampet.\n"
    response = client.post(
        reverse("planning:reses_import", args=[reses.uid]), {"file": SimpleUploadedFile("r.csv", content)}
    )
    assert response.status_code == 200 and Aspiration.objects.count() == 0
    assert response.context["row_errors"][0][0] == 3  # the header is row 1
    bad_header = client.post(
        reverse("planning:reses_import", args=[reses.uid]),
        {"file": SimpleUploadedFile("r.csv", b"a,b\n1,2\n")},
    )
    assert bad_header.status_code == 200 and bad_header.context["form"].errors["file"]
    ok = client.post(
        reverse("planning:reses_import", args=[reses.uid]),
        {"file": SimpleUploadedFile("r.csv", content.replace(b"Narnia", b"Sentul"))},
    )
    assert ok.status_code == 302 and reses.aspirations.count() == 2


def test_pokir_step_page_and_history(world: World) -> None:
    item = services.pokir_propose(
        actor=world.member,
        data=services.PokirInput(
            title="Lampu jalan Jl. Mawar",
            description="Gelap gulita.",
            location_text="Jl. Mawar",
            volume=Decimal(10),
            unit="titik",
            target_group="Pengguna jalan",
            opd=world.opd,
            program_code="1.03.02",
            program_name="P",
            activity_code="1.03.02.2.01",
            activity_name="K",
            sub_activity_code="1.03.02.2.01.0012",
            sub_activity_name="S",
            budget_estimate=Decimal(1000000),
            fiscal_year=2028,
        ),
    )
    setwan = as_user(world.setwan)
    detail = setwan.get(reverse("planning:pokir_detail", args=[item.uid]))
    assert b"verified_by_secretariat" in detail.content
    response = setwan.post(reverse("planning:pokir_step", args=[item.uid]), {"to_status": "verified_by_secretariat"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == PokirStatus.VERIFIED
    assert (
        as_user(world.member)
        .post(reverse("planning:pokir_step", args=[item.uid]), {"to_status": "validated_by_bappeda"})
        .status_code
        == 403
    )
    page = as_user(world.member).get(reverse("planning:pokir_detail", args=[item.uid])).content.decode()
    assert "Diverifikasi Setwan" in page and "Sekretariat DPRD" in page


def test_pokir_propose_page_with_photo(world: World, settings: Any, tmp_path: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="JPEG")
    aspiration = AspirationFactory()
    data = {
        "title": "Perbaikan jalan",
        "description": "Jalan rusak.",
        "location_text": "Jl. Anggrek",
        "kelurahan": world.kelurahan.code,
        "volume": "100",
        "unit": "meter",
        "target_group": "Warga",
        "opd": world.opd.slug,
        "komisi": world.komisi.slug,
        "program_code": "1.03.02",
        "program_name": "P",
        "activity_code": "1.03.02.2.01",
        "activity_name": "K",
        "sub_activity_code": "1.03.02.2.01.0012",
        "sub_activity_name": "S",
        "budget_estimate": "5000000",
        "fiscal_year": "2028",
        "aspirations": str(aspiration.uid),
        "photo": SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg"),
    }
    response = as_user(world.member).post(reverse("planning:pokir_propose"), data)
    assert response.status_code == 302, response.content[:2000]
    item = PokirItem.objects.get()
    assert item.photo and list(item.aspirations.all()) == [aspiration]
    data["photo"] = SimpleUploadedFile("foto.jpg", b"GIF89a not really", content_type="image/jpeg")
    data["sub_activity_code"] = "1.03.02.2.01.0013"
    response = as_user(world.member).post(reverse("planning:pokir_propose"), data)
    assert response.status_code == 200 and PokirItem.objects.count() == 1


def test_trail_include_shows_where_the_aspiration_went(world: World) -> None:
    aspiration = AspirationFactory()
    reses = open_reses(world)
    reses.aspirations.add(aspiration)
    item = PokirItemFactory(opd=world.opd, title="Normalisasi saluran", status=PokirStatus.IN_RKPD)
    item.aspirations.add(aspiration)
    html = Template('{% include "planning/_trail.html" %}').render(Context({"aspiration": aspiration}))
    assert "Jejak dalam perencanaan" in html and "Normalisasi saluran" in html and "Masuk RKPD" in html
    assert reverse("planning:reses_detail", args=[reses.uid]) in html
    assert (
        Template('{% include "planning/_trail.html" %}').render(Context({"aspiration": AspirationFactory()})).strip()
        == ""
    )


def test_musrenbang_pages_drive_the_forum(world: World) -> None:
    musrenbang = MusrenbangFactory(organiser=world.kelurahan_office, region=world.kelurahan)
    client = as_user(world.kelurahan_officer)
    detail = client.get(reverse("planning:musrenbang_detail", args=[musrenbang.uid]))
    assert detail.status_code == 200 and len(detail.content) < 30_000
    client.post(reverse("planning:proposal_add", args=[musrenbang.uid]), {"title": "Paving", "priority": "1"})
    proposal = musrenbang.proposals.get()
    client.post(reverse("planning:proposal_decide", args=[proposal.uid]), {"decision": "agreed"})
    client.post(
        reverse("planning:delegate_add", args=[musrenbang.uid]),
        {"name": "Bu RT", "origin": "RT 1", "elected_to_next_level": "on"},
    )
    client.post(reverse("planning:musrenbang_close", args=[musrenbang.uid]), {"berita_acara": "Sepakat."})
    musrenbang.refresh_from_db()
    proposal.refresh_from_db()
    assert proposal.status == "agreed" and musrenbang.status == "closed" and musrenbang.delegates.count() == 1
    page = client.get(reverse("planning:musrenbang_detail", args=[musrenbang.uid])).content.decode()
    assert musrenbang.berita_acara_sha256 in page


def test_manage_pages_refuse_others(world: World, personas: Any) -> None:
    reses = open_reses(world)
    citizen = client_for(personas["citizen"])
    assert citizen.get(reverse("planning:reses_batch", args=[reses.uid])).status_code == 403
    assert citizen.get(reverse("planning:reses_import", args=[reses.uid])).status_code == 403
    assert citizen.get(reverse("planning:reses_open")).status_code == 403
    assert citizen.get(reverse("planning:pokir_propose")).status_code == 403
    assert citizen.get(reverse("planning:musrenbang_open")).status_code == 403


def test_reses_report_says_where_each_aspiration_went(world: World, client: Any) -> None:
    reses = open_reses(world)
    in_pokir, in_musrenbang, waiting = AspirationFactory(), AspirationFactory(), AspirationFactory()
    reses.aspirations.add(in_pokir, in_musrenbang, waiting)
    PokirItemFactory(opd=world.opd, title="Saluran Melati", status=PokirStatus.BUDGETED).aspirations.add(in_pokir)
    musrenbang = MusrenbangFactory(organiser=world.kelurahan_office)
    proposal = musrenbang.proposals.create(title="Paving", priority=1, status="agreed")
    proposal.aspirations.add(in_musrenbang)
    body = client.get(reverse("planning:reses_report", args=[reses.uid]) + "?format=csv").content.decode("utf-8-sig")
    lines = {line.split(",")[0]: line for line in body.splitlines()[1:]}
    assert "Pokir “Saluran Melati”: Dianggarkan" in lines[str(in_pokir.uid)]
    assert "Musrenbang Kelurahan: Disepakati" in lines[str(in_musrenbang.uid)]
    assert lines[str(waiting.uid)].endswith("Diterima")


def test_citizens_name_and_phone_never_leave_through_planning(world: World, client: Any) -> None:
    import json

    from sinergi.ledger.models import LedgerEntry
    from sinergi.planning.importer import BatchRow

    reses = open_reses(world)
    row = BatchRow(
        kelurahan="Sentul", title="Lampu mati", text="Lampu jalan mati.", name="Kanari Widodo", phone="081298765432"
    )
    services.reses_batch_submit(reses=reses, rows=[row], actor=world.member, batch_key="f" * 32)
    report = reverse("planning:reses_report", args=[reses.uid])
    outputs = [
        client.get(report).content,
        client.get(report + "?format=csv").content,
        client.get(reverse("planning:reses_detail", args=[reses.uid])).content,
        client.get(f"/api/v1/planning/reses/{reses.uid}").content,
        json.dumps(list(LedgerEntry.objects.values_list("payload", flat=True))).encode(),
    ]
    workbook = load_workbook(io.BytesIO(client.get(report + "?format=xlsx").content))
    outputs.append(str([list(r) for s in workbook.worksheets for r in s.iter_rows(values_only=True)]).encode())
    for output in outputs:
        assert b"Kanari" not in output and b"98765432" not in output


def test_pokir_form_prefilled_from_a_reses(world: World) -> None:
    reses = open_reses(world)
    first, second = AspirationFactory(), AspirationFactory()
    reses.aspirations.add(first, second)
    client = as_user(world.member)
    assert "?reses=" in client.get(reverse("planning:reses_detail", args=[reses.uid])).content.decode()
    page = client.get(reverse("planning:pokir_propose"), {"reses": str(reses.uid)})
    assert str(first.uid) in page.content.decode() and str(second.uid) in page.content.decode()
    assert client.get(reverse("planning:pokir_propose"), {"reses": "bukan-uuid"}).status_code == 200
