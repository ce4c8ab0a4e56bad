"""The background worker yields the CPU to web requests (HAMKOR_WORKER_NICE)."""

import os
import subprocess
import sys

import pytest
from django.core.management.base import CommandError

from hamkor.activities.management.commands.worker import lower_priority

SCRIPT = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamkor.config.settings")
django.setup()
from hamkor.activities.management.commands.worker import lower_priority
before = os.nice(0)
print(before, lower_priority({niceness}), os.nice(0))
"""


def _run(niceness: int) -> list[int]:
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT.format(niceness=niceness)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
        check=True,
    )
    return [int(word) for word in done.stdout.split()]


def test_the_worker_process_becomes_nicer_by_the_setting():
    before, returned, after = _run(7)

    assert returned == after == min(before + 7, 19)


def test_zero_leaves_the_priority_alone():
    before, returned, after = _run(0)

    assert returned == after == before


@pytest.mark.parametrize("niceness", [-1, 20])
def test_a_niceness_out_of_range_is_a_clear_error(niceness):
    with pytest.raises(CommandError, match="between 0 and 19"):
        lower_priority(niceness)
