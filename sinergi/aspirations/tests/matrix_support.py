"""Permission-matrix rows of the support part (dukung, merging); joined into `matrix.py`'s ACTIONS.

Dukung: anyone signed in (without an account the phone path stands in, which no role governs).
Merging: the coordinator desk (no persona acts for it) and the OPD holding the cases (opd_officer).
"""

from typing import Any

from django.test import Client

from tests.permission_matrix import MatrixAction, MatrixContext, everyone_but, only


def _open_case(ctx: MatrixContext) -> Any:
    from sinergi.aspirations.tests.factories import AspirationFactory

    return AspirationFactory(status="dispositioned", assigned_organisation=ctx.personas["opd_officer"].organisation)


def _support_page(client: Client, ctx: MatrixContext, case: Any) -> Any:
    return client.post(f"/aspirasi/{case.uid}/dukung/")


def _support_api(client: Client, ctx: MatrixContext, case: Any) -> Any:
    return client.post(f"/api/v1/aspirations/{case.uid}/support", {}, content_type="application/json")


def _merge_page(client: Client, ctx: MatrixContext, duplicate: Any) -> Any:
    into = _open_case(ctx)
    return client.post(f"/aspirasi/kelola/gabung/{duplicate.uid}/", {"into": str(into.uid), "reason": "Sama."})


def _merge_api(client: Client, ctx: MatrixContext, duplicate: Any) -> Any:
    into = _open_case(ctx)
    body = {"into": str(into.uid), "reason": "Sama."}
    return client.post(f"/api/v1/aspirations/{duplicate.uid}/merge", body, content_type="application/json")


SUPPORT_ACTIONS: list[MatrixAction] = [
    MatrixAction(
        perm="aspirations.support_aspiration",
        allowed=everyone_but("anonymous"),
        subject=_open_case,
        page=_support_page,
        api=_support_api,
    ),
    MatrixAction(
        perm="aspirations.merge_aspiration",
        allowed=only("opd_officer", "administrator"),
        subject=_open_case,
        page=_merge_page,
        api=_merge_api,
    ),
]
