"""`hamkor run` on a fresh var/ folder: what `make run` does after installing."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_run_migrates_loads_demo_serves_and_prints_the_login(tmp_path):
    port = _free_port()
    env = {**os.environ, "HAMKOR_VAR_DIR": str(tmp_path), "HAMKOR_BIND": f"127.0.0.1:{port}"}
    for name in ("DJANGO_SETTINGS_MODULE", "HAMKOR_DATABASE_URL", "HAMKOR_REDIS_URL"):
        env.pop(name, None)
    log = tmp_path / "run.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "hamkor.cli", "run"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            status = 0
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and status != 200:
                time.sleep(1)
                try:
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/login/", timeout=5
                    ) as response:
                        status = response.status
                except OSError:
                    continue
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)

    printed = log.read_text()
    assert status == 200, printed
    admin_password = (tmp_path / "initial_admin_password").read_text().strip()
    assert f"Log in as admin with password {admin_password}" in printed
    assert "300 contacts" in printed
    assert (tmp_path / "hamkor.sqlite3").exists()
