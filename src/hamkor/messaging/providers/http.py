"""A small JSON-over-HTTP client on the standard library, with provider-style errors."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from hamkor.messaging.providers.base import ProviderError

TIMEOUT_SECONDS = 20


def request_json(
    url: str,
    *,
    json_body: dict[str, Any] | None = None,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    method: str = "POST",
) -> tuple[int, dict[str, Any]]:
    """Send one request; return (status, parsed JSON body). Network trouble is retryable."""
    if not url.startswith(("http://", "https://")):
        raise ProviderError(f"Not an http(s) URL: {url}", retryable=False)
    all_headers = {"Accept": "application/json", **(headers or {})}
    data: bytes | None = None
    if json_body is not None:
        data = json.dumps(json_body).encode()
        all_headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, headers=all_headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, _parse(response.read())
    except urllib.error.HTTPError as error:
        return error.code, _parse(error.read())
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise ProviderError(
            f"Could not reach {urllib.parse.urlsplit(url).netloc}: {error}", retryable=True
        ) from error


def _parse(raw: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(raw or b"{}")
    except ValueError:
        return {"raw": raw[:500].decode(errors="replace")}
    return parsed if isinstance(parsed, dict) else {"data": parsed}


def raise_for_status(status: int, body: dict[str, Any], *, what: str) -> None:
    """Turn an unsuccessful answer into a ProviderError; 429 and 5xx are worth retrying."""
    if 200 <= status < 300:
        return
    detail = body.get("description") or body.get("message") or body.get("error") or body
    raise ProviderError(
        f"{what} answered {status}: {detail}", retryable=status == 429 or status >= 500
    )
