"""Talking to the REST API in tests: a Django test client carrying a real bearer token."""

import json
from typing import Any

from django.test import Client

from hamkor.accounts.services import issue_token


def api_client(user) -> Client:
    """A client authenticated as ``user`` through a freshly issued token."""
    secret = issue_token(user=user, name="tests").secret
    return Client(headers={"Authorization": f"Bearer {secret}"})


def send(client: Client, method: str, path: str, payload: Any) -> Any:
    """POST or PATCH ``payload`` as JSON."""
    return getattr(client, method)(path, data=json.dumps(payload), content_type="application/json")
