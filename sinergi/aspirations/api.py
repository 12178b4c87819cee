"""API v1 for aspirations: public reads and submission (api_public) and officer actions (api_manage)."""

from ninja import Router

router = Router()
# Each part adds its endpoints with router.add_router("", <part router>) below.
