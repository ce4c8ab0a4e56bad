"""Reports benchmark: a report page, grouped totals and full CSV/XLSX/PDF exports of big lists.

    .venv/bin/python bench/reports.py                  # 20,000 contacts, 200,000 lines, SQLite
    .venv/bin/python bench/reports.py --n 100000 --lines 1000000
    .venv/bin/python bench/reports.py \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_reports

The data is bench/sales.py's (contacts, products, orders over two years with their lines).
Then, in this process, as the manager (every row) and as a salesperson (one team's rows),
it times: the first page of the orders report with its totals; the orders grouped by month
and by channel, and the products sold grouped by product (one page of groups each, with
totals per currency); and full exports of the orders and products-sold reports as CSV and
XLSX (every row, streamed), plus the PDF of orders grouped by month. For exports it prints
rows/s and the process's peak memory. A PostgreSQL database must have "bench" in its name and
is dropped afterwards unless --keep; --reuse measures a kept database again.
"""

from __future__ import annotations

import argparse
import datetime
import io
import random
import resource
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from contacts import BENCH_SALES, BENCH_USER, clean_up, configure_django, prepare_database
from sales import DataFigures, analyze, create_contacts, create_orders, create_products

RATES = {"USD": "12650", "EUR": "13700", "RUB": "140"}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _time(action: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """p50 and max of ``repeat`` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def _rates() -> None:
    from decimal import Decimal

    from hamkor.core.models import ExchangeRate

    for code, rate in RATES.items():
        ExchangeRate.objects.get_or_create(
            currency=code, date=datetime.date(2000, 1, 1), defaults={"rate": Decimal(rate)}
        )


def time_pages(viewer: Any, repeat: int) -> list[tuple[str, float, float, int]]:
    from hamkor.core.paging import list_page
    from hamkor.reports.engine import get_totals, list_groups, list_rows, parse_query
    from hamkor.reports.registry import get_report

    results = []
    cases = [
        ("orders, first page + totals", "orders", {}),
        ("orders, last 30 days + totals", "orders", {"date_from": _days_ago(30)}),
        ("orders by month", "orders", {"group_by": "month"}),
        ("orders by channel", "orders", {"group_by": "channel"}),
        ("products sold by product", "order-lines", {"group_by": "product"}),
    ]
    for label, key, params in cases:
        report = get_report(key)
        assert report is not None
        query = parse_query(report, viewer, params)
        found = [0]

        def run(report: Any = report, query: Any = query, found: list[int] = found) -> None:
            totals = get_totals(report, viewer, query)
            if query.group_by:
                groups = list_groups(report, viewer, query)
                page = list_page(groups.rows, offset=0, limit=50)
                list(groups.present(page["items"]))
            else:
                list_page(list_rows(report, viewer, query), offset=0, limit=50)
            found[0] = totals.count

        p50, worst = _time(run, repeat)
        results.append((label, p50, worst, found[0]))
    return results


def _days_ago(days: int) -> str:
    from django.utils import timezone

    return (timezone.localdate() - datetime.timedelta(days=days)).isoformat()


def time_exports(viewer: Any) -> list[tuple[str, int, float, int, float]]:
    from hamkor.reports.engine import parse_query
    from hamkor.reports.exports import _Table, csv_lines, render_pdf, write_xlsx
    from hamkor.reports.registry import get_report

    results = []
    for key in ("orders", "order-lines"):
        report = get_report(key)
        assert report is not None
        query = parse_query(report, viewer, {})
        started = time.perf_counter()
        size = rows = 0
        for line in csv_lines(_Table(report, viewer, query), ","):
            size += len(line.encode())
            rows += 1
        seconds = time.perf_counter() - started
        results.append((f"{key} CSV", rows - 1, seconds, size, _peak_mb()))
        with tempfile.TemporaryFile() as handle:
            started = time.perf_counter()
            write_xlsx(_Table(report, viewer, query), handle)
            seconds = time.perf_counter() - started
            results.append((f"{key} XLSX", rows - 1, seconds, handle.tell(), _peak_mb()))
    report = get_report("orders")
    assert report is not None
    query = parse_query(report, viewer, {"group_by": "month"})
    started = time.perf_counter()
    body = render_pdf(report, viewer, query)
    results.append(("orders by month PDF", 0, time.perf_counter() - started, len(body), 0.0))
    io.BytesIO(body).close()
    return results


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="contacts to create")
    parser.add_argument("--lines", type=int, default=200_000, help="order lines to create")
    parser.add_argument("--database-url", default="", help="default: HAMKOR_DATABASE_URL or SQLite")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per page scenario")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-seconds", type=int, default=0, help="stop after this long")
    parser.add_argument("--keep", action="store_true", help="keep the database and temp dir")
    parser.add_argument("--reuse", action="store_true", help="measure an existing bench database")
    parser.add_argument("--work-dir", default="", help="temp dir to use (with --reuse)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    max_seconds = args.max_seconds or 900 + args.n / 100 + args.lines / 1000

    def out_of_time(*_args: object) -> None:
        raise TimeoutError(f"benchmark stopped after --max-seconds={max_seconds:.0f}")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(int(max_seconds))
    work_dir = (
        Path(args.work_dir) if args.work_dir else Path(tempfile.mkdtemp(prefix="hamkor-bench-"))
    )
    work_dir.mkdir(parents=True, exist_ok=True)
    setup = prepare_database(args, work_dir)
    print(f"database: {setup.database_url} (work dir {work_dir})", file=sys.stderr)
    rng = random.Random(args.seed)
    try:
        configure_django(setup)
        if not args.reuse:
            data = DataFigures()
            manager = create_contacts(setup, rng, data)
            create_products(manager, rng)
            create_orders(setup, rng, args.lines, data)
            analyze(setup, data, analyze_sqlite=False)
        _rates()
        from hamkor.accounts.models import User
        from hamkor.sales.models import Order, OrderLine

        print(
            f"\n{setup.vendor}: {Order.objects.count():,} orders, "
            f"{OrderLine.objects.count():,} order lines (figures taken under load)"
        )
        for username in (BENCH_USER, BENCH_SALES):
            viewer = User.objects.get(username=username)
            print(f"\nas {username} ({viewer.role}) — p50 / max of {args.repeat} runs")
            for label, p50, worst, count in time_pages(viewer, args.repeat):
                print(f"  {label:<34} {p50:8.1f} ms {worst:8.1f} ms   ({count:,} rows)")
        viewer = User.objects.get(username=BENCH_USER)
        print(f"\nfull exports as {BENCH_USER}")
        for label, rows, seconds, size, peak in time_exports(viewer):
            speed = f"{rows / seconds:10,.0f} rows/s" if rows else " " * 17
            memory = f"peak RSS {peak:6.0f} MB" if peak else ""
            print(f"  {label:<22} {seconds:7.2f} s {speed} {size / 1e6:7.1f} MB  {memory}")
        print(f"\nbenchmark took {time.monotonic() - started:.0f} s")
    finally:
        clean_up(setup, args, work_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
