"""Full export / restore benchmark: `hamkor export` and `hamkor import-all` on N contacts.

    .venv/bin/python bench/transfer.py                      # 50,000 contacts, SQLite in /tmp
    .venv/bin/python bench/transfer.py --n 200000
    .venv/bin/python bench/transfer.py \\
        --source-url postgres://postgres@127.0.0.1:5432/bench_transfer_a \\
        --target-url postgres://postgres@127.0.0.1:5432/bench_transfer_b

It migrates a source database and fills it with N contacts (a phone each, every second
one an email, every tenth one a tag, about 3 rows per contact) through
contacts.services.bulk_create_contacts, then runs `hamkor export` on it, migrates an
empty target database and runs `hamkor import-all` into it, each as a separate process
the way an operator would. It prints the wall time and peak memory (max RSS) of both,
the zip size, and checks that an export of the target has the same JSON lines as the
first one. SQLite files live in the work directory; PostgreSQL databases are created for
the run and dropped afterwards (their names must contain "bench"); --keep leaves them
and the work directory, --reuse measures an existing, filled source again.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
FORBIDDEN_DATABASES = {"test", "postgres", "template0", "template1"}
CHUNK = 5000

# Run in a child process: report the command's own peak memory on stderr.
MEASURED = """
import resource, sys
from hamkor.cli import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code or 0
sys.stderr.write("MAXRSS_KB %d\\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.exit(code)
"""

FILL = """
import random, sys
import django
django.setup()
from hamkor.accounts.models import Role, User
from hamkor.contacts.services import ContactInput, EmailInput, PhoneInput, bulk_create_contacts

n, chunk = int(sys.argv[1]), int(sys.argv[2])
actor = User.objects.create_user(username="bench_admin", password="x", role=Role.ADMIN)
rng = random.Random(7)
made = 0
while made < n:
    items = []
    for i in range(made, min(n, made + chunk)):
        items.append(ContactInput(
            values={"first_name": f"Bench{i}", "last_name": rng.choice(["Karimova", "Yusupov"])},
            phones=[PhoneInput(number=f"+99890{i:07d}")],
            emails=[EmailInput(email=f"bench{i}@example.com")] if i % 2 == 0 else [],
            tags=["vip"] if i % 10 == 0 else [],
        ))
    made += bulk_create_contacts(items=items, actor=actor)
print(made)
"""


def _check_url(url: str) -> str:
    """The database name of a disposable local PostgreSQL URL, or "" for SQLite."""
    if url.startswith("sqlite"):
        return ""
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"unsupported database URL {url!r}")
    host = urlparse(url).hostname or ""
    if host not in LOCAL_HOSTS:
        sys.exit(f"refusing to run against {host!r}: the benchmark only talks to 127.0.0.1")
    name = urlparse(url).path.lstrip("/")
    if name in FORBIDDEN_DATABASES or "bench" not in name:
        sys.exit(f"refusing database {name!r}: its name must contain 'bench' (it is dropped)")
    return name


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


def _environment(url: str, var_dir: Path) -> dict[str, str]:
    var_dir.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "HAMKOR_DATABASE_URL": url,
        "HAMKOR_VAR_DIR": str(var_dir),
        "HAMKOR_SECRET_KEY": os.environ.get("HAMKOR_SECRET_KEY", secrets.token_urlsafe(40)),
        "HAMKOR_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "hamkor.config.settings",
    }


def _hamkor(env: dict[str, str], *args: str) -> tuple[float, int]:
    """Run one hamkor command; return its wall seconds and peak memory in MB."""
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", MEASURED, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"hamkor {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    maxrss = [line for line in done.stderr.splitlines() if line.startswith("MAXRSS_KB")]
    return elapsed, int(maxrss[-1].split()[1]) // 1024 if maxrss else 0


def _data_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "manifest.json"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=50_000, help="contacts in the source")
    parser.add_argument("--source-url", default="", help="default: a SQLite file")
    parser.add_argument("--target-url", default="", help="default: a SQLite file")
    parser.add_argument("--work-dir", default="", help="default: a new folder in /tmp")
    parser.add_argument("--keep", action="store_true", help="leave databases and files")
    parser.add_argument("--reuse", action="store_true", help="the source is filled already")
    args = parser.parse_args()
    work_dir = Path(args.work_dir or tempfile.mkdtemp(prefix="hamkor-bench-transfer-"))
    work_dir.mkdir(parents=True, exist_ok=True)
    source_url = args.source_url or f"sqlite:///{work_dir / 'source.sqlite3'}"
    target_url = args.target_url or f"sqlite:///{work_dir / 'target.sqlite3'}"
    source_db, target_db = _check_url(source_url), _check_url(target_url)
    if source_db and source_db == target_db:
        sys.exit("the source and target databases must differ")
    target_file = Path(urlparse(target_url).path) if not target_db else None
    if target_file and target_file.exists():
        sys.exit(f"{target_file} exists; the target must be a new database")
    source_env = _environment(source_url, work_dir / "source-var")
    target_env = _environment(target_url, work_dir / "target-var")
    created = []
    try:
        if source_db and not args.reuse:
            _admin_sql(source_url, f'DROP DATABASE IF EXISTS "{source_db}"')
            _admin_sql(source_url, f'CREATE DATABASE "{source_db}"')
            created.append((source_url, source_db))
        if target_db:
            _admin_sql(target_url, f'DROP DATABASE IF EXISTS "{target_db}"')
            _admin_sql(target_url, f'CREATE DATABASE "{target_db}"')
            created.append((target_url, target_db))
        if not args.reuse:
            _hamkor(source_env, "migrate", "--verbosity", "0")
            started = time.perf_counter()
            subprocess.run(  # noqa: S603 - our own interpreter and code
                [sys.executable, "-c", FILL, str(args.n), str(CHUNK)],
                env=source_env,
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            print(f"filled {args.n:,} contacts in {time.perf_counter() - started:.1f} s")
        first = work_dir / "first.zip"
        second = work_dir / "second.zip"
        export_s, export_mb = _hamkor(source_env, "export", "--output", str(first))
        _hamkor(target_env, "migrate", "--verbosity", "0")
        import_s, import_mb = _hamkor(target_env, "import-all", str(first))
        _hamkor(target_env, "export", "--output", str(second))
        manifest = json.loads(zipfile.ZipFile(first).read("manifest.json"))
        rows = sum(entry["count"] for entry in manifest["entities"])
        same = _data_members(first) == _data_members(second)
        vendors = f"{'postgresql' if source_db else 'sqlite'} -> "
        vendors += "postgresql" if target_db else "sqlite"
        print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {sys.version[:6]}")
        print(f"{vendors}, {args.n:,} contacts, {rows:,} rows in all")
        print(f"zip: {first.stat().st_size / 2**20:.1f} MB")
        print(f"export:     {export_s:6.1f} s  ({rows / export_s:,.0f} rows/s), {export_mb} MB RSS")
        print(f"import-all: {import_s:6.1f} s  ({rows / import_s:,.0f} rows/s), {import_mb} MB RSS")
        print(f"re-export identical: {'yes' if same else 'NO'}")
        print("(each time includes starting Python and Django, about 3 s)")
    finally:
        if not args.keep:
            for url, name in created:
                _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}"')
            if not args.work_dir:
                shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
