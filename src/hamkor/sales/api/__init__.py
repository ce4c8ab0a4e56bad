"""Sales API routers, one module per area."""

from hamkor.sales.api.deals import router as deals_router
from hamkor.sales.api.insight import router as insight_router
from hamkor.sales.api.orders import router as orders_router
from hamkor.sales.api.products import router as products_router

__all__ = ["deals_router", "insight_router", "orders_router", "products_router"]
