"""The model trained on the shipped examples is trained once per machine and loaded by every other process."""

import pytest

from sinergi.aspirations import routing, routing_model


@pytest.fixture
def fresh_process(settings, tmp_path):
    """A model folder of its own, and the per-process caches emptied as in a new worker."""
    settings.SINERGI = {**settings.SINERGI, "ROUTING_MODEL_PATH": str(tmp_path / "router.joblib")}
    routing_model.shipped_router.cache_clear()
    yield tmp_path
    routing_model.shipped_router.cache_clear()


def test_first_process_trains_and_keeps_the_model(fresh_process):
    router = routing_model.current_router()
    kept = routing_model.shipped_model_path()
    assert kept.parent == fresh_process and kept.exists()
    assert kept.name.startswith("shipped-") and "sklearn" in kept.name
    assert not list(fresh_process.glob("*.partial")), "no half-written file is left behind"
    assert router.suggest("lampu jalan mati", k=1)[0].category == "penerangan_jalan"


def test_next_process_loads_instead_of_training(fresh_process, monkeypatch):
    trained = routing_model.current_router()
    routing_model.shipped_router.cache_clear()

    def no_training():
        raise AssertionError("a process with the kept model must not train again")

    monkeypatch.setattr(routing, "default_router", no_training)
    loaded = routing_model.current_router()
    assert loaded is not trained
    assert loaded.data_hash == trained.data_hash
    text = "Sampah di TPS belum diangkut tiga hari"
    assert loaded.probabilities(text) == pytest.approx(trained.probabilities(text))


def test_a_damaged_kept_model_is_retrained_over(fresh_process):
    path = routing_model.shipped_model_path()
    path.write_bytes(b"not a model")
    router = routing_model.current_router()
    assert router.is_trained
    assert path.stat().st_size > 1000


def test_a_retrained_model_wins_over_the_shipped_one(fresh_process):
    shipped = routing_model.current_router()
    retrained = routing.default_router()
    retrained.save(routing_model.routing_model_path())
    assert routing_model.current_router() is not shipped
