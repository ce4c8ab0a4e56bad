"""Reminders benchmark: N reminders due within one window, fired by real `hamkor worker`s.

    .venv/bin/python bench/reminders.py                       # 100,000 in 10 minutes, 2 workers
    .venv/bin/python bench/reminders.py --n 5000 --window 60  # a quick run
    .venv/bin/python bench/reminders.py --kill                # kill -9 one worker mid-run
    .venv/bin/python bench/reminders.py \\
        --database-url postgres://postgres@127.0.0.1:5432/hamkor_bench

It creates N activities for 20 users (each with an email address), each with a reminder
due at a random moment of the window (uniform), which starts --lead seconds after the data
is ready. It starts a local SMTP server (aiosmtpd, in this process, on a free port of
127.0.0.1) and --workers `hamkor worker` processes (Huey on Redis --redis-url, or SQLite
with --huey sqlite). Each reminder writes an in-app notification and queues a staff email
in the outbox; the workers send the emails to the SMTP server.

It reports how late each reminder fired (fired_at - fire_at, p50/p99/max), how late each
email was sent, emails per second received by the SMTP server, and duplicates: emails for
the same reminder (by subject) or with the same Message-ID received more than once. With
--kill, one worker gets SIGKILL in the middle of the window and is restarted --restart-after
seconds later. Everything talks to 127.0.0.1 only; it stops by itself (--max-seconds).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
USERS = 20
CHUNK = 5000
REMIND_MINUTES = 15
TARGET_P99_S = 5.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="reminders (default 100,000)")
    parser.add_argument("--window", type=float, default=600, help="seconds they are spread over")
    parser.add_argument("--lead", type=float, default=20, help="seconds before the first is due")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="Huey threads per worker")
    parser.add_argument("--huey", choices=("redis", "sqlite"), default="redis")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--database-url", default="", help="default: a SQLite file in a temp dir")
    parser.add_argument("--kill", action="store_true", help="kill -9 one worker mid-window")
    parser.add_argument("--restart-after", type=float, default=5.0)
    parser.add_argument("--stale-minutes", type=int, default=2, help="outbox crash recovery")
    parser.add_argument("--max-seconds", type=float, default=0, help="default: window + 600")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def _local(url: str) -> None:
    host = urlparse(url).hostname or ""
    if host not in {"127.0.0.1", "localhost", "::1"}:
        sys.exit(f"refusing to talk to {host!r}: the benchmark only talks to 127.0.0.1")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- environment ------------------------------------------------------------------------


def prepare(args: argparse.Namespace, work_dir: Path, smtp_port: int) -> dict[str, str]:
    """The environment every process of the run shares (this one and the workers)."""
    url = args.database_url
    vendor = "sqlite"
    if not url:
        url = f"sqlite:///{work_dir / 'bench.sqlite3'}"
    elif url.startswith(("postgres://", "postgresql://")):
        _local(url)
        name = urlparse(url).path.lstrip("/")
        if "bench" not in name:
            sys.exit(f"refusing database {name!r}: its name must contain 'bench' (it is dropped)")
        _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}"')
        _admin_sql(url, f'CREATE DATABASE "{name}"')
        vendor = "postgresql"
    env = {
        "DJANGO_SETTINGS_MODULE": "hamkor.config.settings",
        "HAMKOR_DATABASE_URL": url,
        "HAMKOR_VAR_DIR": str(work_dir / "var"),
        "HAMKOR_SECRET_KEY": secrets.token_urlsafe(40),
        "HAMKOR_LOG_LEVEL": "WARNING",
        "HAMKOR_WORKER_THREADS": str(args.threads),
        "HAMKOR_EMAIL_ENABLED": "1",
        "HAMKOR_EMAIL_HOST": "127.0.0.1",
        "HAMKOR_EMAIL_PORT": str(smtp_port),
        "HAMKOR_EMAIL_USE_TLS": "0",
        "HAMKOR_EMAIL_TIMEOUT": "10",
        "HAMKOR_EMAIL_FROM": "hamkor@bench.test",
        "HAMKOR_MESSAGING_STALE_MINUTES": str(args.stale_minutes),
        "HAMKOR_HUEY_NAME": f"hamkor-bench-{os.getpid()}",
        "HAMKOR_REDIS_URL": "",
        "BENCH_VENDOR": vendor,
    }
    if args.huey == "redis":
        _local(args.redis_url)
        env["HAMKOR_REDIS_URL"] = args.redis_url
    return env


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


def configure_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


# --- data -------------------------------------------------------------------------------


def create_data(n: int, window: float, seed: int) -> float:
    """Users and N activities with reminders at far-future times; returns seconds taken.

    Times are moved into place by ``arm`` once everything is ready, so set-up time does
    not eat into the window.
    """
    from hamkor.accounts.models import Role, Team, User
    from hamkor.activities.models import Activity, ActivityKind, Reminder

    started = time.perf_counter()
    rng = random.Random(seed)
    team = Team.objects.create(name="Bench team")
    zones = ["Asia/Tashkent", "Asia/Bishkek", "Europe/Moscow", ""]
    users = [
        User.objects.create(
            username=f"bench{i}",
            email=f"bench{i}@bench.test",
            role=Role.SALES,
            team=team,
            time_zone=zones[i % len(zones)],
            language=["en", "ru", "uz", "ky"][i % 4],
        )
        for i in range(USERS)
    ]
    base = far_base()
    kinds = list(ActivityKind.values)
    for start in range(0, n, CHUNK):
        activities = []
        offsets = []
        for i in range(start, min(n, start + CHUNK)):
            owner = users[i % USERS]
            offset = datetime.timedelta(seconds=rng.uniform(0, window))
            offsets.append(offset)
            activities.append(
                Activity(
                    kind=rng.choice(kinds),
                    subject=f"Bench #{i}",
                    owner=owner,
                    team=team,
                    due_at=base + offset + datetime.timedelta(minutes=REMIND_MINUTES),
                    duration_minutes=30,
                    location="Office",
                    remind_minutes_before=REMIND_MINUTES,
                )
            )
        created = Activity.objects.bulk_create(activities)
        Reminder.objects.bulk_create(
            Reminder(activity=activity, user_id=activity.owner_id, fire_at=base + offset)
            for activity, offset in zip(created, offsets, strict=True)
        )
    return time.perf_counter() - started


def far_base() -> datetime.datetime:
    return datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)


def arm(first_due: datetime.datetime) -> None:
    """Move every reminder (and its activity) so the window starts at ``first_due``."""
    from django.db.models import F

    from hamkor.activities.models import Activity, Reminder

    shift = far_base() - first_due
    Reminder.objects.update(fire_at=F("fire_at") - shift)
    Activity.objects.update(due_at=F("due_at") - shift)


# --- the SMTP server --------------------------------------------------------------------


@dataclass
class SmtpSink:
    """Counts what arrives: when, its Message-ID and its subject."""

    received: list[tuple[float, str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content)
        with self.lock:
            self.received.append(
                (time.time(), str(message["Message-ID"]), str(message["Subject"] or ""))
            )
        return "250 OK"


def start_smtp(port: int) -> tuple[Any, SmtpSink]:
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, sink


# --- workers ----------------------------------------------------------------------------


def start_worker(env: dict[str, str], index: int, log_dir: Path) -> subprocess.Popen[bytes]:
    log = (log_dir / f"worker{index}.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "hamkor.cli", "worker", "--quiet"],
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGINT)
    for worker in workers:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


# --- measuring --------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def progress() -> dict[str, int]:
    from django.db import close_old_connections

    from hamkor.activities.models import Notification, Reminder
    from hamkor.messaging.models import OutboundMessage

    close_old_connections()
    statuses = Counter(OutboundMessage.objects.values_list("status", flat=True))
    return {
        "unfired": Reminder.objects.filter(fired_at__isnull=True).count(),
        # Fired, email not yet in the outbox (a killed worker's are swept after 5 minutes).
        "unemailed": Reminder.objects.filter(fired_at__isnull=False, emailed_at=None).count(),
        "notifications": Notification.objects.count(),
        "messages": sum(statuses.values()),
        "pending": statuses["queued"] + statuses["sending"],
        **{f"status_{key}": value for key, value in statuses.items()},
    }


def lateness() -> tuple[list[float], list[float]]:
    """Seconds late: each reminder's firing, and each reminder email's hand-over to SMTP."""
    from hamkor.activities.models import Reminder
    from hamkor.messaging.models import OutboundMessage

    fired = []
    fire_at_by_pk = {}
    for pk, fire_at, fired_at in Reminder.objects.values_list("pk", "fire_at", "fired_at"):
        fire_at_by_pk[pk] = fire_at
        if fired_at is not None:
            fired.append((fired_at - fire_at).total_seconds())
    sent = []
    rows = OutboundMessage.objects.filter(sent_at__isnull=False).values_list(
        "idempotency_key", "sent_at"
    )
    for key, sent_at in rows:
        pk = int(key.split(":")[1])
        sent.append((sent_at - fire_at_by_pk[pk]).total_seconds())
    return fired, sent


def rates(times: list[float]) -> tuple[float, float, int]:
    """(mean messages/s over the receiving span, span in seconds, peak in one second)."""
    if len(times) < 2:
        return float("nan"), 0.0, len(times)
    span = max(times) - min(times)
    per_second = Counter(int(t) for t in times)
    return len(times) / span if span else float("nan"), span, max(per_second.values())


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}"


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().strip()
    except OSError:
        return "n/a"


# --- the run ----------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    max_seconds = args.max_seconds or args.window + 600
    work_dir = Path(tempfile.mkdtemp(prefix="hamkor-bench-reminders-"))
    (work_dir / "var").mkdir()
    smtp_port = free_port()
    env = prepare(args, work_dir, smtp_port)
    configure_django(env)
    print(f"work dir {work_dir}; database {env['BENCH_VENDOR']}; huey {args.huey}", flush=True)
    print(f"machine: {machine()}; load before: {loadavg()}", flush=True)

    setup_seconds = create_data(args.n, args.window, args.seed)
    print(f"created {args.n:,} activities with reminders in {setup_seconds:.1f}s", flush=True)
    controller, sink = start_smtp(smtp_port)
    workers = [start_worker(env, i, work_dir) for i in range(args.workers)]
    from django.utils import timezone

    first_due = timezone.now() + datetime.timedelta(seconds=args.lead)
    arm(first_due)
    start = time.time() + (first_due - timezone.now()).total_seconds()
    window_end = start + args.window
    print(
        f"{args.workers} workers × {args.threads} threads; first reminder due in "
        f"{args.lead:.0f}s, last {args.window:.0f}s later",
        flush=True,
    )
    killed_at = restarted_at = 0.0
    deadline = time.time() + args.lead + max_seconds
    loads: list[str] = []
    last_print = 0.0
    state: dict[str, int] = {}
    try:
        while time.time() < deadline:
            now = time.time()
            if args.kill and not killed_at and now >= start + args.window / 2:
                os.kill(workers[0].pid, signal.SIGKILL)
                workers[0].wait()
                killed_at = now
                print(f"t={now - start:.0f}s: kill -9 worker 0 (pid {workers[0].pid})", flush=True)
            if killed_at and not restarted_at and now >= killed_at + args.restart_after:
                workers[0] = start_worker(env, 0, work_dir)
                restarted_at = now
                print(f"t={now - start:.0f}s: worker 0 restarted", flush=True)
            if now - last_print >= 15:
                last_print = now
                state = progress()
                loads.append(loadavg())
                print(
                    f"t={now - start:.0f}s unfired={state['unfired']:,} "
                    f"notifications={state['notifications']:,} smtp={len(sink.received):,} "
                    f"pending={state['pending']:,} unemailed={state['unemailed']:,} "
                    f"load={loads[-1]}",
                    flush=True,
                )
                done = state["unfired"] == state["pending"] == state["unemailed"] == 0
                if done and now > window_end and (not args.kill or restarted_at):
                    break
            time.sleep(1)
    finally:
        stop_workers(workers)
        controller.stop()
    state = progress()
    fired, sent = lateness()
    received = list(sink.received)
    subjects = Counter(subject for _t, _id, subject in received)
    message_ids = Counter(message_id for _t, message_id, _s in received)
    duplicates_by_reminder = sum(count - 1 for count in subjects.values() if count > 1)
    duplicates_by_id = sum(count - 1 for count in message_ids.values() if count > 1)
    per_second, span, peak = rates([t for t, _id, _s in received])
    print("\n--- results ---")
    print(f"date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine: {machine()}")
    print(f"database: {env['BENCH_VENDOR']}; huey storage: {args.huey}")
    print(
        f"reminders: {args.n:,} over {args.window:.0f}s; workers: {args.workers} × {args.threads}"
    )
    print(f"fired: {len(fired):,} of {args.n:,}; notifications: {state['notifications']:,}")
    print(
        f"firing lateness s: p50 {pct(fired, 50):.2f}  p90 {pct(fired, 90):.2f}  "
        f"p99 {pct(fired, 99):.2f}  max {max(fired, default=float('nan')):.2f}  "
        f"(target p99 < {TARGET_P99_S:.0f})"
    )
    print(
        f"email sent lateness s: p50 {pct(sent, 50):.2f}  p99 {pct(sent, 99):.2f}  "
        f"max {max(sent, default=float('nan')):.2f}  ({len(sent):,} sent)"
    )
    print(
        f"SMTP received: {len(received):,} emails over {span:.0f}s = {per_second:.0f}/s mean, "
        f"peak {peak}/s"
    )
    statuses = {k.removeprefix("status_"): v for k, v in state.items() if k.startswith("status_")}
    print(f"outbox statuses: {statuses}; fired but email not queued: {state['unemailed']:,}")
    print(
        f"duplicate sends: {duplicates_by_reminder} (same reminder), "
        f"{duplicates_by_id} (same Message-ID)"
    )
    if args.kill:
        print(
            f"worker 0 killed at t={killed_at - start:.0f}s, "
            f"restarted at t={restarted_at - start:.0f}s"
        )
    print(f"load average during the run (every 15 s, last 5): {loads[-5:]}")
    print(f"load average after: {loadavg()}")
    if args.huey == "redis":
        import redis

        client = redis.Redis.from_url(args.redis_url)
        for key in client.scan_iter(match=f"*{env['HAMKOR_HUEY_NAME']}*"):
            client.delete(key)
    return 0 if duplicates_by_reminder == 0 and duplicates_by_id == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
