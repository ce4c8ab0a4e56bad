"""Web form benchmark: a burst of public form posts, then check that none was lost.

    .venv/bin/python bench/portal.py                          # 1,000 posts/s for 10 s, SQLite
    .venv/bin/python bench/portal.py --rate 200 --seconds 5
    .venv/bin/python bench/portal.py \\
        --database-url postgres://postgres@127.0.0.1:5432/hamkor_bench_portal

It migrates a fresh database (SQLite in a temp dir, or a PostgreSQL database whose name
contains "bench", dropped afterwards unless --keep), creates a manager and a web form, starts
gunicorn the way the other benchmarks do (bench/contacts.py: several workers, 127.0.0.1, a
free port) and one `hamkor worker` (the Huey consumer; its queue is Redis at --redis-url, or
a SQLite file when that is empty), then fires RATE posts per second for SECONDS seconds from
an asyncio client on keep-alive connections (a minimal HTTP/1.1 client, so the client costs
little of the machine's CPU). A share of the posts (--duplicates) reuse the email or the
phone, written differently, of a person first posted at least a second earlier. After the
burst it waits until the worker has processed every submission and prints: sent, accepted,
latency p50/p99/max, errors, submissions stored, contacts created and matched, and whether
none was lost and every person's posts went to one contact. Latency is measured from when
a post was due, so a client or server that falls behind shows in the figures (no
coordinated omission).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import datetime
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

from contacts import (
    BENCH_USER,
    _password,
    clean_up,
    configure_django,
    database_version,
    machine,
    prepare_database,
    running_server,
)

TARGET_P99_MS = 100.0
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
REVISIT_AFTER_S = 1.0


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def server_cpu_seconds(port: int) -> float:
    """CPU time (user + system) used so far by the gunicorn master and workers on ``port``."""
    needle = f"127.0.0.1:{port}".encode()
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "cmdline").read_bytes():
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


# --- the posts --------------------------------------------------------------------------


@dataclass
class Person:
    index: int
    first_name: str
    email: str
    phone: str  # E.164


@dataclass
class Post:
    due: float  # seconds after the start of the burst
    body: bytes
    person: int
    duplicate: bool
    email: str  # the person's, normalised
    phone: str


def plan_posts(rate: int, seconds: float, duplicates: float, seed: int) -> list[Post]:
    """RATE posts a second, evenly spaced; a share reuse an earlier person's email or phone."""
    rng = random.Random(seed)
    people: list[Person] = []
    first_seen: list[float] = []
    posts: list[Post] = []
    total = int(rate * seconds)
    for index in range(total):
        due = index / rate
        # A person comes back later: duplicates reuse someone first posted a second or more
        # before (nobody fills in a form twice within a second).
        earlier = bisect.bisect_right(first_seen, due - REVISIT_AFTER_S)
        if earlier and rng.random() < duplicates:
            person = people[rng.randrange(earlier)]
            if rng.random() < 0.5:
                # Same person, email typed in capitals, no phone.
                fields = {"first_name": person.first_name, "email": person.email.upper()}
            else:
                # Same person, phone written the national way with spaces, no email.
                national = person.phone[4:]
                fields = {
                    "first_name": person.first_name,
                    "phone": f"{national[:2]} {national[2:5]} {national[5:7]} {national[7:]}",
                }
            duplicate = True
        else:
            person = Person(
                index=len(people),
                first_name=f"Bench{len(people)}",
                email=f"lead{len(people)}.{seed}@example.com",
                # 7919 is prime to 10**7: every person gets a different number.
                phone=f"+99890{(len(people) * 7919 + seed) % 10**7:07d}",
            )
            people.append(person)
            first_seen.append(due)
            fields = {"first_name": person.first_name, "email": person.email, "phone": person.phone}
            duplicate = False
        fields["message"] = "I would like a cake for 12 people."
        fields["utm_source"] = rng.choice(("instagram", "google", "banner", "telegram"))
        fields["utm_campaign"] = "bench"
        posts.append(
            Post(
                due,
                urlencode(fields).encode(),
                person.index,
                duplicate,
                person.email,
                person.phone,
            )
        )
    return posts


# --- a small HTTP/1.1 client ------------------------------------------------------------


@dataclass
class Outcome:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    accepted: set[int] = field(default_factory=set)  # indexes of posts answered 201
    late_starts: int = 0
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:].strip())
    if length:
        await reader.readexactly(length)
    return status


async def _connection_loop(
    host: str,
    port: int,
    path: str,
    queue: asyncio.Queue[tuple[int, Post] | None],
    start: float,
    outcome: Outcome,
) -> None:
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while True:
        item = await queue.get()
        if item is None:
            break
        index, post = item
        due_at = start + post.due
        if time.perf_counter() - due_at > 0.01:
            outcome.late_starts += 1
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "Accept: application/json\r\nOrigin: https://shop.example.com\r\n"
            f"Content-Length: {len(post.body)}\r\n\r\n"
        ).encode() + post.body
        for attempt in (1, 2):
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                assert reader is not None
                writer.write(request)
                await writer.drain()
                status = await asyncio.wait_for(_read_response(reader), timeout=30)
                break
            except (TimeoutError, OSError, asyncio.IncompleteReadError) as error:
                if writer is not None:
                    writer.close()
                reader = writer = None
                # A keep-alive connection the server closed: retry once on a new one.
                if attempt == 2:
                    outcome.failures[type(error).__name__] += 1
                    status = 0
        outcome.latencies_ms.append((time.perf_counter() - due_at) * 1000)
        outcome.statuses[status] += 1
        if status == 201:
            outcome.accepted.add(index)
    if writer is not None:
        writer.close()


async def _burst(base: str, path: str, posts: list[Post], connections: int) -> Outcome:
    parsed = urlparse(base)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    outcome = Outcome()
    queue: asyncio.Queue[tuple[int, Post] | None] = asyncio.Queue()
    start = time.perf_counter() + 0.2
    workers = [
        asyncio.create_task(_connection_loop(host, port, path, queue, start, outcome))
        for _ in range(connections)
    ]
    for index, post in enumerate(posts):
        delay = start + post.due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((index, post))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    return outcome


# --- set-up, worker, checks -------------------------------------------------------------


def create_form(rate_limit: int) -> Any:
    from hamkor.accounts.models import Role
    from hamkor.accounts.services import create_user
    from hamkor.webforms.services import WebFormInput
    from hamkor.webforms.services import create_form as create

    manager = create_user(
        username=BENCH_USER, password=secrets.token_urlsafe(16), role=Role.MANAGER
    )
    return create(
        actor=manager,
        values=WebFormInput(
            name="Bench: order a cake",
            fields=[("first_name", True), ("email", False), ("phone", False), ("message", False)],
            thank_you_text="Thank you!",
            owner=manager,
            allowed_origins="https://shop.example.com",
            rate_limit=rate_limit,
        ),
    )


@contextlib.contextmanager
def running_worker(work_dir: Path, threads: int) -> Any:
    log = (work_dir / "worker.log").open("w")
    env = os.environ.copy()
    env["HAMKOR_WORKER_THREADS"] = str(threads)
    process = subprocess.Popen(
        [sys.executable, "-m", "hamkor.cli", "worker", "--no-periodic"],
        env=env,
        cwd=work_dir,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wait_for_drain(form_id: int, expected: int, timeout: float) -> tuple[float, int]:
    """Seconds until no submission of the form is pending (or timeout); pending left."""
    from hamkor.webforms.models import Submission, SubmissionStatus

    started = time.perf_counter()
    pending = expected
    while time.perf_counter() - started < timeout:
        pending = Submission.objects.filter(
            form_id=form_id, status=SubmissionStatus.PENDING
        ).count()
        stored = Submission.objects.filter(form_id=form_id).count()
        print(f"\r  draining: {pending:,} pending of {stored:,}", end="", file=sys.stderr)
        if pending == 0 and stored >= expected:
            break
        time.sleep(1)
    print(file=sys.stderr)
    return time.perf_counter() - started, pending


@dataclass
class Checks:
    stored: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    contacts: int = 0
    people_accepted: int = 0
    split_people: int = 0  # people whose posts went to more than one contact
    shared_contacts: int = 0  # contacts that got posts of more than one person
    lost: int = 0
    errors: list[str] = field(default_factory=list)


def check(form_id: int, posts: list[Post], outcome: Outcome) -> Checks:
    from hamkor.contacts.models import Contact
    from hamkor.webforms.models import Submission

    result = Checks()
    rows = list(
        Submission.objects.filter(form_id=form_id).values_list(
            "data", "status", "contact_id", "error"
        )
    )
    result.stored = len(rows)
    result.by_status = dict(Counter(status for _d, status, _c, _e in rows))
    result.errors = [error for _d, status, _c, error in rows if status == "failed"][:5]
    result.contacts = Contact.objects.count()
    result.lost = len(outcome.accepted) - result.stored
    # Which person each stored submission belongs to, by its normalised email or phone.
    by_email: dict[str, int] = {}
    by_phone: dict[str, int] = {}
    for post in posts:
        by_email[post.email] = post.person
        by_phone[post.phone] = post.person
    contacts_of: dict[int, set[int]] = {}
    people_of: dict[int, set[int]] = {}
    for data, _status, contact_id, _error in rows:
        person = by_email.get(data.get("email", ""), by_phone.get(data.get("phone", ""), -1))
        contacts_of.setdefault(person, set()).add(contact_id)
        if contact_id is not None:
            people_of.setdefault(contact_id, set()).add(person)
    result.people_accepted = len(contacts_of)
    result.split_people = sum(1 for ids in contacts_of.values() if len(ids) > 1)
    result.shared_contacts = sum(1 for people in people_of.values() if len(people) > 1)
    return result


def _pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def report(
    args: argparse.Namespace,
    setup: Any,
    posts: list[Post],
    outcome: Outcome,
    burst_seconds: float,
    drain: tuple[float, int],
    checks: Checks,
    load_before: str,
) -> bool:
    info = machine()
    lat = outcome.latencies_ms
    p99 = _pct(lat, 0.99)
    errors = sum(count for status, count in outcome.statuses.items() if status != 201)
    print()
    print(f"date: {datetime.datetime.now(tz=datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"machine: {info['cpus']} CPUs ({info['cpu']}), {info['memory']} RAM, "
        f"python {info['python']}"
    )
    print(f"database: {database_version()}; queue: {args.redis_url or 'Huey SQLite file'}")
    print(
        f"server: gunicorn {args.workers} workers x 4 threads; worker: 1 consumer x "
        f"{args.worker_threads} threads at niceness "
        f"{os.environ.get('HAMKOR_WORKER_NICE', '10')} (HAMKOR_WORKER_NICE)"
        f"{' (started after the burst)' if args.defer_worker else ''}"
    )
    print(f"load average before: {load_before}; after: {_load()} (the machine is shared)")
    print(
        f"burst: {args.rate:,} posts/s for {args.seconds:g} s over {args.connections} "
        f"connections, {args.duplicates:.0%} duplicates; took {burst_seconds:.1f} s "
        f"({len(posts) / burst_seconds:,.0f} posts/s achieved)"
    )
    print()
    print("| figure | value |")
    print("|---|---:|")
    rows = [
        ("sent", f"{len(posts):,}"),
        ("accepted (201)", f"{outcome.statuses.get(201, 0):,}"),
        ("latency p50 ms", f"{statistics.median(lat):.1f}" if lat else "-"),
        ("latency p99 ms", f"{p99:.1f}"),
        ("latency max ms", f"{max(lat):.1f}" if lat else "-"),
        ("errors", f"{errors:,} {dict(outcome.statuses)} {dict(outcome.failures)}"),
        ("posts started >10 ms late (all connections busy)", f"{outcome.late_starts:,}"),
        (
            "web server CPU per post ms",
            f"{outcome.server_cpu_s / max(len(posts), 1) * 1000:.2f} "
            f"({outcome.server_cpu_s:.1f} s in all; client {outcome.client_cpu_s:.1f} s)",
        ),
        ("submissions stored", f"{checks.stored:,}"),
        ("drained in s", f"{drain[0]:.1f} ({drain[1]} still pending)"),
        ("contacts created", f"{checks.by_status.get('created', 0):,}"),
        ("matched to an existing contact", f"{checks.by_status.get('matched', 0):,}"),
        ("failed", f"{checks.by_status.get('failed', 0):,} {checks.errors}"),
        ("contacts in the database", f"{checks.contacts:,}"),
        ("people among accepted posts", f"{checks.people_accepted:,}"),
    ]
    for name, value in rows:
        print(f"| {name} | {value} |")
    ok_lost = checks.lost == 0 and drain[1] == 0
    ok_match = (
        checks.split_people == 0
        and checks.shared_contacts == 0
        and checks.contacts == checks.people_accepted
    )
    ok_p99 = p99 < TARGET_P99_MS
    print()
    print(f"none lost: {'yes' if ok_lost else 'NO'} (accepted - stored = {checks.lost})")
    print(
        f"every duplicate matched one contact: {'yes' if ok_match else 'NO'} "
        f"({checks.split_people} people split over contacts, "
        f"{checks.shared_contacts} contacts shared)"
    )
    print(f"p99 under {TARGET_P99_MS:.0f} ms: {'yes' if ok_p99 else 'MISSED'} ({p99:.1f} ms)")
    print(f"everything answered: {'yes' if errors == 0 else 'NO'} ({errors} not 201)")
    return ok_lost and ok_match and errors == 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=int, default=1000, help="posts per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the burst")
    parser.add_argument("--duplicates", type=float, default=0.2, help="share reusing a person")
    parser.add_argument("--database-url", default="", help="default: HAMKOR_DATABASE_URL or SQLite")
    parser.add_argument(
        "--redis-url", default=DEFAULT_REDIS, help="Huey queue; empty: a SQLite file"
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--worker-threads", type=int, default=2, help="Huey consumer threads")
    parser.add_argument("--connections", type=int, default=64, help="client keep-alive connections")
    parser.add_argument(
        "--defer-worker", action="store_true", help="start the worker after the burst"
    )
    parser.add_argument("--drain-seconds", type=float, default=600, help="wait this long at most")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=1200)
    parser.add_argument("--keep", action="store_true", help="keep the database and temp dir")
    args = parser.parse_args(argv)
    # What bench/contacts.py's database helpers expect.
    args.n, args.reuse, args.work_dir = 0, False, ""
    return args


def _flush_queue(url: str) -> None:
    if not url:
        return
    import redis

    redis.Redis.from_url(url).flushdb()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    def out_of_time(*_args: object) -> None:
        raise TimeoutError(f"benchmark stopped after --max-seconds={args.max_seconds:.0f}")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(int(args.max_seconds))
    work_dir = Path(tempfile.mkdtemp(prefix="hamkor-bench-portal-"))
    setup = prepare_database(args, work_dir)
    print(f"database: {setup.database_url} (work dir {work_dir})", file=sys.stderr)
    if args.redis_url:
        os.environ["HAMKOR_REDIS_URL"] = args.redis_url
        os.environ["HAMKOR_HUEY_NAME"] = "hamkor-bench-portal"
        _flush_queue(args.redis_url)
    ok = False
    try:
        configure_django(setup)
        _password(setup)
        # All posts come from 127.0.0.1: allow twice the burst a minute (the most a form allows).
        form = create_form(rate_limit=min(args.rate * 120, 100_000))
        path = f"/f/{form.uuid}/"
        posts = plan_posts(args.rate, args.seconds, args.duplicates, args.seed)
        print(f"planned {len(posts):,} posts", file=sys.stderr)
        with running_server(setup, args.workers) as base:
            worker = (
                contextlib.nullcontext()
                if args.defer_worker
                else running_worker(work_dir, args.worker_threads)
            )
            with worker:
                load_before = _load()
                print(f"  burst: {args.rate}/s for {args.seconds:g} s…", file=sys.stderr)
                port = urlparse(base).port or 80
                # Warm every worker up (imports, URL resolver, templates) with honeypot posts:
                # the whole path runs, nothing is stored.
                warm = [
                    Post(i / 200, post.body + b"&website=bot", -1, False, "", "")
                    for i, post in enumerate(posts[:200])
                ]
                asyncio.run(_burst(base, path, warm, args.connections))
                cpu_before, client_before = server_cpu_seconds(port), time.process_time()
                started = time.perf_counter()
                outcome = asyncio.run(_burst(base, path, posts, args.connections))
                burst_seconds = time.perf_counter() - started
                outcome.server_cpu_s = server_cpu_seconds(port) - cpu_before
                outcome.client_cpu_s = time.process_time() - client_before
                if args.defer_worker:
                    with running_worker(work_dir, args.worker_threads):
                        drain = wait_for_drain(form.pk, len(outcome.accepted), args.drain_seconds)
                else:
                    drain = wait_for_drain(form.pk, len(outcome.accepted), args.drain_seconds)
        checks = check(form.pk, posts, outcome)
        ok = report(args, setup, posts, outcome, burst_seconds, drain, checks, load_before)
    finally:
        clean_up(setup, args, work_dir)
        _flush_queue(args.redis_url)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
