"""Permission-matrix rows of the planning app. No persona works at Setwan, Bappeda, BPKAD, a kelurahan
or a kecamatan office, so those steps are the administrator's here (the institutions' own staff are
covered in test_services.py); the OPD persona realises (or rejects) items addressed to its OPD and runs
a Musrenbang it organises; the DPRD persona opens reses and proposes pokir."""

from typing import Any

from django.test import Client
from django.urls import reverse

from sinergi.planning.states import PokirStatus
from tests.permission_matrix import MatrixAction, MatrixContext, only

POKIR_BODY = {
    "title": "Pokir matriks",
    "description": "Uji izin mengusulkan pokir.",
    "location_text": "Jl. Matriks 1",
    "volume": "10",
    "unit": "meter",
    "target_group": "Warga",
    "program_code": "1.03.02",
    "program_name": "P",
    "activity_code": "1.03.02.2.01",
    "activity_name": "K",
    "sub_activity_code": "1.03.02.2.01.0012",
    "sub_activity_name": "S",
    "budget_estimate": "1000000",
    "fiscal_year": "2028",
}


def _dprd(ctx: MatrixContext) -> Any:
    return ctx.personas["dprd_member"].organisation


def _opd(ctx: MatrixContext) -> Any:
    return ctx.personas["opd_officer"].organisation


def reses_subject(ctx: MatrixContext) -> Any:
    from sinergi.planning.tests.factories import ResesFactory

    persona = ctx.personas["dprd_member"]
    return ResesFactory(member=persona.person, organisation=persona.organisation)


def pokir_at(status: str) -> Any:
    def build(ctx: MatrixContext) -> Any:
        from sinergi.planning.tests.factories import PokirItemFactory

        return PokirItemFactory(opd=_opd(ctx), status=status)

    return build


def own_pokir_at(status: str) -> Any:
    """An item the DPRD persona proposed."""

    def build(ctx: MatrixContext) -> Any:
        from sinergi.planning.tests.factories import PokirItemFactory

        persona = ctx.personas["dprd_member"]
        return PokirItemFactory(opd=_opd(ctx), status=status, member=persona.person, proposed_by=persona.user)

    return build


def musrenbang_subject(ctx: MatrixContext) -> Any:
    from sinergi.planning.tests.factories import MusrenbangFactory

    return MusrenbangFactory(organiser=_opd(ctx))


def _regions(ctx: MatrixContext) -> None:
    if "regions" not in ctx.cache:
        from sinergi.regions.services import region_import_kota_blitar

        region_import_kota_blitar()
        ctx.cache["regions"] = True


def _bappeda(ctx: MatrixContext) -> Any:
    if "bappeda" not in ctx.cache:
        from sinergi.actors.models import Organisation
        from sinergi.actors.tests.factories import OrganisationFactory, kind

        ctx.cache["bappeda"] = Organisation.objects.filter(slug="bappeda").first() or OrganisationFactory(
            name="Bappeda", slug="bappeda", kind=kind("opd")
        )
    return ctx.cache["bappeda"]


def open_musrenbang_subject(ctx: MatrixContext) -> None:
    _regions(ctx)
    _bappeda(ctx)
    return None


# --- attempts ------------------------------------------------------------------------------------


def open_reses_page(client: Client, ctx: MatrixContext, subject: Any) -> Any:
    data = {
        "organisation": _dprd(ctx).pk,
        "dapil": "Dapil 1",
        "masa_sidang": "MS I",
        "held_on": "2027-01-15",
        "place": "Balai",
        "attendee_count": "0",
    }
    return client.post(reverse("planning:reses_open"), data)


def open_reses_api(client: Client, ctx: MatrixContext, subject: Any) -> Any:
    body = {
        "organisation": _dprd(ctx).slug,
        "dapil": "Dapil 1",
        "masa_sidang": "MS I",
        "held_on": "2027-01-15",
        "place": "Balai",
    }
    return client.post("/api/v1/planning/reses", body, content_type="application/json")


def manage_reses_page(client: Client, ctx: MatrixContext, reses: Any) -> Any:
    return client.post(reverse("planning:reses_status", args=[reses.uid]), {"step": "held", "attendee_count": "12"})


def manage_reses_api(client: Client, ctx: MatrixContext, reses: Any) -> Any:
    return client.post(
        f"/api/v1/planning/reses/{reses.uid}/held", {"attendee_count": 12}, content_type="application/json"
    )


def propose_page(client: Client, ctx: MatrixContext, subject: Any) -> Any:
    return client.post(reverse("planning:pokir_propose"), {**POKIR_BODY, "opd": _opd(ctx).slug})


def propose_api(client: Client, ctx: MatrixContext, subject: Any) -> Any:
    body = {**POKIR_BODY, "opd": _opd(ctx).slug, "fiscal_year": 2028}
    return client.post("/api/v1/planning/pokir", body, content_type="application/json")


def edit_page(client: Client, ctx: MatrixContext, item: Any) -> Any:
    body = {**POKIR_BODY, "opd": _opd(ctx).slug, "volume": "12", "loaded_at": item.updated_at.isoformat()}
    return client.post(reverse("planning:pokir_edit", args=[item.uid]), body)


def edit_api(client: Client, ctx: MatrixContext, item: Any) -> Any:
    return client.patch(f"/api/v1/planning/pokir/{item.uid}", {"volume": "12"}, content_type="application/json")


def step_page(to_status: str) -> Any:
    def attempt(client: Client, ctx: MatrixContext, item: Any) -> Any:
        return client.post(
            reverse("planning:pokir_step", args=[item.uid]), {"to_status": to_status, "note": "Alasan uji"}
        )

    return attempt


def step_api(to_status: str) -> Any:
    def attempt(client: Client, ctx: MatrixContext, item: Any) -> Any:
        return client.post(
            f"/api/v1/planning/pokir/{item.uid}/status",
            {"to_status": to_status, "note": "Alasan uji"},
            content_type="application/json",
        )

    return attempt


def open_musrenbang_page(client: Client, ctx: MatrixContext, subject: Any) -> Any:
    data = {
        "organiser": _bappeda(ctx).pk,
        "level": "kota",
        "fiscal_year": "2031",
        "title": "Musrenbang RKPD Kota (matriks)",
        "place": "Aula",
        "held_on": "2030-03-01",
    }
    return client.post(reverse("planning:musrenbang_open"), data)


def open_musrenbang_api(client: Client, ctx: MatrixContext, subject: Any) -> Any:
    body = {
        "organiser": _bappeda(ctx).slug,
        "level": "kota",
        "fiscal_year": 2032,
        "title": "Musrenbang RKPD Kota (matriks)",
        "place": "Aula",
        "held_on": "2031-03-01",
    }
    return client.post("/api/v1/planning/musrenbang", body, content_type="application/json")


def manage_musrenbang_page(client: Client, ctx: MatrixContext, musrenbang: Any) -> Any:
    return client.post(reverse("planning:delegate_add", args=[musrenbang.uid]), {"name": "Delegasi", "origin": "RW 1"})


def manage_musrenbang_api(client: Client, ctx: MatrixContext, musrenbang: Any) -> Any:
    return client.post(
        f"/api/v1/planning/musrenbang/{musrenbang.uid}/delegates",
        {"name": "Delegasi", "origin": "RW 1"},
        content_type="application/json",
    )


DPRD = only("dprd_member", "administrator")
ADMIN = only("administrator")
OPD = only("opd_officer", "administrator")

ACTIONS = [
    MatrixAction("planning.open_reses", DPRD, page=open_reses_page, api=open_reses_api),
    MatrixAction("planning.manage_reses", DPRD, subject=reses_subject, page=manage_reses_page, api=manage_reses_api),
    MatrixAction("planning.propose_pokir", DPRD, page=propose_page, api=propose_api),
    # Setwan may edit too (no persona works there) and nobody once Setwan verified, the administrator
    # included (superusers pass every has_perm; the service refuses): test_pokir_edit.py covers both.
    MatrixAction("planning.edit_pokir", DPRD, subject=own_pokir_at(PokirStatus.PROPOSED), page=edit_page, api=edit_api),
    MatrixAction("planning.edit_pokir", ADMIN, subject=pokir_at(PokirStatus.PROPOSED), page=edit_page, api=edit_api),
    MatrixAction(
        "planning.verify_pokir",
        ADMIN,
        subject=pokir_at(PokirStatus.PROPOSED),
        page=step_page(PokirStatus.VERIFIED),
        api=step_api(PokirStatus.VERIFIED),
    ),
    MatrixAction(
        "planning.validate_pokir",
        ADMIN,
        subject=pokir_at(PokirStatus.VERIFIED),
        page=step_page(PokirStatus.VALIDATED),
        api=step_api(PokirStatus.VALIDATED),
    ),
    MatrixAction(
        "planning.budget_pokir",
        ADMIN,
        subject=pokir_at(PokirStatus.IN_RKPD),
        page=step_page(PokirStatus.BUDGETED),
        api=step_api(PokirStatus.BUDGETED),
    ),
    MatrixAction(
        "planning.realise_pokir",
        OPD,
        subject=pokir_at(PokirStatus.BUDGETED),
        page=step_page(PokirStatus.REALISED),
        api=step_api(PokirStatus.REALISED),
    ),
    MatrixAction(
        "planning.reject_pokir",
        OPD,
        subject=pokir_at(PokirStatus.BUDGETED),
        page=step_page(PokirStatus.REJECTED),
        api=step_api(PokirStatus.REJECTED),
    ),
    MatrixAction(
        "planning.open_musrenbang",
        ADMIN,
        subject=open_musrenbang_subject,
        page=open_musrenbang_page,
        api=open_musrenbang_api,
    ),
    MatrixAction(
        "planning.manage_musrenbang",
        OPD,
        subject=musrenbang_subject,
        page=manage_musrenbang_page,
        api=manage_musrenbang_api,
    ),
]

__all__ = ["ACTIONS"]
