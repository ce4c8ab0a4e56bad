"""Start several threads at one barrier and collect what each returned or raised.

Race tests check that a lock or a conditional UPDATE lets exactly one of several concurrent
callers win; they all need the same starting gun and bookkeeping.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def race(
    work: Callable[[int], Any], racers: int, *, expected: tuple[type[Exception], ...] = ()
) -> tuple[list[Any], list[Exception], list[Exception]]:
    """Run ``work(index)`` in ``racers`` threads at once.

    Returns what the calls returned, the ``expected`` exceptions they raised (a refusal the
    test counts) and any other exception (a failure the test asserts is absent).
    """
    start = threading.Barrier(racers)
    returned: list[Any] = []
    refused: list[Exception] = []
    failed: list[Exception] = []

    def run(index: int) -> None:
        try:
            start.wait()
            returned.append(work(index))
        except expected as error:
            refused.append(error)
        except Exception as error:
            failed.append(error)
        finally:
            # Each thread has its own database connection; close it, or the test database
            # cannot be dropped.
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return returned, refused, failed
