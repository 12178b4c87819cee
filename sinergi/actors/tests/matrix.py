"""Permission-matrix rows for the directory (see tests/permission_matrix.py).

Memberships of an organisation are managed by the administrator and by whoever acts for it
(here the opd_officer persona, who is staff of "Dinas Contoh"); everything else that writes is
the administrator's alone. Reading is public.
"""

import itertools
from typing import Any

from django.urls import reverse

from sinergi.actors.tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, kind, role
from tests.permission_matrix import MatrixAction, MatrixContext, everyone_but, only

_sequence = itertools.count(1)


def _n() -> int:
    return next(_sequence)


def _listed_person(ctx: MatrixContext) -> Any:
    if "listed_person" not in ctx.cache:
        ctx.cache["listed_person"] = PersonFactory(user=None, full_name="Tokoh Matriks", slug="tokoh-matriks")
    return ctx.cache["listed_person"]


def _organisation(ctx: MatrixContext) -> Any:
    return OrganisationFactory(name=f"Organisasi Matriks {_n()}")


def _officer_organisation(ctx: MatrixContext) -> Any:
    return ctx.personas["opd_officer"].organisation


def _officer_membership(ctx: MatrixContext) -> Any:
    return MembershipFactory(
        person=PersonFactory(user=None), organisation=ctx.personas["opd_officer"].organisation, role=role("anggota")
    )


def _organisation_form(name: str) -> dict[str, Any]:
    lsm = kind("lsm")
    return {"name": name, "sector": lsm.default_sector_id, "kind": lsm.pk}


def _json(client: Any, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(path, body, content_type="application/json")


ACTIONS = [
    MatrixAction(
        perm="actors.view_organisation",
        allowed=everyone_but(),
        subject=_organisation,
        page=lambda client, ctx, org: client.get(reverse("actors:organisation_detail", args=[org.slug])),
        api=lambda client, ctx, org: client.get(f"/api/v1/actors/organisations/{org.slug}"),
    ),
    MatrixAction(
        perm="actors.view_sector",
        allowed=everyone_but(),
        page=lambda client, ctx, subject: client.get(reverse("actors:sector_detail", args=["swasta"])),
        api=lambda client, ctx, subject: client.get("/api/v1/actors/sectors"),
    ),
    MatrixAction(
        perm="actors.view_person",
        allowed=everyone_but(),
        subject=_listed_person,
        page=lambda client, ctx, person: client.get(reverse("actors:person_detail", args=[person.slug])),
        api=lambda client, ctx, person: client.get(f"/api/v1/actors/people/{person.slug}"),
    ),
    MatrixAction(
        perm="actors.add_sector",
        allowed=only("administrator"),
        page=lambda client, ctx, subject: client.post(
            reverse("actors:sector_create"), {"code": f"sektor-{_n()}", "name": "Keagamaan"}
        ),
        api=lambda client, ctx, subject: _json(
            client, "post", "/api/v1/actors/sectors", {"code": f"sektor-{_n()}", "name": "Keagamaan"}
        ),
    ),
    MatrixAction(
        perm="actors.add_organisation",
        allowed=only("administrator"),
        page=lambda client, ctx, subject: client.post(
            reverse("actors:organisation_create"), _organisation_form(f"LSM Baru {_n()}")
        ),
        api=lambda client, ctx, subject: _json(
            client,
            "post",
            "/api/v1/actors/organisations",
            {"name": f"LSM Baru {_n()}", "sector": "masyarakat", "kind": "lsm"},
        ),
    ),
    MatrixAction(
        perm="actors.change_organisation",
        allowed=only("administrator"),
        subject=_organisation,
        page=lambda client, ctx, org: client.post(
            reverse("actors:organisation_edit", args=[org.slug]),
            {**_organisation_form(org.name), "description": "Diubah lewat halaman."},
        ),
        api=lambda client, ctx, org: _json(
            client, "patch", f"/api/v1/actors/organisations/{org.slug}", {"description": "Diubah lewat API."}
        ),
    ),
    MatrixAction(
        perm="actors.add_person",
        allowed=only("administrator"),
        page=lambda client, ctx, subject: client.post(
            reverse("actors:person_create"), {"full_name": f"Tokoh Baru {_n()}", "is_listed": "on"}
        ),
        api=lambda client, ctx, subject: _json(
            client, "post", "/api/v1/actors/people", {"full_name": f"Tokoh Baru {_n()}"}
        ),
    ),
    MatrixAction(
        perm="actors.change_person",
        allowed=only("administrator"),
        subject=_listed_person,
        page=lambda client, ctx, person: client.post(
            reverse("actors:person_edit", args=[person.slug]),
            {"full_name": person.full_name, "public_title": f"Jabatan {_n()}", "is_listed": "on"},
        ),
        api=lambda client, ctx, person: _json(
            client, "patch", f"/api/v1/actors/people/{person.slug}", {"public_title": f"Jabatan {_n()}"}
        ),
    ),
    MatrixAction(
        perm="actors.add_membership",
        allowed=only("administrator", "opd_officer"),
        subject=_officer_organisation,
        page=lambda client, ctx, org: client.post(
            reverse("actors:membership_add", args=[org.slug]),
            {"person": PersonFactory(user=None).slug, "role": role("anggota").pk},
        ),
        api=lambda client, ctx, org: _json(
            client,
            "post",
            "/api/v1/actors/memberships",
            {"organisation": org.slug, "person": PersonFactory(user=None).slug, "role": "anggota"},
        ),
    ),
    MatrixAction(
        perm="actors.end_membership",
        allowed=only("administrator", "opd_officer"),
        subject=_officer_membership,
        page=lambda client, ctx, membership: client.post(
            reverse("actors:membership_end", args=[membership.uid]), {"reason": "Pindah tugas"}
        ),
        api=lambda client, ctx, membership: _json(
            client, "post", f"/api/v1/actors/memberships/{membership.uid}/end", {"reason": "Pindah tugas"}
        ),
    ),
    MatrixAction(
        perm="actors.verify_person",
        allowed=only("administrator"),  # and officials of a kelurahan or the Dinas Dukcapil (no such persona)
        subject=lambda ctx: PersonFactory(full_name=f"Warga Verifikasi {_n()}", is_listed=False),
        no_page_because="verification is recorded by the kelurahan counter or Dukcapil through the API",
        api=lambda client, ctx, person: _json(
            client, "post", f"/api/v1/actors/people/{person.slug}/verify", {"verified": True}
        ),
    ),
]
