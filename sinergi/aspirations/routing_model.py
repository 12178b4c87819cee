"""Where the retrained routing model lives, and how to get the router to use.

``manage.py retrain_routing`` writes ``routing_model_path()`` (settings ``SINERGI["ROUTING_MODEL_PATH"]``,
default ``VAR_DIR/routing/router.joblib``). ``current_router()`` loads that file when it is there and
was written by this scikit-learn version, else falls back to ``routing.default_router()`` (trained on
the shipped examples at first use).
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from django.conf import settings

from sinergi.aspirations.routing import Router, default_router

logger = logging.getLogger(__name__)


def routing_model_path() -> Path:
    configured = settings.SINERGI.get("ROUTING_MODEL_PATH")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "routing" / "router.joblib"


@cache
def _load(path: str, mtime_ns: int) -> Router | None:
    try:
        return Router.load(path)
    except (OSError, ValueError) as error:  # a model from another scikit-learn, or a half-copied file
        logger.warning("routing model %s not used: %s", path, error)
        return None


def current_router() -> Router:
    path = routing_model_path()
    try:
        mtime_ns = path.stat().st_mtime_ns
    except OSError:
        return default_router()
    return _load(str(path), mtime_ns) or default_router()
