"""The `hamkor` command: `hamkor run`, `hamkor demo`, `hamkor token create`, and every
manage.py command (`hamkor migrate`, `hamkor createsuperuser`, ...)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

# Spoken names for management commands whose module names cannot hold a hyphen.
COMMAND_ALIASES = {"import-all": "import_all"}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamkor.config.settings")


def run(argv: list[str]) -> int:
    """Migrate, compile translations, load demo data once, then serve web + worker."""
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("compiletranslations", verbosity=0)
    var_dir = Path(settings.VAR_DIR)
    password_file = var_dir / "initial_admin_password"
    demo_password_file = var_dir / "demo_password"
    from hamkor.accounts.models import User

    if not User.objects.exists():
        create_first_admin(password_file)
        demo_password = secrets.token_urlsafe(9)
        _write_private(demo_password_file, demo_password)
        print("Loading demo data (first run)…", flush=True)
        call_command("demo", password=demo_password, verbosity=1)
        call_command("demo_sales", verbosity=1)
        call_command("demo_projects", verbosity=1)
        call_command("demo_billing", verbosity=1)
    bind = os.environ.get("HAMKOR_BIND", "127.0.0.1:8000")
    web_workers = os.environ.get("HAMKOR_WEB_WORKERS", "2")
    python = sys.executable
    web = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
        [
            python,
            "-m",
            "gunicorn",
            "hamkor.config.wsgi:application",
            "--bind",
            bind,
            "--workers",
            web_workers,
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ]
    )
    # The worker also fires reminders within seconds (activities/dispatcher.py).
    worker = subprocess.Popen([python, "-m", "hamkor.cli", "worker", "--quiet"])  # noqa: S603
    print(f"\nHamkor is running at http://{bind}/", flush=True)
    if password_file.exists():
        print(f"Log in as admin with password {password_file.read_text().strip()}", flush=True)
        print("(the first-run password; change it on your profile page)", flush=True)
    if demo_password_file.exists():
        demo_password = demo_password_file.read_text().strip()
        print(
            f"Demo users (dilnoza, rustam, jasur, …) share the password {demo_password}", flush=True
        )
    print("Press Ctrl+C to stop.\n", flush=True)

    def stop(*_args: object) -> None:
        for process in (web, worker):
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while web.poll() is None and worker.poll() is None:
            try:
                web.wait(timeout=1)
            except subprocess.TimeoutExpired:
                continue
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        web.wait(timeout=10)
        worker.wait(timeout=10)
    return 0


def create_first_admin(password_file: Path) -> str:
    """Create the `admin` user with a generated password and keep it in `password_file`."""
    from django.core.management import call_command

    password = secrets.token_urlsafe(9)
    # Keyword options: a generated password may start with "-", which argparse would
    # read as a flag if it were passed as a command-line word.
    call_command("createuser", "admin", role="admin", password=password, verbosity=0)
    _write_private(password_file, password)
    return password


def _write_private(path: Path, text: str) -> None:
    """Keep first-run passwords readable by the owner only."""
    path.write_text(text)
    path.chmod(0o600)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    _setup()
    if args and args[0] == "run":
        return run(args[1:])
    from django.core.management import execute_from_command_line

    if args and args[0] in COMMAND_ALIASES:
        args[0] = COMMAND_ALIASES[args[0]]
    execute_from_command_line(["hamkor", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
