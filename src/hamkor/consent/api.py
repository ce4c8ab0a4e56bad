"""REST endpoints of hamkor.consent."""

from ninja import Router

router = Router(tags=["consent"])
