"""Marketing benchmark: segment counts (the live count while editing) over many contacts.

    .venv/bin/python bench/marketing.py                  # 1,000,000 contacts, SQLite
    .venv/bin/python bench/marketing.py --n 100000
    .venv/bin/python bench/marketing.py \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_marketing

It fills the database with set-based SQL (a data generator, not a use case): N contacts in
ten teams over five cities, four languages and six sources; a tag on one in ten; email
consent granted for half and withdrawn for one in ten; RFM scores for half; one counted
order (with one line) for four in ten. Then it times ``count_matching_up_to`` (what the
segment editor calls on every change: exact up to EDIT_COUNT_CAP, "more than" past it) and
``count_matching`` (the exact count, shown once a segment is saved) for several rule sets,
as a manager (everything) and as a sales user (one team and their own contacts): p50/p99
over --repeat runs. A PostgreSQL
database must have "bench" in its name and is dropped afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from contacts import clean_up, configure_django, database_version, machine, prepare_database
from dashboard import _analyze, _days_ago, _run, _series, _uuid

TARGET_MS = 1000.0
TEAMS = 10

RULE_SETS: dict[str, dict[str, Any]] = {
    "city + language": {
        "rules": [
            {"field": "city", "value": ["Tashkent", "Samarkand"]},
            {"field": "language", "value": ["ru"]},
        ]
    },
    "email consent": {"rules": [{"field": "consent", "value": "email"}]},
    "tag": {"rules": [{"field": "tag", "value": ["bench-vip"]}]},
    "rfm group at risk/lost": {"rules": [{"field": "rfm_group", "value": ["at_risk", "lost"]}]},
    "lifetime value >= 1M": {
        "rules": [{"field": "lifetime_value", "op": "gte", "value": "1000000"}]
    },
    "orders >= 1": {"rules": [{"field": "order_count", "op": "gte", "value": 1}]},
    "consent + rfm + city (AND)": {
        "rules": [
            {"field": "consent", "value": "email"},
            {"field": "rfm_group", "value": ["champions", "loyal"]},
            {"field": "city", "value": ["Tashkent"]},
        ]
    },
    "no consent, not tagged (NOT)": {
        "rules": [
            {"field": "consent", "op": "not_granted", "value": "email"},
            {"field": "tag", "op": "not_in", "value": ["bench-vip"]},
        ]
    },
    "nested any (tag or rfm)": {
        "rules": [
            {"field": "stage", "value": ["customer"]},
            {
                "match": "any",
                "rules": [
                    {"field": "tag", "value": ["bench-vip"]},
                    {"field": "rfm_monetary", "op": "gte", "value": 4},
                ],
            },
        ]
    },
}


def create_data(vendor: str, n: int) -> dict[str, Any]:
    from hamkor.accounts.models import Role, Team, User
    from hamkor.contacts.models import Contact, Source, Tag

    teams = [Team.objects.create(name=f"Bench team {k}") for k in range(TEAMS)]
    User.objects.create_user(username="bench_manager", role=Role.MANAGER)
    User.objects.create_user(username="bench_sales", role=Role.SALES, team=teams[0])
    sources = [Source.objects.create(name=f"Bench source {k}") for k in range(6)]
    first_team, first_source = teams[0].pk, sources[0].pk
    tag = Tag.objects.create(name="bench-vip")
    now = _days_ago(vendor, "0", "0")
    figures: dict[str, Any] = {}
    contacts_sql = f"""
        INSERT INTO contacts_contact (created_at, updated_at, notes, custom_fields, search_text,
            first_name, last_name, middle_name, job_title, address, city, language, time_zone,
            currency, source_id, stage, name_key, team_id, version)
        SELECT {_days_ago(vendor, "(i * 31) % 730", "0")}, {now}, '', '{{}}', '',
            'Bench', 'Customer ' || i, '', '', '',
            CASE i % 5 WHEN 0 THEN 'Tashkent' WHEN 1 THEN 'Samarkand' WHEN 2 THEN 'Bukhara'
                WHEN 3 THEN 'Bishkek' ELSE 'Osh' END,
            CASE i % 4 WHEN 0 THEN 'ru' WHEN 1 THEN 'uz' WHEN 2 THEN 'ky' ELSE 'en' END,
            'Asia/Tashkent', 'UZS', {first_source} + i % 6,
            CASE WHEN i % 3 = 0 THEN 'lead' ELSE 'customer' END, '',
            {first_team} + (i / 10) % {TEAMS}, 1
        FROM {_series(vendor, n)}
    """  # noqa: S608 - numbers and fixed text only
    figures["contacts_s"] = _run(contacts_sql)
    first = Contact.objects.order_by("pk").values_list("pk", flat=True).first() or 1
    tags_sql = f"""
        INSERT INTO contacts_contact_tags (contact_id, tag_id)
        SELECT {first} + i - 1, {tag.pk} FROM {_series(vendor, n)} WHERE i % 10 = 0
    """  # noqa: S608 - numbers and fixed text only
    figures["tags_s"] = _run(tags_sql)
    consents_sql = f"""
        INSERT INTO contacts_channelconsent (contact_id, channel, granted, method, recorded_at,
            note)
        SELECT {first} + i - 1, 'email', i % 5 <> 1, 'written', {now}, ''
        FROM {_series(vendor, n)} WHERE i % 5 IN (0, 1, 2)
    """  # noqa: S608 - numbers and fixed text only
    figures["consents_s"] = _run(consents_sql)
    rfm_sql = f"""
        INSERT INTO analytics_rfmscore (contact_id, recency, frequency, monetary, "group",
            last_order_on, orders, lifetime_value, computed_at)
        SELECT {first} + i - 1, 1 + i % 5, 1 + (i / 2) % 5, 1 + (i / 3) % 5,
            CASE i % 5 WHEN 0 THEN 'champions' WHEN 1 THEN 'loyal' WHEN 2 THEN 'at_risk'
                WHEN 3 THEN 'lost' ELSE 'hibernating' END,
            '2026-01-01', 1 + i % 7, (i % 40) * 100000, {now}
        FROM {_series(vendor, n)} WHERE i % 2 = 0
    """  # noqa: S608 - numbers and fixed text only
    figures["rfm_s"] = _run(rfm_sql)
    orders_sql = f"""
        INSERT INTO sales_order (created_at, updated_at, uuid, contact_id, currency, channel,
            status, origin, notes, ordered_at, total)
        SELECT {now}, {now}, {_uuid(vendor)}, {first} + i - 1, 'UZS', 'store', 'paid',
            'staff', '', {_days_ago(vendor, "i % 365", "0")}, 150000
        FROM {_series(vendor, n)} WHERE i % 5 IN (0, 3)
    """  # noqa: S608 - numbers and fixed text only
    figures["orders_s"] = _run(orders_sql)
    figures["contacts"] = Contact.objects.count()
    return figures


def _time(call: Any, repeat: int) -> dict[str, float]:
    samples = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": statistics.median(samples),
        "p99_ms": samples[min(len(samples) - 1, int(len(samples) * 0.99))],
        "count": float(result or 0),
    }


def measure(repeat: int) -> dict[str, dict[str, float]]:
    from hamkor.accounts.models import User
    from hamkor.marketing.rules import clean_rules
    from hamkor.marketing.selectors import count_matching, count_matching_up_to

    def editing(viewer: User, rules: dict[str, Any]) -> int:
        return count_matching_up_to(viewer=viewer, rules=rules)[0]

    results: dict[str, dict[str, float]] = {}
    for username in ("bench_manager", "bench_sales"):
        viewer = User.objects.get(username=username)
        for name, rules in RULE_SETS.items():
            cleaned = clean_rules(rules)
            results[f"{username}: {name} (editing)"] = _time(
                lambda v=viewer, r=cleaned: editing(v, r), repeat
            )
            results[f"{username}: {name} (exact)"] = _time(
                lambda v=viewer, r=cleaned: count_matching(viewer=v, rules=r), repeat
            )
    return results


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="contacts to create")
    parser.add_argument("--database-url", default="", help="default: HAMKOR_DATABASE_URL or SQLite")
    parser.add_argument("--repeat", type=int, default=5, help="timed counts per rule set")
    parser.add_argument("--max-seconds", type=float, default=3600)
    parser.add_argument("--keep", action="store_true", help="keep the database and temp dir")
    parser.add_argument("--reuse", action="store_true", help="measure an existing bench database")
    parser.add_argument("--work-dir", default="", help="temp dir to use (with --reuse)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def out_of_time(*_args: object) -> None:
        raise TimeoutError(f"benchmark stopped after --max-seconds={args.max_seconds:.0f}")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(int(args.max_seconds))
    work_dir = (
        Path(args.work_dir) if args.work_dir else Path(tempfile.mkdtemp(prefix="hamkor-bench-"))
    )
    work_dir.mkdir(parents=True, exist_ok=True)
    setup = prepare_database(args, work_dir)
    print(f"database: {setup.database_url} (work dir {work_dir})", file=sys.stderr)
    try:
        configure_django(setup)
        data: dict[str, Any] = {}
        if not args.reuse:
            data = create_data(setup.vendor, args.n)
            _analyze(setup.vendor)
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        results = measure(args.repeat)
        print(f"machine: {machine()}")
        print(f"database: {setup.vendor} {database_version()}; load average before: {load}")
        for key, value in data.items():
            print(
                f"data {key}: {value:,.1f}"
                if isinstance(value, float)
                else f"data {key}: {value:,}"
            )
        failed = False
        for name, figures in results.items():
            ok = figures["p99_ms"] <= TARGET_MS
            failed = failed or not ok
            print(
                f"{name}: {figures['count']:,.0f} contacts, p50 {figures['p50_ms']:.0f} ms, "
                f"p99 {figures['p99_ms']:.0f} ms ({'within' if ok else 'over'} "
                f"{TARGET_MS:.0f} ms)"
            )
        return 1 if failed else 0
    finally:
        clean_up(setup, args, work_dir)


if __name__ == "__main__":
    sys.exit(main())
