"""Rewriting an export zip for the bad-input tests."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

Edit = Callable[[bytes], bytes]


def rewrite(
    source: Path,
    target: Path,
    *,
    edits: dict[str, Edit] | None = None,
    manifest: Callable[[dict[str, Any]], None] | None = None,
    fix_checksums: bool = True,
) -> None:
    """Copy an export with some members changed, optionally with matching checksums."""
    edits = edits or {}
    with zipfile.ZipFile(source) as old:
        members = {name: old.read(name) for name in old.namelist()}
    for name, edit in edits.items():
        members[name] = edit(members[name])
    data = json.loads(members["manifest.json"])
    if fix_checksums:
        for entry in [*data["entities"], *data["media"]]:
            content = members[entry["file"]]
            entry["sha256"] = hashlib.sha256(content).hexdigest()
            if "count" in entry:
                entry["count"] = sum(1 for line in content.splitlines() if line.strip())
    if manifest is not None:
        manifest(data)
    members["manifest.json"] = json.dumps(data).encode()
    with zipfile.ZipFile(target, "w") as new:
        for name, content in members.items():
            new.writestr(name, content)


def member_texts(path: Path) -> dict[str, bytes]:
    """Every member of a zip by name."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
