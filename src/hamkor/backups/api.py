"""REST endpoints of hamkor.backups."""

from ninja import Router

router = Router(tags=["backups"])
