"""Sales benchmark: order data, insight recompute, create-order and customer-card latency.

    .venv/bin/python bench/sales.py                    # 100,000 contacts, 1,000,000 lines, SQLite
    .venv/bin/python bench/sales.py --n 20000 --lines 200000
    .venv/bin/python bench/sales.py \\
        --database-url postgres://postgres@127.0.0.1:5432/hamkor_bench_sales

It creates N contacts through contacts.services.bulk_create_contacts, about 200 products
and orders over the last two years holding M order lines in all, inserted directly with
bulk_create (a data generator, not a use case): a share of customers are regulars who buy
the same staple products every few weeks, the rest buy now and then, baskets favour
products of one category. Then, in this process, it times the full insight recompute
(purchase cycles and product pairs) and the incremental refresh after one new order; then
it starts gunicorn on a free port of 127.0.0.1 (bench/contacts.py does the server, login,
token and database safety) and times, one request after another, POST /api/v1/orders with
and without an Idempotency-Key, the contact card with its insight panel, the parts the
card loads right after itself (secondary panels, duplicate hint; fetched in parallel as a
browser does), the card with those parts, and the insight API. Everything stops by itself
(--max-seconds); a PostgreSQL database must have "bench" in its name and is dropped
afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import datetime
import random
import re
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests

from contacts import (
    BENCH_SALES,
    BENCH_USER,
    CHUNK,
    TEAMS,
    Result,
    Setup,
    _contact_items,
    _password,
    _progress,
    api_session,
    clean_up,
    configure_django,
    database_version,
    machine,
    prepare_database,
    running_server,
    web_session,
)

DAYS = 730
PRODUCTS = 200
CATEGORIES = 20
ORDER_BATCH = 2000
# Share of all lines bought by regulars (repeat purchases every few weeks).
REGULAR_SHARE = 0.4
CREATE_TARGET_MS = 50.0
CARD_TARGET_MS = 100.0
RECOMPUTE_TARGET_S = 60.0
INCREMENTAL_SAMPLES = 20


def _load() -> str:
    return Path("/proc/loadavg").read_text().strip()


# --- data -------------------------------------------------------------------------------


@dataclass
class DataFigures:
    contacts: int = 0
    contact_seconds: float = 0.0
    products: int = 0
    orders: int = 0
    lines: int = 0
    order_seconds: float = 0.0
    analyze_seconds: float = 0.0
    regulars: int = 0


def create_contacts(setup: Setup, rng: random.Random, figures: DataFigures) -> Any:
    """Users and N contacts via bulk_create_contacts; returns the manager."""
    from hamkor.accounts.models import Role
    from hamkor.accounts.services import create_user, get_or_create_team
    from hamkor.contacts.services import bulk_create_contacts

    teams = [get_or_create_team(name=f"Bench team {i}") for i in range(TEAMS)]
    manager = create_user(username=BENCH_USER, password=_password(setup), role=Role.MANAGER)
    owners = [
        create_user(
            username=BENCH_SALES if i == 0 else f"bench_sales_{i}",
            password=_password(setup),
            role=Role.SALES,
            team=teams[i % TEAMS],
        )
        for i in range(TEAMS * 2)
    ]
    started = time.perf_counter()
    done = 0
    while done < setup.n:
        size = min(CHUNK, setup.n - done)
        done += bulk_create_contacts(items=_contact_items(rng, size, owners), actor=manager)
        _progress("contacts", done, setup.n, started)
    print(file=sys.stderr)
    figures.contacts = done
    figures.contact_seconds = time.perf_counter() - started
    return manager


def create_products(manager: Any, rng: random.Random) -> list[Any]:
    from django.conf import settings

    from hamkor.sales.models import Unit
    from hamkor.sales.services.products import create_product

    currency = str(settings.HAMKOR_DEFAULT_CURRENCY)
    units = [Unit.PIECE] * 6 + [Unit.KG, Unit.LITRE, Unit.BOX]
    return [
        create_product(
            values={
                "sku": f"BENCH-{index:04d}",
                "name": f"Product {index:03d}",
                "category": f"Category {index % CATEGORIES:02d}",
                "unit": rng.choice(units),
                "price": Decimal(rng.randrange(20, 5000) * 500),
                "currency": currency,
            },
            actor=manager,
        )
        for index in range(PRODUCTS)
    ]


@dataclass
class PlannedOrder:
    contact_id: int
    owner_id: int | None
    team_id: int | None
    ordered_at: datetime.datetime
    # (product index, quantity, discount percent)
    lines: list[tuple[int, Decimal, Decimal]] = field(default_factory=list)


class Planner:
    """Orders for regulars (staples every few weeks) and occasional buyers, M lines in all."""

    def __init__(self, rng: random.Random, contacts: list[tuple[int, int | None, int | None]]):
        self.rng = rng
        self.contacts = contacts
        self.now = datetime.datetime.now(tz=datetime.UTC)
        # Popularity: a long tail, like most shops.
        self.weights = [1 / (rank + 1) ** 0.8 for rank in range(PRODUCTS)]
        self.by_category = [
            [p for p in range(PRODUCTS) if p % CATEGORIES == c] for c in range(CATEGORIES)
        ]

    def _quantity(self) -> Decimal:
        if self.rng.random() < 0.2:
            return Decimal(self.rng.randrange(250, 3000, 250)) / 1000
        return Decimal(self.rng.choice((1, 1, 1, 2, 2, 3, 5, 10)))

    def _discount(self) -> Decimal:
        return Decimal(self.rng.choice((0, 0, 0, 0, 0, 0, 0, 5, 10, 15)))

    def _extras(self, anchor: int, count: int, taken: set[int]) -> list[int]:
        extras = []
        for _n in range(count):
            if self.rng.random() < 0.6:
                product = self.rng.choice(self.by_category[anchor % CATEGORIES])
            else:
                product = self.rng.choices(range(PRODUCTS), self.weights)[0]
            if product not in taken:
                taken.add(product)
                extras.append(product)
        return extras

    def _order(self, contact: tuple[int, int | None, int | None], day: float) -> PlannedOrder:
        minutes = int(day * 24 * 60) + self.rng.randrange(9 * 60, 21 * 60)
        return PlannedOrder(
            contact_id=contact[0],
            owner_id=contact[1],
            team_id=contact[2],
            ordered_at=self.now
            - datetime.timedelta(days=DAYS)
            + datetime.timedelta(minutes=minutes),
        )

    def regular(self, contact: tuple[int, int | None, int | None]) -> list[PlannedOrder]:
        """Every `period` days (± a few) the same 1-2 staples, sometimes with extras."""
        staples = self.rng.sample(range(PRODUCTS), self.rng.choice((1, 1, 2)))
        period = self.rng.choice((7, 10, 14, 14, 21, 28, 30, 45))
        day = self.rng.uniform(0, DAYS / 2)
        orders = []
        while day < DAYS - 1:
            order = self._order(contact, day)
            taken = set(staples)
            products = list(staples) + self._extras(staples[0], self.rng.randrange(0, 3), taken)
            order.lines = [(p, self._quantity(), self._discount()) for p in products]
            orders.append(order)
            day += max(1, period + self.rng.randint(-2, 2))
            if self.rng.random() < 0.05:  # a holiday or a month at the competitor's
                day += period * 2
        return orders

    def occasional(self, contact: tuple[int, int | None, int | None]) -> PlannedOrder:
        order = self._order(contact, self.rng.uniform(0, DAYS - 1))
        anchor = self.rng.choices(range(PRODUCTS), self.weights)[0]
        products = [anchor, *self._extras(anchor, self.rng.choice((0, 1, 1, 2, 3)), {anchor})]
        order.lines = [(p, self._quantity(), self._discount()) for p in products]
        return order


def create_orders(
    setup: Setup, rng: random.Random, lines_wanted: int, figures: DataFigures
) -> None:
    """Insert orders and lines with bulk_create, batch by batch, until M lines exist."""
    from hamkor.contacts.models import Contact
    from hamkor.sales.models import Order, OrderLine, OrderStatus, Product
    from hamkor.sales.services.orders import compute_line_total

    products = list(Product.objects.filter(sku__startswith="BENCH-").order_by("sku"))
    contacts = list(Contact.objects.order_by("pk").values_list("pk", "owner_id", "team_id"))
    planner = Planner(rng, contacts)
    statuses = [OrderStatus.PAID] * 60 + [OrderStatus.CONFIRMED] * 32
    statuses += [OrderStatus.CANCELLED] * 5 + [OrderStatus.DRAFT] * 3
    shuffled = contacts[:]
    rng.shuffle(shuffled)
    regular_budget = int(lines_wanted * REGULAR_SHARE)
    started = time.perf_counter()
    pending: list[PlannedOrder] = []
    pending_lines = [0]  # lines in ``pending``, kept so add() stays O(1)

    def flush() -> None:
        orders: list[Order] = []
        for plan in pending:
            currency = products[plan.lines[0][0]].currency
            orders.append(
                Order(
                    contact_id=plan.contact_id,
                    owner_id=plan.owner_id,
                    team_id=plan.team_id,
                    currency=currency,
                    status=rng.choice(statuses),
                    ordered_at=plan.ordered_at,
                )
            )
        built: list[OrderLine] = []
        for order, plan in zip(orders, pending, strict=True):
            total = Decimal(0)
            for position, (index, quantity, discount) in enumerate(plan.lines):
                product = products[index]
                line_total = compute_line_total(
                    quantity=quantity,
                    unit_price=product.price,
                    discount_percent=discount,
                    currency=order.currency,
                )
                total += line_total
                built.append(
                    OrderLine(
                        product_id=product.pk,
                        quantity=quantity,
                        unit_price=product.price,
                        discount_percent=discount,
                        line_total=line_total,
                        position=position,
                    )
                )
            order.total = total
        Order.objects.bulk_create(orders)
        cursor = 0
        for order, plan in zip(orders, pending, strict=True):
            for line in built[cursor : cursor + len(plan.lines)]:
                line.order_id = order.pk
            cursor += len(plan.lines)
        OrderLine.objects.bulk_create(built, batch_size=5000)
        figures.orders += len(orders)
        figures.lines += len(built)
        pending.clear()
        pending_lines[0] = 0
        _progress("order lines", figures.lines, lines_wanted, started)

    def add(plan: PlannedOrder) -> bool:
        """Queue an order, cut to the lines still wanted; False once M lines are planned."""
        room = lines_wanted - figures.lines - pending_lines[0]
        if room <= 0:
            return False
        plan.lines = plan.lines[:room]
        pending.append(plan)
        pending_lines[0] += len(plan.lines)
        if len(pending) >= ORDER_BATCH:
            flush()
        return True

    planned = 0
    for contact in shuffled:
        if planned >= regular_budget:
            break
        figures.regulars += 1
        for plan in planner.regular(contact):
            planned += len(plan.lines)
            if not add(plan):
                break
    while add(planner.occasional(rng.choice(contacts))):
        pass
    if pending:
        flush()
    print(file=sys.stderr)
    figures.order_seconds = time.perf_counter() - started


def analyze(setup: Setup, figures: DataFigures, *, analyze_sqlite: bool) -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
            setup.notes.append("VACUUM ANALYZE after loading (as autovacuum would)")
        elif analyze_sqlite:
            cursor.execute("ANALYZE")
            setup.notes.append("ANALYZE after loading")
    figures.analyze_seconds = time.perf_counter() - started


# --- insight, in process ----------------------------------------------------------------


@dataclass
class InsightFigures:
    cycles: int = 0
    cycles_seconds: float = 0.0
    pairs: int = 0
    pairs_seconds: float = 0.0
    loyal: int = 0
    loyal_seconds: float = 0.0
    # Milliseconds per refresh_order_insight after one new order.
    incremental_ms: list[float] = field(default_factory=list)
    # Milliseconds per refresh_order_insight after cancelling one of those orders.
    cancel_ms: list[float] = field(default_factory=list)
    incremental_lines: int = 0


def time_recompute(figures: InsightFigures, *, loyal: bool) -> None:
    from hamkor.sales.services.insight import (
        mark_loyal_contacts,
        recompute_product_pairs,
        recompute_purchase_cycles,
    )

    print(f"  recompute purchase cycles… (load {_load()})", file=sys.stderr)
    started = time.perf_counter()
    figures.cycles = recompute_purchase_cycles()
    figures.cycles_seconds = time.perf_counter() - started
    print("  recompute product pairs…", file=sys.stderr)
    started = time.perf_counter()
    figures.pairs = recompute_product_pairs()
    figures.pairs_seconds = time.perf_counter() - started
    if loyal:
        print("  mark loyal contacts…", file=sys.stderr)
        started = time.perf_counter()
        figures.loyal = mark_loyal_contacts()
        figures.loyal_seconds = time.perf_counter() - started


def time_incremental(figures: InsightFigures, rng: random.Random, deadline: float) -> None:
    """A new order through create_order (its hook only queues), then the refresh, timed."""
    from hamkor.accounts.models import User
    from hamkor.contacts.models import Contact
    from hamkor.sales.models import Product, PurchaseCycle
    from hamkor.sales.services.insight import refresh_order_insight
    from hamkor.sales.services.orders import LineInput, cancel_order, create_order

    manager = User.objects.get(username=BENCH_USER)
    products = list(Product.objects.filter(sku__startswith="BENCH-").order_by("pk"))
    regulars = list(
        PurchaseCycle.objects.order_by("contact_id").values_list("contact_id", flat=True)[:5000]
    )
    for index in range(INCREMENTAL_SAMPLES):
        if time.monotonic() > deadline:
            break
        # Half regulars (many orders, cycles to rebuild), half anyone.
        if regulars and index % 2 == 0:
            contact_id = rng.choice(regulars)
        else:
            contact_id = rng.choice(_contact_ids())
        contact = Contact.objects.get(pk=contact_id)
        chosen = rng.sample(products, rng.randrange(1, 5))
        order = create_order(
            actor=manager,
            contact=contact,
            lines=[LineInput(product=p, quantity=Decimal(1)) for p in chosen],
        )
        figures.incremental_lines += len(chosen)
        started = time.perf_counter()
        refresh_order_insight(order_id=order.pk)
        figures.incremental_ms.append((time.perf_counter() - started) * 1000)
        if index % 2 == 1:
            # Taking an order back must be as cheap: the refresh applies negative deltas.
            cancel_order(order=order, actor=manager)
            started = time.perf_counter()
            refresh_order_insight(order_id=order.pk)
            figures.cancel_ms.append((time.perf_counter() - started) * 1000)


_IDS: list[int] = []


def _contact_ids() -> list[int]:
    from hamkor.contacts.models import Contact

    if not _IDS:
        _IDS.extend(Contact.objects.order_by("pk").values_list("pk", flat=True))
    return _IDS


# --- HTTP -------------------------------------------------------------------------------


def timed(
    name: str,
    count: int,
    deadline: float,
    call: Callable[[int], requests.Response],
    ok: tuple[int, ...] = (200,),
) -> Result:
    """One request after another: a probe, five warm-ups, then ``count`` timed calls."""
    result = Result(name=name)
    try:
        probe = call(0)
    except requests.RequestException as error:
        result.skipped = f"request failed: {error}"
        return result
    if probe.status_code not in ok:
        result.skipped = f"HTTP {probe.status_code} on the first request: {probe.text[:200]}"
        return result
    for index in range(1, 6):
        call(index)
    timings: list[float] = []
    for index in range(count):
        if time.monotonic() > deadline:
            result.skipped = f"stopped by --max-seconds after {index} requests"
            break
        started = time.perf_counter()
        answer = call(index + 10)
        timings.append((time.perf_counter() - started) * 1000)
        if answer.status_code not in ok:
            result.errors += 1
            if result.errors == 1:
                result.sample = f"HTTP {answer.status_code}: {answer.text[:200]}"
    if timings:
        timings.sort()
        result.requests = len(timings)
        result.p50 = statistics.median(timings)
        result.p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
        result.maximum = timings[-1]
    return result


def card_contacts(rng: random.Random, count: int) -> list[int]:
    """Contacts to open: half regulars (long histories, cycles), half any buyer."""
    from hamkor.sales.models import Order, PurchaseCycle

    regulars = list(PurchaseCycle.objects.values_list("contact_id", flat=True).distinct()[:20000])
    top = max(_contact_ids())
    buyers = list(
        Order.objects.filter(contact_id__in=[rng.randrange(1, top + 1) for _ in range(count * 3)])
        .values_list("contact_id", flat=True)
        .distinct()
    )
    ids = []
    for index in range(count + 20):
        pool = regulars if regulars and index % 2 == 0 else buyers or _contact_ids()
        ids.append(rng.choice(pool))
    return ids


def http_results(
    setup: Setup, args: argparse.Namespace, rng: random.Random, deadline: float
) -> list[Result]:
    from hamkor.sales.models import Product

    product_ids = list(
        Product.objects.filter(sku__startswith="BENCH-").values_list("pk", flat=True)
    )
    ids = _contact_ids()
    cards = card_contacts(rng, args.requests)
    run = uuid.uuid4().hex[:8]

    def body(index: int) -> dict[str, Any]:
        picked = random.Random(index).sample(product_ids, 1 + index % 4)
        return {
            "contact_id": ids[(index * 7919) % len(ids)],
            "lines": [{"product_id": p, "quantity": "1"} for p in picked],
        }

    results: list[Result] = []
    with running_server(setup, args.workers) as base:
        web, how = web_session(base, setup, BENCH_USER)
        setup.notes.append(f"web session: {how}")
        api = api_session(BENCH_USER)
        late = _late_parts(base, web, cards)

        def post(index: int, key: str = "") -> requests.Response:
            headers = {"Idempotency-Key": key} if key else {}
            return api.post(base + "/api/v1/orders", json=body(index), headers=headers, timeout=30)

        plan: list[tuple[str, Callable[[int], requests.Response], tuple[int, ...]]] = [
            ("api create order (1-4 lines)", post, (201,)),
            (
                "api create order, Idempotency-Key",
                lambda i: post(i + 100_000, f"bench-{run}-{i}"),
                (201,),
            ),
            (
                "api create order, replayed key",
                lambda i: post(100_000 + i % 5, f"bench-{run}-{i % 5}"),
                (200,),
            ),
            (
                "web contact card + insight",
                lambda i: web.get(f"{base}/contacts/{cards[i % len(cards)]}/", timeout=30),
                (200,),
            ),
            ("web card, late parts (in parallel)", lambda i: late(cards[i % len(cards)]), (200,)),
            (
                "web card complete: page, then its late parts",
                lambda i: _then(
                    web.get(f"{base}/contacts/{cards[i % len(cards)]}/", timeout=30),
                    lambda: late(cards[i % len(cards)]),
                ),
                (200,),
            ),
            (
                "api contact insight",
                lambda i: api.get(
                    f"{base}/api/v1/insight/contacts/{cards[i % len(cards)]}", timeout=30
                ),
                (200,),
            ),
        ]
        for name, call, ok in plan:
            if args.only and args.only not in name:
                continue
            print(f"  measuring {name}… (load {_load()})", file=sys.stderr)
            results.append(timed(name, args.requests, deadline, call, ok))
    return results


LATE_PART = re.compile(r'hx-get="(?P<url>/contacts/\d+/(?:panels/[\w-]+|duplicates)/)"')


def _late_parts(
    base: str, web: requests.Session, contact_ids: list[int]
) -> Callable[[int], requests.Response]:
    """What a browser asks for right after a card (hx-trigger="load"), all at once.

    The URLs are read from each card beforehand (not timed), so the bench follows what the
    page really holds; the answer is the first that failed, else the last.
    """
    pool = ThreadPoolExecutor(max_workers=8)
    local = threading.local()

    def fetch(url: str) -> requests.Response:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.cookies.update(web.cookies)
        return local.session.get(base + url, headers={"HX-Request": "true"}, timeout=30)

    urls_of = {}
    for contact_id in set(contact_ids):
        card = web.get(f"{base}/contacts/{contact_id}/", timeout=30).text
        urls_of[contact_id] = [match.group("url") for match in LATE_PART.finditer(card)]

    def call(contact_id: int) -> requests.Response:
        answers = list(pool.map(fetch, urls_of[contact_id]))
        return next((a for a in answers if a.status_code != 200), answers[-1])

    return call


def _then(first: requests.Response, then: Callable[[], requests.Response]) -> requests.Response:
    return first if first.status_code != 200 else then()


# --- report -----------------------------------------------------------------------------


def _verdict(value: float, target: float) -> str:
    return "ok" if value < target else "MISSED"


def report(
    setup: Setup,
    data: DataFigures | None,
    insight: InsightFigures,
    results: list[Result],
    loads: list[str],
    total_seconds: float,
) -> None:
    from hamkor.sales.models import Order, OrderLine

    info = machine()
    print()
    print(f"date: {datetime.datetime.now(tz=datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {info['cpus']} CPUs ({info['cpu']}), {info['memory']} RAM,")
    print(f"python {info['python']}, {database_version()}, contacts = {setup.n:,}")
    print(f"orders = {Order.objects.count():,}, lines = {OrderLine.objects.count():,} (at the end)")
    for note in setup.notes:
        print(f"note: {note}")
    for load in loads:
        print(f"load average {load}")
    if data is not None:
        print(
            f"contacts: {data.contacts:,} in {data.contact_seconds:.1f} s = "
            f"{data.contacts / data.contact_seconds:,.0f} contacts/s"
        )
        rows = data.orders + data.lines
        print(
            f"orders: {data.orders:,} orders + {data.lines:,} lines "
            f"({data.regulars:,} regular customers) in {data.order_seconds:.1f} s = "
            f"{rows / data.order_seconds:,.0f} rows/s; analyze {data.analyze_seconds:.1f} s"
        )
    print()
    print("| insight (in process) | result | seconds | target |")
    print("|---|---:|---:|---|")
    full = insight.cycles_seconds + insight.pairs_seconds
    print(
        f"| recompute_purchase_cycles() | {insight.cycles:,} cycles | "
        f"{insight.cycles_seconds:.1f} | |"
    )
    print(
        f"| recompute_product_pairs() | {insight.pairs:,} pairs | {insight.pairs_seconds:.1f} | |"
    )
    print(
        f"| full recompute (both) | | {full:.1f} | < {RECOMPUTE_TARGET_S:.0f} s: "
        f"{_verdict(full, RECOMPUTE_TARGET_S)} |"
    )
    if insight.loyal_seconds:
        print(
            f"| mark_loyal_contacts() (nightly, not in target) | {insight.loyal:,} marked | "
            f"{insight.loyal_seconds:.1f} | |"
        )
    if insight.incremental_ms:
        samples = sorted(insight.incremental_ms)
        print(
            f"| refresh_order_insight() after one new order, {len(samples)} orders | "
            f"p50 {statistics.median(samples):.0f} ms, max {samples[-1]:.0f} ms | | reported |"
        )
    if insight.cancel_ms:
        samples = sorted(insight.cancel_ms)
        print(
            f"| refresh_order_insight() after cancelling one, {len(samples)} orders | "
            f"p50 {statistics.median(samples):.0f} ms, max {samples[-1]:.0f} ms | | reported |"
        )
    print()
    print("| HTTP scenario | requests | p50 ms | p99 ms | max ms | target |")
    print("|---|---:|---:|---:|---:|---|")
    for r in results:
        if r.skipped and not r.requests:
            print(f"| {r.name} | skipped: {r.skipped} | | | | |")
            continue
        target = CREATE_TARGET_MS if "create" in r.name else CARD_TARGET_MS
        verdict = f"p99 < {target:.0f}: {_verdict(r.p99, target)}"
        if "late parts" in r.name:
            # The target is the card with insight; what loads after it is reported.
            verdict = "reported"
        errors = f" ({r.errors} errors: {r.sample})" if r.errors else ""
        print(
            f"| {r.name} | {r.requests}{errors} | {r.p50:.1f} | {r.p99:.1f} | "
            f"{r.maximum:.1f} | {verdict} |"
        )
    print(f"\nbenchmark took {total_seconds:.0f} s")


# --- main -------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="contacts to create")
    parser.add_argument("--lines", type=int, default=1_000_000, help="order lines to create")
    parser.add_argument("--database-url", default="", help="default: HAMKOR_DATABASE_URL or SQLite")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per scenario")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--max-seconds", type=float, default=0, help="default: 900 + N/100 + lines/1000"
    )
    parser.add_argument("--analyze", action="store_true", help="run ANALYZE on SQLite too")
    parser.add_argument("--no-loyal", action="store_true", help="skip timing mark_loyal_contacts")
    parser.add_argument(
        "--no-recompute",
        action="store_true",
        help="with --reuse: skip the full recompute (the data keeps its insight)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and temp dir")
    parser.add_argument("--reuse", action="store_true", help="measure an existing bench database")
    parser.add_argument("--work-dir", default="", help="temp dir to use (with --reuse)")
    parser.add_argument("--only", default="", help="HTTP scenarios whose name contains this")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    max_seconds = args.max_seconds or 900 + args.n / 100 + args.lines / 1000
    deadline = started + max_seconds

    def out_of_time(*_args: object) -> None:
        raise TimeoutError(f"benchmark stopped after --max-seconds={max_seconds:.0f}")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(int(max_seconds) + 60)
    work_dir = (
        Path(args.work_dir) if args.work_dir else Path(tempfile.mkdtemp(prefix="hamkor-bench-"))
    )
    work_dir.mkdir(parents=True, exist_ok=True)
    setup = prepare_database(args, work_dir)
    print(f"database: {setup.database_url} (work dir {work_dir})", file=sys.stderr)
    loads = [f"at the start: {_load()}"]
    rng = random.Random(args.seed)
    try:
        configure_django(setup)
        data = None
        if not args.reuse:
            data = DataFigures()
            manager = create_contacts(setup, rng, data)
            data.products = len(create_products(manager, rng))
            create_orders(setup, rng, args.lines, data)
            analyze(setup, data, analyze_sqlite=args.analyze)
            loads.append(f"after loading data: {_load()}")
        else:
            from hamkor.contacts.models import Contact

            setup.n = Contact.objects.count()
        insight = InsightFigures()
        if not (args.reuse and args.no_recompute):
            time_recompute(insight, loyal=not args.no_loyal)
            loads.append(f"after the recompute: {_load()}")
        time_incremental(insight, rng, deadline)
        results = http_results(setup, args, rng, deadline)
        loads.append(f"at the end: {_load()}")
        report(setup, data, insight, results, loads, time.monotonic() - started)
    finally:
        clean_up(setup, args, work_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
