"""REST endpoints of hamkor.audit."""

from ninja import Router

router = Router(tags=["audit"])
