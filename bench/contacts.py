"""Contacts benchmark: bulk creation speed, then search/list/detail latency over HTTP.

    .venv/bin/python bench/contacts.py                 # 100,000 contacts, fresh SQLite in /tmp
    .venv/bin/python bench/contacts.py --n 1000000
    .venv/bin/python bench/contacts.py \\
        --database-url postgres://postgres@127.0.0.1:5432/hamkor_bench

It creates N contacts (phones, about half with an email, a few interactions each) through
contacts.services.bulk_create_contacts, starts gunicorn the way `hamkor run` does on a free
port of 127.0.0.1, logs in (web session and API token) and times requests one after another:
search by name fragment and by phone fragment, the list page (first, and a deep page by
"Next" cursor and by an old ?page= link), and
the contact page with its timeline. It prints p50/p99 per scenario and skips, saying so, any
URL the server does not have. Everything talks to 127.0.0.1 only and stops by itself
(--max-seconds). A PostgreSQL database is created for the run and dropped afterwards; its
name must contain "bench". --keep leaves the database (and --reuse measures it again
without creating data).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import platform
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import requests

ROOT = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
FORBIDDEN_DATABASES = {"test", "postgres", "template0", "template1"}
BENCH_USER = "bench_manager"
BENCH_SALES = "bench_sales"
TEAMS = 10
CHUNK = 5000
WEB_PAGE_SIZE = 25
TARGET_MS = 50.0


# --- set-up -----------------------------------------------------------------------------


@dataclass
class Setup:
    n: int
    database_url: str
    vendor: str
    work_dir: Path
    created_database: str = ""
    notes: list[str] = field(default_factory=list)


def _check_local(url: str) -> None:
    host = urlparse(url).hostname or ""
    if host not in LOCAL_HOSTS:
        sys.exit(f"refusing to run against {host!r}: the benchmark only talks to 127.0.0.1")


def prepare_database(args: argparse.Namespace, work_dir: Path) -> Setup:
    """Choose the database, check it is local and disposable, create it when PostgreSQL."""
    url = args.database_url or os.environ.get("HAMKOR_DATABASE_URL", "")
    if not url:
        return Setup(
            n=args.n,
            database_url=f"sqlite:///{work_dir / 'bench.sqlite3'}",
            vendor="sqlite",
            work_dir=work_dir,
        )
    if url.startswith("sqlite"):
        path = Path(urlparse(url).path)
        if path.exists() and not args.reuse:
            sys.exit(f"{path} exists; give a new file (the benchmark fills it) or --reuse")
        return Setup(n=args.n, database_url=url, vendor="sqlite", work_dir=work_dir)
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"unsupported database URL {url!r}")
    _check_local(url)
    name = urlparse(url).path.lstrip("/")
    if name in FORBIDDEN_DATABASES or "bench" not in name:
        sys.exit(f"refusing database {name!r}: its name must contain 'bench' (it is dropped)")
    setup = Setup(n=args.n, database_url=url, vendor="postgresql", work_dir=work_dir)
    if not args.reuse:
        _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}"')
        _admin_sql(url, f'CREATE DATABASE "{name}"')
    setup.created_database = name
    return setup


def _admin_sql(url: str, statement: str) -> None:
    import psycopg

    parsed = urlparse(url)
    with psycopg.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


def configure_django(setup: Setup) -> None:
    os.environ["HAMKOR_DATABASE_URL"] = setup.database_url
    os.environ["HAMKOR_VAR_DIR"] = str(setup.work_dir / "var")
    os.environ.setdefault("HAMKOR_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ["HAMKOR_LOG_LEVEL"] = "WARNING"
    os.environ["HAMKOR_DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "hamkor.config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


# --- data -------------------------------------------------------------------------------


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.7:
        prefix = rng.choice(("90", "91", "93", "94", "95", "97", "98", "99", "33", "88"))
        return f"+998{prefix}{rng.randrange(10**7):07d}"
    prefix = rng.choice(("500", "550", "555", "700", "705", "707", "770", "775", "777", "999"))
    return f"+996{prefix}{rng.randrange(10**6):06d}"


def _contact_items(rng: random.Random, count: int, owners: list[Any]) -> list[Any]:
    from hamkor.contacts.demo_data import NAMES
    from hamkor.contacts.models import Stage
    from hamkor.contacts.services import ContactInput, EmailInput, PhoneInput
    from hamkor.contacts.text import latin

    pools = list(NAMES.values())
    weights = [5, 2, 3, 3, 1, 1][: len(pools)]
    stages = list(Stage.values)
    items = []
    for _index in range(count):
        pool = rng.choices(pools, weights)[0]
        female = rng.random() < 0.5
        first = rng.choice(pool.female if female else pool.male)
        surname = rng.choice(pool.surnames)
        last = surname if not female or surname in pool.unchanged else surname + pool.female_suffix
        owner = rng.choice(owners)
        phones = [PhoneInput(number=_phone(rng))]
        if rng.random() < 0.1:
            phones.append(PhoneInput(number=_phone(rng), kind="work"))
        emails = []
        if rng.random() < 0.5:
            local = latin(f"{first}.{last}").replace("'", "")
            emails.append(EmailInput(email=f"{local}{rng.randrange(10000)}@example.com"))
        items.append(
            ContactInput(
                values={
                    "first_name": first,
                    "last_name": last,
                    "stage": rng.choice(stages),
                    "language": pool.language,
                    "owner": owner,
                    "team": owner.team,
                },
                phones=phones,
                emails=emails,
            )
        )
    return items


@dataclass
class CreationFigures:
    contacts: int = 0
    phones: int = 0
    emails: int = 0
    contact_seconds: float = 0.0
    interactions: int = 0
    interaction_seconds: float = 0.0
    analyze_seconds: float = 0.0


def create_data(
    setup: Setup, seed: int, interactions_per_contact: int, *, analyze_sqlite: bool
) -> CreationFigures:
    """Users, then N contacts in chunks via bulk_create_contacts, then interactions."""
    from django.db import connection

    from hamkor.accounts.models import Role
    from hamkor.accounts.services import create_user, get_or_create_team
    from hamkor.activities.models import Channel, Direction, Interaction, Outcome
    from hamkor.contacts.models import Contact, ContactEmail, ContactPhone
    from hamkor.contacts.services import bulk_create_contacts

    rng = random.Random(seed)
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
    figures = CreationFigures()
    started = time.perf_counter()
    done = 0
    while done < setup.n:
        size = min(CHUNK, setup.n - done)
        done += bulk_create_contacts(items=_contact_items(rng, size, owners), actor=manager)
        _progress("contacts", done, setup.n, started)
    figures.contact_seconds = time.perf_counter() - started
    figures.contacts = done
    figures.phones = ContactPhone.objects.count()
    figures.emails = ContactEmail.objects.count()
    print(file=sys.stderr)

    channels = list(Channel.values)
    outcomes = list(Outcome.values)
    now = datetime.datetime.now(tz=datetime.UTC)
    started = time.perf_counter()
    ids = list(Contact.objects.order_by("pk").values_list("pk", flat=True))
    batch: list[Interaction] = []
    for index, contact_id in enumerate(ids, start=1):
        for _n in range(rng.randrange(1, 2 * interactions_per_contact)):
            batch.append(
                Interaction(
                    contact_id=contact_id,
                    channel=rng.choice(channels),
                    direction=rng.choice((Direction.IN, Direction.OUT)),
                    subject=rng.choice(("Call", "Visit", "Order", "Question", "Offer")),
                    outcome=rng.choice(outcomes),
                    occurred_at=now - datetime.timedelta(minutes=rng.randrange(60 * 24 * 365)),
                    created_by=rng.choice(owners),
                )
            )
        if len(batch) >= CHUNK or index == len(ids):
            Interaction.objects.bulk_create(batch, batch_size=1000)
            figures.interactions += len(batch)
            batch = []
            _progress("interactions for contacts", index, len(ids), started)
    figures.interaction_seconds = time.perf_counter() - started
    print(file=sys.stderr)

    # PostgreSQL: what autovacuum does soon after a big load. SQLite gathers no statistics
    # unless asked, so by default it is measured as a deployment would run it.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
            setup.notes.append("VACUUM ANALYZE after loading (as autovacuum would)")
        elif analyze_sqlite:
            cursor.execute("ANALYZE")
            setup.notes.append("ANALYZE after loading")
    figures.analyze_seconds = time.perf_counter() - started
    return figures


def _password(setup: Setup) -> str:
    path = setup.work_dir / "password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12))
    return path.read_text()


def _progress(label: str, done: int, total: int, started: float) -> None:
    rate = done / max(time.perf_counter() - started, 1e-9)
    print(f"\r  {label}: {done:,}/{total:,} ({rate:,.0f}/s)", end="", file=sys.stderr)


# --- server -----------------------------------------------------------------------------


def free_port() -> int:
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port != 8000:
            return port


@contextlib.contextmanager
def running_server(setup: Setup, workers: int) -> Iterator[str]:
    """gunicorn with the flags `hamkor run` uses, on 127.0.0.1 and a free port."""
    port = free_port()
    log = (setup.work_dir / "gunicorn.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
        [
            sys.executable,
            "-m",
            "gunicorn",
            "hamkor.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        env=os.environ.copy(),
        cwd=setup.work_dir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    "gunicorn exited:\n" + (setup.work_dir / "gunicorn.log").read_text()[-3000:]
                )
            try:
                requests.get(base + "/", timeout=10, allow_redirects=False)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not answer within 60 s") from None
                time.sleep(0.3)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def web_session(base: str, setup: Setup, username: str) -> tuple[requests.Session, str]:
    """A logged-in browser session: through the login form when there is one."""
    from django.urls import NoReverseMatch, reverse

    session = requests.Session()
    try:
        login_path = reverse("login")
    except NoReverseMatch:
        login_path = ""
    if login_path:
        page = session.get(base + login_path, timeout=10)
        token = session.cookies.get("csrftoken", "")
        if page.status_code == 200 and token:
            answer = session.post(
                base + login_path,
                data={
                    "username": username,
                    "password": _password(setup),
                    "csrfmiddlewaretoken": token,
                },
                headers={"Referer": base + login_path},
                timeout=30,
                allow_redirects=False,
            )
            if answer.status_code in (302, 303) and session.cookies.get("sessionid"):
                return session, "login form"
    # No login page yet: make the session the way django.contrib.auth.login would.
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from hamkor.accounts.models import User

    user = User.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    session.cookies.set(settings.SESSION_COOKIE_NAME, store.session_key or "")
    return session, "session created in the database (no login form found)"


def api_session(username: str) -> requests.Session:
    from hamkor.accounts.models import User
    from hamkor.accounts.services import issue_token

    issued = issue_token(user=User.objects.get(username=username), name="bench")
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {issued.secret}"
    return session


# --- measuring --------------------------------------------------------------------------


HTMX = {"HX-Request": "true"}


@dataclass
class Scenario:
    name: str
    session: requests.Session
    # Returns the path (with query) of the i-th request.
    path: Callable[[int], str]
    # e.g. HX-Request: what the page's own search-as-you-type sends.
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    name: str
    requests: int = 0
    errors: int = 0
    p50: float = 0.0
    p99: float = 0.0
    maximum: float = 0.0
    skipped: str = ""
    sample: str = ""


def measure(base: str, scenario: Scenario, count: int, deadline: float) -> Result:
    result = Result(name=scenario.name, sample=scenario.path(0))
    try:
        probe = scenario.session.get(
            base + scenario.path(0), headers=scenario.headers, timeout=30, allow_redirects=False
        )
    except requests.RequestException as error:
        result.skipped = f"request failed: {error}"
        return result
    if probe.status_code == 404:
        result.skipped = "URL not found (404): not built yet"
        return result
    if probe.status_code != 200:
        result.skipped = f"HTTP {probe.status_code} on the first request"
        return result
    for index in range(1, 6):  # warm-up: connections, caches, templates
        scenario.session.get(base + scenario.path(index), headers=scenario.headers, timeout=30)
    timings: list[float] = []
    for index in range(count):
        if time.monotonic() > deadline:
            result.skipped = f"stopped by --max-seconds after {index} requests"
            break
        url = base + scenario.path(index + 10)
        started = time.perf_counter()
        answer = scenario.session.get(
            url, headers=scenario.headers, timeout=30, allow_redirects=False
        )
        timings.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200:
            result.errors += 1
    if timings:
        timings.sort()
        result.requests = len(timings)
        result.p50 = statistics.median(timings)
        result.p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
        result.maximum = timings[-1]
    return result


@dataclass
class Probes:
    name_fragments: list[str]
    phone_fragments: list[str]
    contact_ids: list[int]
    # "Next" cursors of pages around the middle of the list by name (keyset paging).
    middle_cursors: list[str] = field(default_factory=list)


def build_probes(seed: int, count: int) -> Probes:
    """Fragments people really type: the start of a name, four to seven digits of a phone."""
    from hamkor.contacts.models import Contact, ContactPhone

    rng = random.Random(seed + 1)
    top = Contact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = [rng.randrange(1, top + 1) for _ in range(count * 3)]
    contacts = dict(Contact.objects.filter(pk__in=ids).values_list("pk", "last_name"))
    firsts = dict(Contact.objects.filter(pk__in=ids).values_list("pk", "first_name"))
    names: list[str] = []
    for pk in ids:
        if pk not in contacts:
            continue
        word = contacts[pk] if rng.random() < 0.7 else firsts[pk]
        length = rng.randrange(3, 7)
        start = 0 if rng.random() < 0.8 else rng.randrange(0, max(1, len(word) - length))
        names.append(word[start : start + length])
    numbers = list(ContactPhone.objects.filter(contact_id__in=ids).values_list("number", flat=True))
    phones: list[str] = []
    for number in numbers:
        national = number[4:]
        length = rng.randrange(4, 8)
        start = rng.randrange(0, len(national) - length + 1)
        phones.append(national[start : start + length])
    rng.shuffle(phones)
    existing = [pk for pk in ids if pk in contacts]
    return Probes(
        names[: count + 20], phones[: count + 20], existing[: count + 20], _middle_cursors()
    )


def _middle_cursors() -> list[str]:
    """Cursors a user reaches by clicking "Next" about 2,000 times: 50 pages mid-list."""
    from hamkor.contacts.models import Contact

    try:
        from hamkor.core.paging import encode_cursor
    except ImportError:  # a build without keyset paging: those scenarios are skipped
        return []
    middle = Contact.objects.filter(archived_at__isnull=True).count() // 2
    keys = Contact.objects.filter(archived_at__isnull=True).order_by(
        "last_name", "first_name", "id"
    )
    edges = keys.values_list("last_name", "first_name", "id")[middle - 25 * 50 : middle : 25]
    return [encode_cursor(row) for row in edges]


def scenarios(
    web: requests.Session,
    api: requests.Session,
    sales_web: requests.Session,
    sales_api: requests.Session,
    probes: Probes,
    n: int,
) -> list[Scenario]:
    from urllib.parse import quote

    def at(items: list[Any], index: int) -> Any:
        return items[index % len(items)]

    deep_page = max(1, n // WEB_PAGE_SIZE // 2)
    # Without cursors (an older build) these URLs 404 or ignore "after": the first page.
    cursors = probes.middle_cursors or [""]
    return [
        Scenario(
            "web search by name",
            web,
            lambda i: f"/contacts/?q={quote(at(probes.name_fragments, i))}",
        ),
        Scenario(
            "web search by phone", web, lambda i: f"/contacts/?q={at(probes.phone_fragments, i)}"
        ),
        # Typing in the search box asks for the results only (htmx), not the whole page.
        Scenario(
            "web search as you type, by name",
            web,
            lambda i: f"/contacts/?q={quote(at(probes.name_fragments, i))}",
            headers=HTMX,
        ),
        Scenario(
            "web search as you type, by phone",
            web,
            lambda i: f"/contacts/?q={at(probes.phone_fragments, i)}",
            headers=HTMX,
        ),
        Scenario("web list, page 1", web, lambda i: "/contacts/"),
        Scenario(
            "web list, deep page (cursor)",
            web,
            lambda i: f"/contacts/?page={deep_page}&after={at(cursors, i)}",
        ),
        Scenario(
            "web list, deep page (old ?page= link)",
            web,
            lambda i: f"/contacts/?page={deep_page - (i % 50)}",
        ),
        Scenario(
            "web contact page + timeline", web, lambda i: f"/contacts/{at(probes.contact_ids, i)}/"
        ),
        Scenario(
            "api search by name",
            api,
            lambda i: f"/api/v1/contacts?q={quote(at(probes.name_fragments, i))}&limit=25",
        ),
        Scenario(
            "api search by phone",
            api,
            lambda i: f"/api/v1/contacts?q={at(probes.phone_fragments, i)}&limit=25",
        ),
        Scenario("api list, first 25", api, lambda i: "/api/v1/contacts?limit=25"),
        Scenario(
            "api list, deep offset",
            api,
            lambda i: f"/api/v1/contacts?limit=25&offset={n // 2 - 25 * (i % 50)}",
        ),
        Scenario(
            "api list, deep cursor",
            api,
            lambda i: f"/api/v1/contacts?limit=25&after={at(cursors, i)}",
        ),
        Scenario("api contact", api, lambda i: f"/api/v1/contacts/{at(probes.contact_ids, i)}"),
        Scenario(
            "api contact timeline",
            api,
            lambda i: f"/api/v1/contacts/{at(probes.contact_ids, i)}/timeline",
        ),
        # A sales user sees only their team's tenth of the contacts: another query plan.
        Scenario(
            "sales: web search by name",
            sales_web,
            lambda i: f"/contacts/?q={quote(at(probes.name_fragments, i))}",
        ),
        Scenario("sales: web list, page 1", sales_web, lambda i: "/contacts/"),
        Scenario(
            "sales: api search by phone",
            sales_api,
            lambda i: f"/api/v1/contacts?q={at(probes.phone_fragments, i)}&limit=25",
        ),
        Scenario("sales: api list, first 25", sales_api, lambda i: "/api/v1/contacts?limit=25"),
    ]


# --- report -----------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu or platform.processor(),
        "memory": memory,
        "python": platform.python_version(),
    }


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def report(
    setup: Setup,
    figures: CreationFigures | None,
    results: list[Result],
    total_seconds: float,
) -> None:
    info = machine()
    print()
    print(f"date: {datetime.datetime.now(tz=datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {info['cpus']} CPUs ({info['cpu']}), {info['memory']} RAM, ")
    print(f"python {info['python']}, {database_version()}, N = {setup.n:,}")
    for note in setup.notes:
        print(f"note: {note}")
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"load average at the end: {load} (other work on the machine skews the figures)")
    if figures is not None:
        contact_rate = figures.contacts / figures.contact_seconds
        rows = figures.contacts + figures.phones + figures.emails
        print(
            f"bulk creation: {figures.contacts:,} contacts with {figures.phones:,} phones and "
            f"{figures.emails:,} emails in {figures.contact_seconds:.1f} s = "
            f"{contact_rate:,.0f} contacts/s ({rows / figures.contact_seconds:,.0f} rows/s)"
        )
        print(
            f"interactions: {figures.interactions:,} in {figures.interaction_seconds:.1f} s = "
            f"{figures.interactions / figures.interaction_seconds:,.0f} rows/s; "
            f"analyze {figures.analyze_seconds:.1f} s"
        )
    print()
    print("| scenario | requests | p50 ms | p99 ms | max ms | target |")
    print("|---|---:|---:|---:|---:|---|")
    for r in results:
        if r.skipped and not r.requests:
            print(f"| {r.name} | skipped: {r.skipped} | | | | |")
            continue
        timed = "search" in r.name or "list" in r.name
        verdict = ("ok" if r.p99 < TARGET_MS else "MISSED") if timed else "-"
        errors = f" ({r.errors} errors)" if r.errors else ""
        print(
            f"| {r.name} | {r.requests}{errors} | {r.p50:.1f} | {r.p99:.1f} | "
            f"{r.maximum:.1f} | {verdict} |"
        )
    skipped = [r.name for r in results if r.skipped and not r.requests]
    if skipped:
        print(f"\nskipped: {', '.join(skipped)}")
    print(f"\nbenchmark took {total_seconds:.0f} s")


# --- main -------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="contacts to create")
    parser.add_argument("--database-url", default="", help="default: HAMKOR_DATABASE_URL or SQLite")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per scenario")
    parser.add_argument("--interactions", type=int, default=3, help="mean per contact")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=0, help="default: 900 + N/100")
    parser.add_argument("--analyze", action="store_true", help="run ANALYZE on SQLite too")
    parser.add_argument("--keep", action="store_true", help="keep the database and temp dir")
    parser.add_argument("--reuse", action="store_true", help="measure an existing bench database")
    parser.add_argument("--work-dir", default="", help="temp dir to use (with --reuse)")
    parser.add_argument("--only", default="", help="run scenarios whose name contains this")
    return parser.parse_args(argv)


def clean_up(setup: Setup, args: argparse.Namespace, work_dir: Path) -> None:
    """Stop the alarm, close connections, drop the bench database and temp dir unless kept."""
    signal.alarm(0)
    from django.db import connections

    connections.close_all()
    if args.keep:
        return
    if setup.created_database:
        _admin_sql(setup.database_url, f'DROP DATABASE IF EXISTS "{setup.created_database}"')
    if not args.work_dir:
        shutil.rmtree(work_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    max_seconds = args.max_seconds or 900 + args.n / 100
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
    try:
        configure_django(setup)
        figures = None
        if not args.reuse:
            figures = create_data(setup, args.seed, args.interactions, analyze_sqlite=args.analyze)
        else:
            from hamkor.contacts.models import Contact

            setup.n = Contact.objects.count()
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        print(f"load average before measuring: {load}", file=sys.stderr)
        setup.notes.append(f"load average before measuring: {load}")
        probes = build_probes(args.seed, args.requests)
        results: list[Result] = []
        with running_server(setup, args.workers) as base:
            web, how = web_session(base, setup, BENCH_USER)
            setup.notes.append(f"web session: {how}")
            sales_web, _how = web_session(base, setup, BENCH_SALES)
            api = api_session(BENCH_USER)
            sales_api = api_session(BENCH_SALES)
            for scenario in scenarios(web, api, sales_web, sales_api, probes, setup.n):
                if args.only and args.only not in scenario.name:
                    continue
                print(f"  measuring {scenario.name}…", file=sys.stderr)
                results.append(measure(base, scenario, args.requests, deadline))
        report(setup, figures, results, time.monotonic() - started)
    finally:
        clean_up(setup, args, work_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
