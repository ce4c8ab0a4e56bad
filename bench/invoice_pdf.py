"""Invoice PDF benchmark: render an issued 200-line invoice N times and print p50/p99.

    .venv/bin/python bench/invoice_pdf.py                # fresh SQLite in a temp dir
    .venv/bin/python bench/invoice_pdf.py --lines 500 --runs 50

Target (issue 5): a PDF in under 1 s. The first render loads the fonts and is reported apart.
The invoice is made with the test factories, so the data is the same shape the tests use.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    work_dir = Path(tempfile.mkdtemp(prefix="hamkor-bench-pdf-"))
    sys.path.insert(0, str(ROOT))
    os.environ["HAMKOR_DATABASE_URL"] = f"sqlite:///{work_dir / 'bench.sqlite3'}"
    os.environ["HAMKOR_VAR_DIR"] = str(work_dir / "var")
    os.environ.setdefault("HAMKOR_SECRET_KEY", secrets.token_urlsafe(40))
    os.environ["DJANGO_SETTINGS_MODULE"] = "hamkor.config.settings"
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        from tests.billing.factories import free_line, make_issued

        from hamkor.billing.pdf import render_invoice_pdf

        lines = [free_line(f"Item {n}", "1", "1000") for n in range(args.lines)]
        invoice = make_issued(lines=lines)
        started = time.perf_counter()
        first = render_invoice_pdf(invoice)
        cold = time.perf_counter() - started
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            render_invoice_pdf(invoice)
            timings.append(time.perf_counter() - started)
        timings.sort()
        p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
        print(f"invoice with {args.lines} lines, {len(first):,} bytes")
        print(f"first render (loads fonts): {cold * 1000:.1f} ms")
        print(
            f"{args.runs} renders: p50 {statistics.median(timings) * 1000:.1f} ms, "
            f"p99 {p99 * 1000:.1f} ms (target < {TARGET_SECONDS * 1000:.0f} ms)"
        )
        print("target met" if p99 < TARGET_SECONDS else "target NOT met")
        return 0
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
