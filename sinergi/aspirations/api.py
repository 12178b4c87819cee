"""API v1 for aspirations: the router joins each part's own router (public, officers, support, statistics)."""

from ninja import Router

from sinergi.aspirations.api_manage import router as manage_router
from sinergi.aspirations.api_public import router as public_router
from sinergi.aspirations.api_stats import router as stats_router
from sinergi.aspirations.api_support import router as support_router

router = Router()
# Each part adds one line here: `router.add_router("", <part>_router)` with its router imported above.
router.add_router("", manage_router)
router.add_router("", public_router)
router.add_router("", support_router)
router.add_router("", stats_router)
