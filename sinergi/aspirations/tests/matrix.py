"""Permission-matrix rows of the aspirations app, one section per part of the lifecycle.

Each part adds its rows to its own list below; `ACTIONS` joins them. Subjects are built fresh per
attempt, so the page attempt and the API attempt do not interfere with each other.
"""

from collections.abc import Callable
from typing import Any

from tests.permission_matrix import MatrixAction, only

# --- intake and tracking (intake helper) ---------------------------------------------------------
INTAKE_ACTIONS: list[MatrixAction] = []

# --- officers: verification, disposition, response (lifecycle helper) -----------------------------
# Coordinator actions: only the administrator (no persona acts for a coordinator organisation).
# OPD actions: the opd_officer persona, whose organisation the subject case is assigned to.


def _officer_case(ctx: Any, status: str = "dispositioned", **fields: Any) -> Any:
    from django.utils import timezone

    from sinergi.aspirations.services.lifecycle import aspiration_set_deadlines
    from sinergi.aspirations.tests.factories import AspirationFactory, CategoryFactory

    category = CategoryFactory(slug="matriks-jalan", name="Jalan (matriks)")
    opd = ctx.personas["opd_officer"].organisation
    defaults: dict[str, Any] = {
        "status": status,
        "category": category,
        "suggested_category": category,
        "suggested_organisation": opd,
        "assigned_organisation": opd if status in ("dispositioned", "in_progress") else None,
        "privacy": "public",
    }
    case: Any = AspirationFactory(**{**defaults, **fields}, received_at=timezone.now())
    aspiration_set_deadlines(case)
    case.save()
    return case


def _received(ctx: Any) -> Any:
    return _officer_case(ctx, "received")


def _verified(ctx: Any) -> Any:
    return _officer_case(ctx, "verified")


def _information_request(ctx: Any) -> Any:
    return _officer_case(ctx, kind="permintaan_informasi")


def _case_url(case: Any, action: str = "") -> str:
    return f"/aspirasi/kelola/{case.uid}/" + (f"{action}/" if action else "")


def _api_url(case: Any, action: str = "") -> str:
    return f"/api/v1/aspirations/kelola/{case.uid}" + (f"/{action}" if action else "")


def _get(url: Callable[[Any], str]) -> Any:
    return lambda client, ctx, subject: client.get(url(subject))


def _post_page(action: str, data: dict[str, Any]) -> Any:
    return lambda client, ctx, case: client.post(_case_url(case, action), data)


def _post_api(action: str, data: dict[str, Any]) -> Any:
    return lambda client, ctx, case: client.post(_api_url(case, action), data, content_type="application/json")


def _disposition_data(ctx: Any) -> dict[str, Any]:
    return {"organisation": ctx.personas["opd_officer"].organisation.slug, "category": "", "note": ""}


def _disposition_page(client: Any, ctx: Any, case: Any) -> Any:
    return client.post(_case_url(case, "disposisi"), _disposition_data(ctx))


def _disposition_api(client: Any, ctx: Any, case: Any) -> Any:
    return client.post(_api_url(case, "disposisi"), _disposition_data(ctx), content_type="application/json")


OFFICER_ACTIONS: list[MatrixAction] = [
    MatrixAction(
        perm="aspirations.view_verification_desk",
        allowed=only("administrator"),
        page=_get(lambda _s: "/aspirasi/kelola/verifikasi/"),
        api=_get(lambda _s: "/api/v1/aspirations/kelola/verifikasi"),
    ),
    MatrixAction(
        perm="aspirations.view_opd_queue",
        allowed=only("opd_officer", "dprd_member", "administrator"),
        page=_get(lambda _s: "/aspirasi/kelola/antrean/"),
        api=_get(lambda _s: "/api/v1/aspirations/kelola/antrean"),
    ),
    MatrixAction(
        perm="aspirations.view_officer_case",
        allowed=only("opd_officer", "administrator"),
        subject=_officer_case,
        page=_get(_case_url),
        api=_get(_api_url),
    ),
    MatrixAction(
        perm="aspirations.view_reporter_identity",
        allowed=only("opd_officer", "administrator"),
        subject=_officer_case,
        api=_get(lambda case: _api_url(case, "pelapor")),
        no_page_because="shown inside the officer case page, whose access is view_officer_case (test_manage_views)",
    ),
    MatrixAction(
        perm="aspirations.view_reporter_contact",
        allowed=only("administrator"),
        subject=_officer_case,
        no_page_because="shown inside the officer case page (test_manage_views checks it)",
        no_api_because="part of the identity response, whose access is view_reporter_identity (test_api_manage)",
    ),
    MatrixAction(
        perm="aspirations.verify_aspiration",
        allowed=only("administrator"),
        subject=_received,
        page=_post_page("verifikasi", {"category": "", "note": ""}),
        api=_post_api("verifikasi", {}),
    ),
    MatrixAction(
        perm="aspirations.disposition_aspiration",
        allowed=only("administrator"),
        subject=_verified,
        page=_disposition_page,
        api=_disposition_api,
    ),
    MatrixAction(
        perm="aspirations.respond_aspiration",
        allowed=only("opd_officer", "administrator"),
        subject=_officer_case,
        page=_post_page("tanggapi", {"text": "Kami tindak lanjuti.", "internal_note": ""}),
        api=_post_api("tanggapi", {"text": "Kami tindak lanjuti."}),
    ),
    MatrixAction(
        perm="aspirations.mark_aspiration_investigation",
        allowed=only("opd_officer", "administrator"),
        subject=_officer_case,
        page=_post_page("pengawasan", {"reason": "Perlu pemeriksaan Inspektorat."}),
        api=_post_api("pengawasan", {"reason": "Perlu pemeriksaan Inspektorat."}),
    ),
    MatrixAction(
        perm="aspirations.extend_aspiration_deadline",
        allowed=only("opd_officer", "administrator"),
        subject=_information_request,
        page=_post_page("perpanjang", {"reason": "Dokumen masih di arsip."}),
        api=_post_api("perpanjang", {"reason": "Dokumen masih di arsip."}),
    ),
]

# --- support (dukung) and merging (support helper) -----------------------------------------------
from sinergi.aspirations.tests.matrix_support import SUPPORT_ACTIONS  # noqa: E402

ACTIONS = [*INTAKE_ACTIONS, *OFFICER_ACTIONS, *SUPPORT_ACTIONS]
