"""REST API of the activities app."""

from hamkor.activities.api.interactions import router

__all__ = ["router"]
