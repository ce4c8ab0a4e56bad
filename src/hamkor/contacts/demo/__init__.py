"""Realistic demo data: two shops and an agency, their staff, customers and a few months of
history, built through the services so every row is valid.

Deterministic for a given seed (names, phones, stages, history) relative to today: birthdays
fall on today's date for a few customers and interactions reach back a few months from now.

One module per step (companies, customers, history), run in order by ``loader.load_demo``;
the public names are re-exported here. The fixed names, places and texts are in
``hamkor.contacts.demo_data``.
"""

from __future__ import annotations

from hamkor.contacts.demo.history import HISTORY_DAYS, HISTORY_LENGTH
from hamkor.contacts.demo.loader import (
    DEFAULT_COMPANIES,
    DEFAULT_CONTACTS,
    DEFAULT_SEED,
    DemoDataExistsError,
    DemoResult,
    existing_demo_marker,
    load_demo,
)

__all__ = [
    "DEFAULT_COMPANIES",
    "DEFAULT_CONTACTS",
    "DEFAULT_SEED",
    "HISTORY_DAYS",
    "HISTORY_LENGTH",
    "DemoDataExistsError",
    "DemoResult",
    "existing_demo_marker",
    "load_demo",
]
