"""retrain_routing: folds officers' corrections into the training data and writes the model that
current_router() then loads."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from sinergi.actors.tests.factories import OrganisationFactory, kind
from sinergi.aspirations.models import RoutingCorrection
from sinergi.aspirations.routing import Router
from sinergi.aspirations.routing_model import current_router, routing_model_path
from sinergi.aspirations.tests.factories import AspirationFactory, CategoryFactory

pytestmark = pytest.mark.django_db

NEW_PHRASE = "Tolong kirim tim penyemprotan untuk rumah kaca kebun bibit kelurahan kami"


def test_retrain_with_corrections_writes_the_loaded_model(reference_data, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.SINERGI = {**settings.SINERGI, "ROUTING_MODEL_PATH": str(tmp_path / "router.joblib")}
    dkpp: Any = OrganisationFactory(slug="dkpp", kind=kind("opd"))
    stranger: Any = OrganisationFactory(slug="dinas-bukan-blitar", kind=kind("opd"))
    farming: Any = CategoryFactory(slug="pertanian_pangan_hewan")
    for index in range(4):
        aspiration: Any = AspirationFactory(title=f"{NEW_PHRASE} {index}", text=NEW_PHRASE)
        RoutingCorrection.objects.create(
            aspiration=aspiration, category=farming, organisation=dkpp, was_suggested=False
        )
    RoutingCorrection.objects.create(
        aspiration=AspirationFactory(),  # type: ignore[misc]
        category=farming,
        organisation=stranger,
        was_suggested=False,
    )

    out = StringIO()
    call_command("retrain_routing", stdout=out)
    report = out.getvalue()
    assert "corrections used=4 skipped=1" in report
    assert "before=" in report and "after=" in report
    path = routing_model_path()
    assert path.exists()
    loaded = current_router()
    assert isinstance(loaded, Router) and loaded.n_examples == Router.load(path).n_examples
    assert loaded.predict(f"{NEW_PHRASE} 9") == "pertanian_pangan_hewan"
