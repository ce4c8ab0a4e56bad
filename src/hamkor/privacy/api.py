"""REST endpoints of hamkor.privacy."""

from ninja import Router

router = Router(tags=["privacy"])
