"""Service benchmark: workload and risk views over projects, tasks and time; invoicing time.

    .venv/bin/python bench/service.py          # 2,000 projects, 100,000 tasks, 500,000 entries
    .venv/bin/python bench/service.py --projects 50 --tasks 2000 --entries 10000
    .venv/bin/python bench/service.py \\
        --database-url postgres://postgres@127.0.0.1:5432/hamkor_bench_service

It creates staff in teams with hourly rates, one customer contact per project (through
contacts.services.bulk_create_contacts), then projects, tasks and time entries inserted
directly with bulk_create (a data generator, not a use case): most projects active, some
late or over budget, tasks due from two months ago to four months ahead with estimates,
time spread over the last year, the older part of it already invoiced, then the kept
per-project and per-task time totals are rebuilt from them (timed). One extra project holds
--invoice-entries unbilled billable entries for the invoicing figures.

Then it starts gunicorn on a free port of 127.0.0.1 (bench/contacts.py does the server,
login, token and database safety) and times, one request after another, the workload page
and API (everyone, and one team) and the risk page, its htmx refresh and the API, as a
manager. In process it builds one invoice from the extra project's entries and renders its
PDF, through hamkor.billing (skipped, saying so, when that app is not there). Everything
stops by itself (--max-seconds); a PostgreSQL database must have "bench" in its name and is
dropped afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import random
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests

from contacts import (
    BENCH_USER,
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
from sales import _load, analyze, timed

VIEW_TARGET_MS = 200.0
INVOICE_TARGET_S = 2.0
PDF_TARGET_S = 1.0
STAFF = 30
BATCH = 5000
CURRENCIES = ("USD", "USD", "UZS", "KGS")
# Base-currency units (UZS) per unit, for the conversions of the risk list and invoices.
RATES = {"USD": Decimal("12650"), "KGS": Decimal("145"), "EUR": Decimal("13700")}


@dataclass
class DataFigures:
    projects: int = 0
    tasks: int = 0
    entries: int = 0
    invoiced: int = 0
    seconds: float = 0.0
    totals_seconds: float = 0.0
    analyze_seconds: float = 0.0


@dataclass
class InvoiceFigures:
    entries: int = 0
    lines: int = 0
    invoice_seconds: float = 0.0
    pdf_seconds: float = 0.0
    pdf_bytes: int = 0
    skipped: str = ""


@dataclass
class World:
    manager: Any = None
    staff: list[Any] = field(default_factory=list)
    invoice_project: Any = None


# --- data -------------------------------------------------------------------------------


def create_people(setup: Setup, world: World) -> None:
    """A manager, STAFF people in TEAMS teams, a user rate each, today's exchange rates."""
    from hamkor.accounts.models import Role
    from hamkor.accounts.services import create_user, get_or_create_team
    from hamkor.core.models import ExchangeRate
    from hamkor.projects.models import HourlyRate, WorkCapacity

    teams = [get_or_create_team(name=f"Bench team {i}") for i in range(TEAMS)]
    world.manager = create_user(username=BENCH_USER, password=_password(setup), role=Role.MANAGER)
    roles = [Role.OPERATIONS, Role.OPERATIONS, Role.SALES, Role.SUPPORT]
    world.staff = [
        create_user(
            username=f"bench_staff_{i}",
            password=_password(setup),
            role=roles[i % len(roles)],
            team=teams[i % TEAMS],
            first_name=f"Staff {i:02d}",
        )
        for i in range(STAFF)
    ]
    HourlyRate.objects.bulk_create(
        HourlyRate(user=user, rate=Decimal(20 + (i % 5) * 10), currency="USD")
        for i, user in enumerate(world.staff)
    )
    WorkCapacity.objects.bulk_create(
        WorkCapacity(user=user, weekly_hours=Decimal(30)) for user in world.staff[::5]
    )
    today = datetime.date.today()  # noqa: DTZ011 - rates by calendar day, like imports
    ExchangeRate.objects.bulk_create(
        ExchangeRate(date=day, currency=code, rate=rate, source="bench")
        for code, rate in RATES.items()
        for day in (today - datetime.timedelta(days=400), today)
    )


def create_customers(setup: Setup, rng: random.Random, count: int, world: World) -> list[int]:
    from hamkor.contacts.models import Contact
    from hamkor.contacts.services import bulk_create_contacts

    done = 0
    while done < count:
        size = min(BATCH, count - done)
        done += bulk_create_contacts(
            items=_contact_items(rng, size, world.staff), actor=world.manager
        )
    return list(Contact.objects.order_by("pk").values_list("pk", flat=True)[:count])


def _project(rng: random.Random, index: int, contact_id: int, owner: Any, today: datetime.date):
    from hamkor.projects.models import Project, ProjectStatus

    status = rng.choices(
        [
            ProjectStatus.ACTIVE,
            ProjectStatus.PLANNED,
            ProjectStatus.ON_HOLD,
            ProjectStatus.DONE,
            ProjectStatus.CANCELLED,
        ],
        [60, 10, 10, 15, 5],
    )[0]
    start = today - datetime.timedelta(days=rng.randrange(30, 400))
    due = start + datetime.timedelta(days=rng.randrange(30, 420))
    currency = rng.choice(CURRENCIES)
    hours = Decimal(rng.randrange(100, 600)) if rng.random() < 0.7 else None
    amount = None
    if rng.random() < 0.5:
        per_hour = {"USD": 40, "UZS": 500_000, "KGS": 3_000}[currency]
        amount = Decimal(rng.randrange(100, 600) * per_hour)
    return Project(
        name=f"Bench project {index:05d}",
        contact_id=contact_id,
        owner=owner,
        team_id=owner.team_id,
        status=status,
        start_date=start,
        due_date=due,
        budget_hours=hours,
        budget_amount=amount,
        currency=currency,
    )


def create_work(
    rng: random.Random, args: argparse.Namespace, contacts: list[int], world: World
) -> DataFigures:
    """Projects, tasks and time entries in batches; one extra project to invoice."""
    from django.utils import timezone

    from hamkor.projects.models import HourlyRate, Project, Task, TaskStatus, TimeEntry
    from hamkor.projects.services.time import rebuild_time_totals

    figures = DataFigures()
    started = time.perf_counter()
    today = timezone.localdate()
    now = timezone.now()
    projects = [
        _project(rng, i, contacts[i % len(contacts)], rng.choice(world.staff), today)
        for i in range(args.projects)
    ]
    Project.objects.bulk_create(projects, batch_size=1000)
    world.invoice_project = Project.objects.create(
        name="Bench invoice project",
        contact_id=contacts[0],
        owner=world.manager,
        status="active",
        currency="USD",
        start_date=today - datetime.timedelta(days=90),
    )
    project_ids = list(
        Project.objects.exclude(pk=world.invoice_project.pk).values_list("pk", flat=True)
    )
    figures.projects = len(project_ids) + 1
    # A few project rates, so entries carry project rates too.
    HourlyRate.objects.bulk_create(
        HourlyRate(project_id=pk, rate=Decimal(rng.randrange(25, 80)), currency="USD")
        for pk in rng.sample(project_ids, max(1, len(project_ids) // 10))
    )
    user_rates = dict(HourlyRate.objects.filter(user__isnull=False).values_list("user_id", "rate"))
    statuses = [TaskStatus.DONE] * 45 + [TaskStatus.TODO] * 25
    statuses += [TaskStatus.IN_PROGRESS] * 20 + [TaskStatus.WAITING] * 10
    per_project = max(1, args.tasks // len(project_ids))
    staff_ids = [u.pk for u in world.staff]
    batch: list[Task] = []
    for index in range(args.tasks):
        project_id = project_ids[min(index // per_project, len(project_ids) - 1)]
        status = rng.choice(statuses)
        batch.append(
            Task(
                project_id=project_id,
                title=f"Task {index}",
                assignee_id=rng.choice(staff_ids) if rng.random() < 0.9 else None,
                status=status,
                due_date=today + datetime.timedelta(days=rng.randrange(-60, 120))
                if rng.random() < 0.9
                else None,
                estimate_hours=Decimal(rng.randrange(2, 33)) / 2 if rng.random() < 0.9 else None,
                position=index % per_project,
                completed_at=now if status == TaskStatus.DONE else None,
            )
        )
        if len(batch) >= BATCH:
            Task.objects.bulk_create(batch)
            figures.tasks += len(batch)
            batch = []
            _progress("tasks", figures.tasks, args.tasks, started)
    if batch:
        Task.objects.bulk_create(batch)
        figures.tasks += len(batch)
    print(file=sys.stderr)
    tasks = list(Task.objects.values_list("pk", "project_id", "assignee_id"))
    entries_started = time.perf_counter()
    regular = max(0, args.entries - args.invoice_entries)
    pending: list[TimeEntry] = []

    def flush() -> None:
        TimeEntry.objects.bulk_create(pending)
        figures.entries += len(pending)
        pending.clear()
        _progress("time entries", figures.entries, args.entries, entries_started)

    for index in range(regular):
        task_id, project_id, assignee_id = rng.choice(tasks)
        user_id = assignee_id or rng.choice(staff_ids)
        days_ago = rng.randrange(1, 365)
        start = now - datetime.timedelta(days=days_ago, minutes=rng.randrange(8 * 60, 18 * 60))
        minutes = rng.randrange(15, 241)
        billable = rng.random() < 0.8
        invoiced = billable and days_ago > 60 and rng.random() < 0.8
        pending.append(
            TimeEntry(
                user_id=user_id,
                project_id=project_id,
                task_id=task_id,
                started_at=start,
                ended_at=start + datetime.timedelta(minutes=minutes),
                minutes=minutes,
                billable=billable,
                rate=user_rates.get(user_id),
                currency="USD",
                invoiced_at=start + datetime.timedelta(days=30) if invoiced else None,
                invoice_number=f"BENCH-{index // 200:06d}" if invoiced else "",
            )
        )
        figures.invoiced += invoiced
        if len(pending) >= BATCH:
            flush()
    invoice_task = Task.objects.create(
        project=world.invoice_project, title="Support hours", status="in_progress"
    )
    for index in range(min(args.invoice_entries, args.entries)):
        user_id = staff_ids[index % len(staff_ids)]
        start = now - datetime.timedelta(days=1 + index % 60, hours=index % 9)
        pending.append(
            TimeEntry(
                user_id=user_id,
                project_id=world.invoice_project.pk,
                task_id=invoice_task.pk if index % 2 else None,
                started_at=start,
                ended_at=start + datetime.timedelta(minutes=30),
                minutes=30,
                billable=True,
                rate=user_rates.get(user_id),
                currency="USD",
            )
        )
        if len(pending) >= BATCH:
            flush()
    if pending:
        flush()
    print(file=sys.stderr)
    figures.seconds = time.perf_counter() - started
    # Entries went in with bulk_create, past the services that keep the time totals.
    started = time.perf_counter()
    rebuild_time_totals()
    figures.totals_seconds = time.perf_counter() - started
    return figures


# --- invoicing, in process --------------------------------------------------------------


def _billing(name: str) -> Callable[..., Any] | None:
    """hamkor.billing.services.<name>, else the module of the billing app that has it."""
    for module_name in (
        "hamkor.billing.services",
        "hamkor.billing.services.invoices",
        "hamkor.billing.pdf",
    ):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        found = getattr(module, name, None)
        if callable(found):
            return found
    return None


def time_invoice(world: World, figures: InvoiceFigures) -> None:
    from django.apps import apps

    from hamkor.projects.selectors.time import list_unbilled_time

    if not apps.is_installed("hamkor.billing"):
        figures.skipped = "skipped: billing app not present"
        return
    create_invoice = _billing("create_invoice")
    render_pdf = _billing("render_invoice_pdf")
    if create_invoice is None or render_pdf is None:
        figures.skipped = "skipped: billing app not present (no create_invoice/render_invoice_pdf)"
        return
    ids = list(
        list_unbilled_time(viewer=world.manager, project_ids=[world.invoice_project.pk])
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    contact = world.invoice_project.contact
    figures.entries = len(ids)
    print(f"  invoice from {len(ids):,} entries… (load {_load()})", file=sys.stderr)
    started = time.perf_counter()
    invoice = create_invoice(
        actor=world.manager, contact=contact, currency="USD", time_entry_ids=ids
    )
    figures.invoice_seconds = time.perf_counter() - started
    figures.lines = invoice.lines.count()
    started = time.perf_counter()
    pdf = render_pdf(invoice=invoice)
    figures.pdf_seconds = time.perf_counter() - started
    figures.pdf_bytes = len(pdf)


# --- HTTP -------------------------------------------------------------------------------


def http_results(
    setup: Setup, args: argparse.Namespace, world: World, deadline: float
) -> list[Result]:
    from hamkor.accounts.models import Team

    team = Team.objects.filter(name="Bench team 0").first()
    team_query = f"&team={team.pk}" if team else ""
    api_team = f"&team_id={team.pk}" if team else ""
    results: list[Result] = []
    with running_server(setup, args.workers) as base:
        web, how = web_session(base, setup, BENCH_USER)
        setup.notes.append(f"web session: {how}")
        api = api_session(BENCH_USER)
        htmx = {"HX-Request": "true"}
        plan: list[tuple[str, Callable[[int], requests.Response]]] = [
            (
                "web workload, everyone, 4 weeks",
                lambda i: web.get(f"{base}/projects/workload/?weeks=4", timeout=30),
            ),
            (
                "web workload, one team, 8 weeks (htmx)",
                lambda i: web.get(
                    f"{base}/projects/workload/?weeks=8{team_query}", headers=htmx, timeout=30
                ),
            ),
            (
                "api workload, everyone, 4 weeks",
                lambda i: api.get(f"{base}/api/v1/workload?weeks=4", timeout=30),
            ),
            (
                "api workload, one team, 12 weeks",
                lambda i: api.get(f"{base}/api/v1/workload?weeks=12{api_team}", timeout=30),
            ),
            ("web risk list", lambda i: web.get(f"{base}/projects/risks/", timeout=30)),
            (
                "web risk list, htmx refresh",
                lambda i: web.get(f"{base}/projects/risks/", headers=htmx, timeout=30),
            ),
            ("api risks", lambda i: api.get(f"{base}/api/v1/risks", timeout=30)),
        ]
        for name, call in plan:
            if args.only and args.only not in name:
                continue
            print(f"  measuring {name}… (load {_load()})", file=sys.stderr)
            results.append(timed(name, args.requests, deadline, call))
    return results


# --- report -----------------------------------------------------------------------------


def _verdict(value: float, target: float) -> str:
    return "ok" if value < target else "MISSED"


def report(
    setup: Setup,
    data: DataFigures | None,
    invoice: InvoiceFigures,
    results: list[Result],
    loads: list[str],
    total_seconds: float,
) -> None:
    from hamkor.projects.models import Project, Task, TimeEntry

    info = machine()
    print()
    print(f"date: {datetime.datetime.now(tz=datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {info['cpus']} CPUs ({info['cpu']}), {info['memory']} RAM,")
    print(f"python {info['python']}, {database_version()}")
    print(
        f"projects = {Project.objects.count():,}, tasks = {Task.objects.count():,}, "
        f"time entries = {TimeEntry.objects.count():,} (at the end)"
    )
    for note in setup.notes:
        print(f"note: {note}")
    for load in loads:
        print(f"load average {load}")
    if data is not None:
        rows = data.projects + data.tasks + data.entries
        print(
            f"data: {data.projects:,} projects, {data.tasks:,} tasks, {data.entries:,} time "
            f"entries ({data.invoiced:,} invoiced) in {data.seconds:.1f} s = "
            f"{rows / max(data.seconds, 1e-9):,.0f} rows/s; rebuild_time_totals() "
            f"{data.totals_seconds:.1f} s; analyze {data.analyze_seconds:.1f} s"
        )
    print()
    print("| invoicing (in process) | result | seconds | target |")
    print("|---|---:|---:|---|")
    if invoice.skipped:
        print(f"| create_invoice() | {invoice.skipped} | | |")
        print(f"| render_invoice_pdf() | {invoice.skipped} | | |")
    else:
        print(
            f"| create_invoice() from {invoice.entries:,} time entries | {invoice.lines:,} "
            f"lines | {invoice.invoice_seconds:.2f} | < {INVOICE_TARGET_S:.0f} s: "
            f"{_verdict(invoice.invoice_seconds, INVOICE_TARGET_S)} |"
        )
        print(
            f"| render_invoice_pdf() | {invoice.pdf_bytes:,} bytes | {invoice.pdf_seconds:.2f} "
            f"| < {PDF_TARGET_S:.0f} s: {_verdict(invoice.pdf_seconds, PDF_TARGET_S)} |"
        )
    print()
    print("| HTTP scenario | requests | p50 ms | p99 ms | max ms | target |")
    print("|---|---:|---:|---:|---:|---|")
    for r in results:
        if r.skipped and not r.requests:
            print(f"| {r.name} | skipped: {r.skipped} | | | | |")
            continue
        errors = f" ({r.errors} errors: {r.sample})" if r.errors else ""
        print(
            f"| {r.name} | {r.requests}{errors} | {r.p50:.1f} | {r.p99:.1f} | "
            f"{r.maximum:.1f} | p99 < {VIEW_TARGET_MS:.0f}: {_verdict(r.p99, VIEW_TARGET_MS)} |"
        )
    print(f"\nbenchmark took {total_seconds:.0f} s")


# --- main -------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--projects", type=int, default=2_000)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=500_000, help="time entries in all")
    parser.add_argument(
        "--invoice-entries", type=int, default=5_000, help="of them, unbilled on one project"
    )
    parser.add_argument("--database-url", default="", help="default: HAMKOR_DATABASE_URL or SQLite")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per scenario")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=0, help="default: 900 + entries/500")
    parser.add_argument("--analyze", action="store_true", help="run ANALYZE on SQLite too")
    parser.add_argument("--keep", action="store_true", help="keep the database and temp dir")
    parser.add_argument("--reuse", action="store_true", help="measure an existing bench database")
    parser.add_argument("--work-dir", default="", help="temp dir to use (with --reuse)")
    parser.add_argument("--only", default="", help="HTTP scenarios whose name contains this")
    parser.add_argument("--no-invoice", action="store_true", help="skip the invoicing figures")
    args = parser.parse_args(argv)
    # contacts.prepare_database reads args.n (the contact count): one customer per project.
    args.n = args.projects
    return args


def _existing_world() -> World:
    from hamkor.accounts.models import User
    from hamkor.projects.models import Project

    return World(
        manager=User.objects.get(username=BENCH_USER),
        staff=list(User.objects.filter(username__startswith="bench_staff_")),
        invoice_project=Project.objects.get(name="Bench invoice project"),
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    max_seconds = args.max_seconds or 900 + args.entries / 500
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
        if args.reuse:
            world = _existing_world()
        else:
            world = World()
            create_people(setup, world)
            contacts = create_customers(setup, rng, args.projects, world)
            data = create_work(rng, args, contacts, world)
            analyze(setup, data, analyze_sqlite=args.analyze)  # type: ignore[arg-type]
            loads.append(f"after loading data: {_load()}")
        results = http_results(setup, args, world, deadline)
        loads.append(f"after the HTTP figures: {_load()}")
        invoice = InvoiceFigures()
        if args.no_invoice:
            invoice.skipped = "skipped: --no-invoice"
        else:
            time_invoice(world, invoice)
        loads.append(f"at the end: {_load()}")
        report(setup, data, invoice, results, loads, time.monotonic() - started)
    finally:
        clean_up(setup, args, work_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
