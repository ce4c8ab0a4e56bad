"""Import benchmark: N contacts from a generated CSV, normalised and de-duplicated.

    .venv/bin/python bench/import.py                  # 100,000 rows, fresh SQLite in /tmp
    .venv/bin/python bench/import.py --n 1000000
    .venv/bin/python bench/import.py \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_imports

It writes a CSV (";"-separated, UTF-8 with BOM) of N rows whose phones are spelled the ways
people type them (+998 90 123-45-67, 90 1234567, 8 ...), about half with a mixed-case email;
a share of rows repeat an earlier row's phone (duplicates within the file) and a share match
contacts already in the database (made first, through the contacts app). Then it times
``hamkor.imports.services.run_file`` (write, duplicates skipped, one transaction) and prints
rows/s, peak RSS (``resource.getrusage``: this process and, for a file big enough to be read
by a second process, that one too; the target is judged on their sum), the duplicates found
and checks the result (every new contact searchable, E.164 phones, lower-case emails, name
keys). A PostgreSQL database
is created for the run and dropped afterwards; its name must contain "bench". --keep leaves
the database and the work directory; --reuse imports again into an existing database.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
FORBIDDEN_DATABASES = {"test", "postgres", "template0", "template1"}
TARGET_ROWS_PER_SECOND = 20_000
TARGET_RSS_MB = 500
EXISTING = 2_000
FILE_DUPLICATE_SHARE = 0.02
EXISTING_SHARE = 0.01
FIRST = ["Dilnoza", "Aziz", "Гульнара", "Бекзод", "Madina", "Timur", "Нодира", "Sardor"]
LAST = ["Karimova", "Yusupov", "Рахимова", "Алиев", "Tashkentova", "Usmonov", "Ким", "Ли"]


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


def prepare(args: argparse.Namespace, work_dir: Path) -> tuple[str, str]:
    """The database URL to use and the PostgreSQL database to drop afterwards ('' if none)."""
    url = args.database_url or ""
    if not url:
        return f"sqlite:///{work_dir / 'bench.sqlite3'}", ""
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"unsupported database URL {url!r}")
    if (urlparse(url).hostname or "") not in LOCAL_HOSTS:
        sys.exit("refusing a non-local database: the benchmark only talks to 127.0.0.1")
    name = urlparse(url).path.lstrip("/")
    if name in FORBIDDEN_DATABASES or "bench" not in name:
        sys.exit(f"refusing database {name!r}: its name must contain 'bench' (it is dropped)")
    if not args.reuse:
        _admin_sql(url, f'DROP DATABASE IF EXISTS "{name}"')
        _admin_sql(url, f'CREATE DATABASE "{name}"')
    return url, name


def configure_django(url: str, work_dir: Path) -> None:
    os.environ["HAMKOR_DATABASE_URL"] = url
    os.environ["HAMKOR_VAR_DIR"] = str(work_dir / "var")
    os.environ.setdefault("HAMKOR_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ["HAMKOR_LOG_LEVEL"] = "WARNING"
    os.environ["HAMKOR_DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "hamkor.config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _national(rng: random.Random) -> str:
    prefix = rng.choice(("90", "91", "93", "94", "95", "97", "98", "99", "33", "88"))
    return f"{prefix}{rng.randrange(10**7):07d}"


def _spell(national: str, rng: random.Random) -> str:
    """The same number the ways people write it."""
    style = rng.randrange(4)
    if style == 0:
        return f"+998{national}"
    if style == 1:
        n = national
        return f"+998 {n[:2]} {n[2:5]}-{n[5:7]}-{n[7:]}"
    if style == 2:
        return f"{national[:2]} {national[2:]}"
    return f"998{national}"


def write_csv(path: Path, n: int, existing: list[str], seed: int) -> int:
    """N rows; returns how many are meant to be duplicates (of the file or the database)."""
    rng = random.Random(seed)
    planted = 0
    recent: list[str] = []
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write("Имя;Фамилия;Телефон;Email;Дата рождения\n")
        for index in range(n):
            roll = rng.random()
            if roll < FILE_DUPLICATE_SHARE and recent:
                national = rng.choice(recent)
                planted += 1
            elif roll < FILE_DUPLICATE_SHARE + EXISTING_SHARE and existing:
                national = rng.choice(existing)
                planted += 1
            else:
                national = _national(rng)
                if len(recent) < 10_000:
                    recent.append(national)
                elif rng.random() < 0.01:
                    recent[rng.randrange(len(recent))] = national
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"User.{index}@Example.COM" if rng.random() < 0.5 else ""
            birthday = (
                f"{rng.randrange(1, 29):02d}.{rng.randrange(1, 13):02d}.19{rng.randrange(50, 99)}"
            )
            handle.write(f"{first};{last};{_spell(national, rng)};{email};{birthday}\n")
    return planted


def seed_existing(count: int, seed: int) -> tuple[object, list[str]]:
    """A manager and some contacts already in the CRM (through the contacts service)."""
    from hamkor.accounts.models import Role
    from hamkor.accounts.services import create_user
    from hamkor.contacts.services import ContactInput, PhoneInput, bulk_create_contacts

    rng = random.Random(seed + 1)
    user = create_user(
        username="bench_importer", password=secrets.token_urlsafe(12), role=Role.MANAGER
    )
    nationals = list({_national(rng) for _ in range(count)})
    items = [
        ContactInput(
            values={"first_name": "Existing", "last_name": str(i)},
            phones=[PhoneInput(number=f"+998{n}")],
        )
        for i, n in enumerate(nationals)
    ]
    for start in range(0, len(items), 5000):
        bulk_create_contacts(items=items[start : start + 5000], actor=user)
    return user, nationals


def verify(new: int, before: int) -> list[str]:
    """Spot checks of what the import wrote."""
    from hamkor.contacts.models import Contact, ContactEmail, ContactPhone
    from hamkor.contacts.search import filter_by_search
    from hamkor.contacts.text import name_key

    problems: list[str] = []
    total = Contact.objects.count()
    if total != before + new:
        problems.append(f"contacts: {total:,}, expected {before + new:,}")
    last = Contact.objects.order_by("-pk").first()
    if last is not None:
        if last.name_key != name_key(last.first_name, last.last_name):
            problems.append("name_key differs from the contacts app's")
        phone = last.phones.first()
        if phone is None or not phone.number.startswith("+998"):
            problems.append("phone is not E.164")
        elif (
            not filter_by_search(Contact.objects.all(), phone.number[-7:])
            .filter(pk=last.pk)
            .exists()
        ):
            problems.append("the last imported contact is not found by phone search")
    if ContactEmail.objects.filter(email__regex=r"[A-Z]").exists():
        problems.append("an email is not lower-case")
    duplicate_numbers = ContactPhone.objects.values("number").distinct().count()
    if duplicate_numbers != ContactPhone.objects.count():
        problems.append("a phone number is on two contacts")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="rows in the CSV")
    parser.add_argument("--database-url", default="", help="default: SQLite in the work dir")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=5000, help="rows per chunk")
    parser.add_argument("--keep", action="store_true", help="keep the database and work dir")
    parser.add_argument("--reuse", action="store_true", help="import into an existing database")
    parser.add_argument("--work-dir", default="", help="work dir to use (with --reuse)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    work_dir = (
        Path(args.work_dir) if args.work_dir else Path(tempfile.mkdtemp(prefix="bench_import_"))
    )
    work_dir.mkdir(parents=True, exist_ok=True)
    url, created = prepare(args, work_dir)
    try:
        configure_django(url, work_dir)
        from django.db import connection

        from hamkor.accounts.models import User
        from hamkor.contacts.models import Contact
        from hamkor.imports.services import run_file

        if args.reuse and User.objects.filter(username="bench_importer").exists():
            user = User.objects.get(username="bench_importer")
            existing = [
                p[4:]
                for p in Contact.objects.filter(first_name="Existing").values_list(
                    "phones__number", flat=True
                )
            ]
        else:
            user, existing = seed_existing(EXISTING, args.seed)
        csv_path = work_dir / f"contacts-{args.n}.csv"
        started = time.perf_counter()
        planted = write_csv(csv_path, args.n, existing, args.seed)
        print(
            f"wrote {csv_path.stat().st_size / 1e6:,.1f} MB CSV "
            f"in {time.perf_counter() - started:.1f} s"
        )
        before = Contact.objects.count()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        load_before = os.getloadavg()[0]
        started = time.perf_counter()

        def progress(done: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            print(f"\r  {done:,}/{args.n:,} ({rate:,.0f} rows/s)", end="", file=sys.stderr)

        result = run_file(
            path=csv_path,
            name=csv_path.name,
            entity="contact",
            mapping={
                "Имя": "first_name",
                "Фамилия": "last_name",
                "Телефон": "phone",
                "Email": "email",
                "Дата рождения": "birthday",
            },
            duplicates="skip",
            skip_bad_rows=False,
            actor=user,
            write=True,
            on_progress=progress,
            chunk_size=args.chunk,
        )
        seconds = time.perf_counter() - started
        print(file=sys.stderr)
        own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # The reading process, if the file was big enough for one (see imports.engine).
        reader_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        peak = own_peak + reader_peak
        counts = result.counts
        rate = counts.processed / seconds
        print(
            f"database: {connection.vendor}; load average {load_before:.2f} at the start, "
            f"{os.getloadavg()[0]:.2f} at the end"
        )
        print(
            f"rows: {counts.processed:,} in {seconds:.1f} s = {rate:,.0f} rows/s "
            f"(target {TARGET_ROWS_PER_SECOND:,})"
        )
        print(
            f"new {counts.new:,}, skipped {counts.skipped:,}, errors {counts.errors:,}; "
            f"duplicates found {counts.duplicates:,} (planted {planted:,})"
        )
        print(
            f"peak RSS: {peak:,.0f} MB = {own_peak:,.0f} MB here + {reader_peak:,.0f} MB reading "
            f"(before the import {rss_before:,.0f} MB; target < {TARGET_RSS_MB})"
        )
        print(f"written: {result.written}")
        problems = verify(counts.new, before)
        for problem in problems:
            print(f"PROBLEM: {problem}")
        ok = (
            not problems
            and result.written
            and rate >= TARGET_ROWS_PER_SECOND
            and peak < TARGET_RSS_MB
        )
        print("target met" if ok else "target NOT met")
        return 0 if not problems else 1
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            if created:
                _admin_sql(url, f'DROP DATABASE IF EXISTS "{created}"')
            if not args.work_dir:
                shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
