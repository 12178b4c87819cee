"""Where the routing model lives, and how to get the router to use.

``manage.py retrain_routing`` writes ``routing_model_path()`` (settings ``SINERGI["ROUTING_MODEL_PATH"]``,
default ``VAR_DIR/routing/router.joblib``). ``current_router()`` loads that file when it is there and
was written by this scikit-learn version. Otherwise it uses the model trained on the shipped examples,
which is trained once per machine, not once per process: the first process to need it trains it
(1–2 s) and leaves it beside the retrained model's path under a name that carries the hash of the
shipped data and the scikit-learn version; every other worker, and every restart, loads it (~0.1 s).
"""

from __future__ import annotations

import logging
import os
import tempfile
from functools import cache
from pathlib import Path

import sklearn
from django.conf import settings

from sinergi.aspirations import routing
from sinergi.aspirations.routing import Router
from sinergi.aspirations.routing.data import load_labelled, training_data_hash

logger = logging.getLogger(__name__)


def routing_model_path() -> Path:
    configured = settings.SINERGI.get("ROUTING_MODEL_PATH")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "routing" / "router.joblib"


def shipped_model_path() -> Path:
    """Where the model trained on the shipped examples is kept: a new name whenever they or
    scikit-learn change, so a stale file is never loaded."""
    digest = training_data_hash(load_labelled())[:16]
    return routing_model_path().with_name(f"shipped-{digest}-sklearn{sklearn.__version__}.joblib")


@cache
def _load(path: str, mtime_ns: int) -> Router | None:
    try:
        return Router.load(path)
    except Exception as error:  # another scikit-learn, a damaged or half-copied file: unpickling fails many ways
        logger.warning("routing model %s not used: %s", path, error)
        return None


@cache
def shipped_router() -> Router:
    """The router trained on the shipped examples: loaded from disk when an earlier process kept it,
    else trained here and kept (written to a temporary name and renamed, so a reader never sees half a
    file; where the folder is not writable it is only kept in memory)."""
    path = shipped_model_path()
    if path.exists() and (loaded := _load(str(path), path.stat().st_mtime_ns)) is not None:
        return loaded
    router = routing.default_router()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=path.parent, prefix=".shipped-", suffix=".partial")
        os.close(handle)
        try:
            router.save(partial)
            os.replace(partial, path)
        finally:
            Path(partial).unlink(missing_ok=True)
    except OSError as error:
        logger.warning("routing model not kept at %s: %s", path, error)
    return router


def current_router() -> Router:
    path = routing_model_path()
    try:
        mtime_ns = path.stat().st_mtime_ns
    except OSError:
        return shipped_router()
    return _load(str(path), mtime_ns) or shipped_router()
