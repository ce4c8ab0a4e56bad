import os
import subprocess
import sys

import pytest

from hamkor import cli
from hamkor.accounts.models import User


def _hamkor(*args, tmp_path):
    env = {**os.environ, "HAMKOR_VAR_DIR": str(tmp_path)}
    # A fresh SQLite file per test, whatever database the suite itself runs on.
    for name in ("DJANGO_SETTINGS_MODULE", "HAMKOR_DATABASE_URL", "HAMKOR_REDIS_URL"):
        env.pop(name, None)
    command = [sys.executable, "-m", "hamkor.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)  # noqa: S603


def test_cli_passes_manage_commands_through(tmp_path):
    result = _hamkor("check", tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_cli_token_for_unknown_user_fails_with_message(tmp_path):
    assert _hamkor("migrate", "--verbosity", "0", tmp_path=tmp_path).returncode == 0

    result = _hamkor("token", "create", "nobody", tmp_path=tmp_path)

    assert result.returncode != 0
    assert "No active user named 'nobody'" in result.stderr


def test_cli_createuser_rejects_unknown_role(tmp_path):
    result = _hamkor(
        "createuser", "x", "--role", "wizard", "--password", "pw-12345", tmp_path=tmp_path
    )

    assert result.returncode != 0
    assert "invalid choice" in result.stderr


@pytest.mark.django_db
def test_first_admin_password_may_start_with_a_dash(tmp_path, monkeypatch):
    # token_urlsafe draws from A-Z a-z 0-9 - _, so one run in 64 starts with "-".
    monkeypatch.setattr(cli.secrets, "token_urlsafe", lambda _n: "-leading-dash-pw")
    password_file = tmp_path / "initial_admin_password"

    password = cli.create_first_admin(password_file)

    admin = User.objects.get(username="admin")
    assert admin.check_password("-leading-dash-pw")
    assert admin.role == "admin"
    assert password_file.read_text() == password == "-leading-dash-pw"
