"""REST API of the activities app."""

from hamkor.activities.api.activities import router as activities_router
from hamkor.activities.api.interactions import router

__all__ = ["activities_router", "router"]
