"""WSGI entry point: `gunicorn hamkor.config.wsgi`."""

import gc
import os
from typing import Any

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamkor.config.settings")
_django = get_wsgi_application()

from hamkor.webforms.handler import with_public_forms  # noqa: E402 - needs Django set up

# Public form posts (/f/) take a handler with a short middleware list; see that module.
application = with_public_forms(_django)


def _collect_request_garbage(sender: Any = None, **_kwargs: Any) -> None:
    """Free the finished request's reference cycles now, after its response was sent.

    Model instances with prefetched relations point at each other, so a list page leaves
    thousands of objects that only the cycle collector frees. Left to Python's thresholds,
    they pile up in the oldest generation and one unlucky request pays for thirty: a full
    collection took 15-100 ms in the middle of a request. Collecting once per request costs
    about a millisecond, after the client already has its answer (see docs/benchmarks.md).
    A handler whose requests leave little garbage says so and is skipped.
    """
    if getattr(sender, "collect_garbage_per_request", True):
        gc.collect()


def _prepare_process() -> None:
    """Load every URL module now and keep the start-up heap out of the collector's sight."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    gc.collect()
    # Django, the views and their imports live as long as the process; frozen objects are
    # never scanned again, so each per-request collection only walks the request's objects.
    gc.freeze()
    request_finished.connect(_collect_request_garbage, dispatch_uid="hamkor-request-gc")


_prepare_process()
