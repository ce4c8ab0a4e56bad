"""Dashboard benchmark: 1M contacts / 5M order lines, the refresh, then the page's latency.

    .venv/bin/python bench/dashboard.py                  # 1,000,000 contacts, SQLite
    .venv/bin/python bench/dashboard.py --n 100000 --lines 500000
    .venv/bin/python bench/dashboard.py \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_analytics

It fills the database with set-based SQL (INSERT … SELECT over generate_series on
PostgreSQL, a recursive CTE on SQLite; a data generator, not a use case): N contacts over
seven sources, 80 % of them buyers; orders over the last two years holding --lines order
lines in all (2.5 lines an order), one in ten in USD with daily rates, one in twenty
cancelled and one in twenty-five drafts; plus open deals, activities and tickets. Then it
times the full refresh (RFM scores and figures, as the nightly job does), the hourly
figures-only refresh and one contact's re-score, and finally GET /analytics/ and
GET /api/v1/analytics/dashboard through Django's test client as a manager (p50/p99 over
--requests requests, one after another). A PostgreSQL database must have "bench" in its
name and is dropped afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import datetime
import os
import signal
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from contacts import clean_up, configure_django, database_version, machine, prepare_database

TARGET_MS = 500.0
DAYS = 730
SOURCES = 6
LINES_PER_ORDER = 2.5
DEALS = 20_000
ACTIVITIES = 20_000
TICKETS = 5_000


def _series(vendor: str, count: int) -> str:
    """A FROM clause yielding i = 1 … count."""
    if vendor == "postgresql":
        return f"generate_series(1::bigint, {int(count)}) AS s(i)"
    return (
        f"(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {int(count)})"  # noqa: S608
        " SELECT i FROM s) AS s"
    )


def _days_ago(vendor: str, days: str, hours: str) -> str:
    if vendor == "postgresql":
        return f"(now() - ({days}) * interval '1 day' - ({hours}) * interval '1 hour')"
    return f"datetime('now', '-' || ({days}) || ' days', '-' || ({hours}) || ' hours')"


def _uuid(vendor: str) -> str:
    return "gen_random_uuid()" if vendor == "postgresql" else "lower(hex(randomblob(16)))"


def _run(sql: str) -> float:
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    return time.perf_counter() - started


def create_data(vendor: str, n: int, lines: int) -> dict[str, Any]:
    """Sources, contacts, orders, lines, USD rates, deals, activities and tickets."""
    from django.utils import timezone

    from hamkor.accounts.models import Role, User
    from hamkor.activities.models import Activity, ActivityKind, ActivityOutcome
    from hamkor.contacts.models import Contact, Source
    from hamkor.core.models import ExchangeRate
    from hamkor.sales.models import Deal, Order, OrderLine, Pipeline, PipelineStage
    from hamkor.support.models import Ticket, TicketStatus

    figures: dict[str, Any] = {}
    manager = User.objects.create_user(username="bench_manager", role=Role.MANAGER)
    sources = [Source.objects.create(name=f"Bench source {k}") for k in range(SOURCES)]
    first_source = min(source.pk for source in sources)
    today = timezone.localdate()
    ExchangeRate.objects.bulk_create(
        ExchangeRate(
            date=today - datetime.timedelta(days=d),
            currency="USD",
            rate=Decimal(12000 + (DAYS - d)),
        )
        for d in range(DAYS + 2)
    )
    now = _days_ago(vendor, "0", "0")
    contact_sql = f"""
        INSERT INTO contacts_contact (created_at, updated_at, notes, custom_fields, search_text,
            first_name, last_name, middle_name, job_title, address, city, language, time_zone,
            currency, source_id, stage, name_key, version)
        SELECT {_days_ago(vendor, f"(i * 31) % {DAYS}", "0")}, {now}, '', '{{}}',
            'bench ' || i, 'Bench', 'Customer ' || i, '', '', '', 'Tashkent', 'uz',
            'Asia/Tashkent', 'UZS',
            CASE WHEN i % 7 = 6 THEN NULL ELSE {first_source} + i % 7 END, 'customer', '', 1
        FROM {_series(vendor, n)}
    """  # noqa: S608 - numbers and fixed text only
    figures["contacts_s"] = _run(contact_sql)
    first_contact = Contact.objects.order_by("pk").values_list("pk", flat=True).first() or 1
    buyers = max(1, int(n * 0.8))
    orders = max(1, int(lines / LINES_PER_ORDER))
    contact = f"{first_contact} + (i * 48271) % {buyers}"
    order_sql = f"""
        INSERT INTO sales_order (created_at, updated_at, uuid, contact_id, currency, channel,
            status, origin, notes, ordered_at, total)
        SELECT {now}, {now}, {_uuid(vendor)}, {contact},
            CASE WHEN i % 10 = 0 THEN 'USD' ELSE 'UZS' END, 'store',
            CASE WHEN i % 20 = 0 THEN 'cancelled' WHEN i % 25 = 1 THEN 'draft'
                 WHEN i % 2 = 0 THEN 'paid' ELSE 'confirmed' END,
            'staff', '',
            {_days_ago(vendor, f"(i * 7919 + (i * 48271) % {buyers}) % {DAYS}", "i % 12")},
            CASE WHEN i % 10 = 0 THEN 5 + (i * 37) % 200
                 ELSE 50000 + ((i * 37) % 2000) * 1000 END
        FROM {_series(vendor, orders)}
    """  # noqa: S608 - numbers and fixed text only
    figures["orders_s"] = _run(order_sql)
    first_order = Order.objects.order_by("pk").values_list("pk", flat=True).first() or 1
    line_sql = f"""
        INSERT INTO sales_orderline (order_id, description, quantity, unit_price,
            discount_percent, line_total, position)
        SELECT {first_order} + (i - 1) % {orders}, 'Bench line', 1, 10000, 0, 10000,
            (i - 1) / {orders}
        FROM {_series(vendor, lines)}
    """  # noqa: S608 - numbers and fixed text only
    figures["lines_s"] = _run(line_sql)
    pipeline = Pipeline.objects.create(name="Bench pipeline")
    stages = [
        PipelineStage.objects.create(pipeline=pipeline, name=name, position=k)
        for k, name in enumerate(["New", "Qualified", "Proposal", "Negotiation"])
    ]
    Deal.objects.bulk_create(
        (
            Deal(
                title=f"Deal {k}",
                contact_id=first_contact + k % n,
                pipeline=pipeline,
                stage=stages[k % len(stages)],
                amount=Decimal(100 + k % 900) * (1 if k % 5 == 0 else 12000),
                currency="USD" if k % 5 == 0 else "UZS",
            )
            for k in range(DEALS)
        ),
        batch_size=5000,
    )
    moment = timezone.now()
    Activity.objects.bulk_create(
        (
            Activity(
                kind=ActivityKind.MEETING if k % 2 else ActivityKind.CALL,
                subject=f"Activity {k}",
                contact_id=first_contact + k % n,
                owner=manager,
                due_at=moment - datetime.timedelta(hours=k % (24 * 14)),
                done_at=moment - datetime.timedelta(hours=k % (24 * 14)) if k % 3 else None,
                outcome=(ActivityOutcome.SUCCESSFUL if k % 4 else ActivityOutcome.UNSUCCESSFUL)
                if k % 3
                else "",
            )
            for k in range(ACTIVITIES)
        ),
        batch_size=5000,
    )
    Ticket.objects.bulk_create(
        (
            Ticket(
                contact_id=first_contact + k % n,
                subject=f"Ticket {k}",
                status=TicketStatus.OPEN if k % 3 else TicketStatus.CLOSED,
                resolution_due_at=moment + datetime.timedelta(hours=k % 48 - 12),
                resolution_breached_at=moment if k % 7 == 0 else None,
            )
            for k in range(TICKETS)
        ),
        batch_size=5000,
    )
    figures["contacts"] = Contact.objects.count()
    figures["orders"] = Order.objects.count()
    figures["lines"] = OrderLine.objects.count()
    return figures


def _analyze(vendor: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _time_requests(client: Any, path: str, count: int) -> dict[str, float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
    timings.sort()
    return {
        "p50_ms": statistics.median(timings),
        "p99_ms": timings[min(len(timings) - 1, int(len(timings) * 0.99))],
        "max_ms": timings[-1],
    }


def measure(requests: int) -> dict[str, Any]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from hamkor.accounts.models import User
    from hamkor.accounts.services import issue_token
    from hamkor.analytics.models import RfmScore
    from hamkor.analytics.services import refresh_analytics, refresh_contact_rfm

    setup_test_environment()
    results: dict[str, Any] = {}
    started = time.perf_counter()
    refresh = refresh_analytics(with_rfm=True)
    results["refresh_full_s"] = time.perf_counter() - started
    results["customers"] = refresh.customers
    results["counted_orders"] = refresh.orders
    print(
        f"full refresh (RFM + figures): {results['refresh_full_s']:.1f} s for "
        f"{refresh.orders:,} counted orders, {refresh.customers:,} customers",
        flush=True,
    )
    started = time.perf_counter()
    refresh_analytics(with_rfm=False)
    results["refresh_figures_s"] = time.perf_counter() - started
    print(f"hourly refresh (figures only): {results['refresh_figures_s']:.1f} s", flush=True)
    contact_id = RfmScore.objects.order_by("-orders").values_list("contact_id", flat=True)[0]
    started = time.perf_counter()
    refresh_contact_rfm(contact_id=contact_id)
    results["rescore_one_ms"] = (time.perf_counter() - started) * 1000
    print(f"re-score one contact: {results['rescore_one_ms']:.1f} ms", flush=True)
    manager = User.objects.get(username="bench_manager")
    client = Client()
    client.force_login(manager)
    client.get("/analytics/")  # Warm caches and templates once.
    results["page"] = _time_requests(client, "/analytics/", requests)
    results["page_churn_30"] = _time_requests(client, "/analytics/?churn_days=30", requests)
    api = Client(headers={"Authorization": f"Bearer {issue_token(user=manager, name='b').secret}"})
    results["api"] = _time_requests(api, "/api/v1/analytics/dashboard", requests)
    return results


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="contacts to create")
    parser.add_argument("--lines", type=int, default=5_000_000, help="order lines to create")
    parser.add_argument("--database-url", default="", help="default: HAMKOR_DATABASE_URL or SQLite")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
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
            data = create_data(setup.vendor, args.n, args.lines)
            _analyze(setup.vendor)
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        print(f"machine: {machine()}")
        print(f"database: {setup.vendor} {database_version()}; load average before: {load}")
        for key, value in data.items():
            text = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
            print(f"data {key}: {text}", flush=True)
        results = measure(args.requests)
        failed = False
        for name in ("page", "page_churn_30", "api"):
            figures = results[name]
            ok = figures["p99_ms"] <= TARGET_MS
            failed = failed or not ok
            print(
                f"{name}: p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, "
                f"max {figures['max_ms']:.1f} ms ({'within' if ok else 'over'} "
                f"{TARGET_MS:.0f} ms, {args.requests} requests)"
            )
        return 1 if failed else 0
    finally:
        clean_up(setup, args, work_dir)


if __name__ == "__main__":
    sys.exit(main())
