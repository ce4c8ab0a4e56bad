"""The backup file: a gzipped tar of the database snapshot, the media folder and manifest.json.

Every member's sha256 is taken from the very bytes written into the tar, and checked against the
manifest when the archive is read back, so a changed byte anywhere is found before a restore
touches anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hamkor.backups.errors import BackupError

FORMAT_NAME = "hamkor-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
READ_BYTES = 1024 * 1024
# A manifest lists every table and file; far below this even for a large install.
MANIFEST_MAX_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Digest:
    sha256: str
    size: int

    def as_json(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "size": self.size}


class _HashingReader:
    """A file object that hashes what tarfile reads out of it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.hash = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.hash.update(data)
        self.size += len(data)
        return data


def add_file(archive: tarfile.TarFile, *, name: str, path: Path) -> Digest:
    """Stream one file into the archive; the digest of the bytes that went in."""
    with path.open("rb") as handle:
        status = os.fstat(handle.fileno())
        info = tarfile.TarInfo(name)
        # A file still growing is archived as it was when we looked at its size.
        info.size = status.st_size
        info.mtime = int(status.st_mtime)
        info.mode = 0o600
        reader = _HashingReader(handle)
        try:
            archive.addfile(info, reader)
        except OSError as error:
            raise BackupError(
                _("%(path)s changed while it was being copied: %(error)s")
                % {"path": path, "error": error}
            ) from error
    return Digest(sha256=reader.hash.hexdigest(), size=reader.size)


def add_json(archive: tarfile.TarFile, *, name: str, data: dict[str, Any], mtime: float) -> None:
    encoded = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False).encode()
    info = tarfile.TarInfo(name)
    info.size = len(encoded)
    info.mode = 0o600
    info.mtime = int(mtime)

    class _Bytes:
        def __init__(self) -> None:
            self.offset = 0

        def read(self, size: int = -1) -> bytes:
            end = len(encoded) if size < 0 else self.offset + size
            chunk = encoded[self.offset : end]
            self.offset += len(chunk)
            return chunk

    archive.addfile(info, _Bytes())


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(archive name, path) of every regular file under the media folder, in name order."""
    if not root.is_dir():
        return
    for folder, folders, files in os.walk(root):
        folders.sort()
        for file_name in sorted(files):
            path = Path(folder) / file_name
            if path.is_file() and not path.is_symlink():
                yield MEDIA_PREFIX + path.relative_to(root).as_posix(), path


def _safe_name(name: str) -> str:
    """Refuse member names that would land outside the folder they are unpacked into."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name:
        raise BackupError(
            _("The backup holds an unsafe file name %(name)r; it was not made by Hamkor.")
            % {"name": name}
        )
    return path.as_posix()


@dataclass
class Unpacked:
    """An archive read end to end: its manifest, and the digest of every member."""

    manifest: dict[str, Any]
    digests: dict[str, Digest]


def _damaged(path: Path, error: object) -> BackupError:
    return BackupError(
        _("The backup %(path)s is damaged or not a Hamkor backup: %(error)s")
        % {"path": path, "error": error or type(error).__name__}
    )


def unpack(path: Path, *, into: Path, keep: set[str] | None = None) -> Unpacked:
    """Read the whole archive, hash every member and write the wanted ones under ``into``.

    ``keep`` names the members to write (``None``: all; a name ending in ``/`` keeps the
    folder). The others are only hashed, so verifying needs no room for the media.
    """
    if not path.is_file():
        raise BackupError(_("The file %(path)s does not exist.") % {"path": path})
    digests: dict[str, Digest] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                name = _safe_name(member.name)
                if member.isdir():
                    continue
                if not member.isfile():
                    raise BackupError(
                        _("The backup holds %(name)r, which is not a plain file.") % {"name": name}
                    )
                source = archive.extractfile(member)
                if source is None:  # pragma: no cover - regular members always have data
                    raise _damaged(path, name)
                wanted = keep is None or any(
                    name == item or (item.endswith("/") and name.startswith(item)) for item in keep
                )
                target = into / name if wanted else None
                if name == MANIFEST:
                    if member.size > MANIFEST_MAX_BYTES:
                        raise _damaged(path, _("manifest.json is too large"))
                    raw = source.read()
                    digests[name] = Digest(hashlib.sha256(raw).hexdigest(), len(raw))
                    manifest = _parse_manifest(raw, path)
                    continue
                digests[name] = _copy_member(source, target)
            # Read to the end so gzip checks its own CRC of the whole stream.
            fileobj = archive.fileobj
            while fileobj is not None and fileobj.read(READ_BYTES):
                pass
    except BackupError:
        raise
    except (tarfile.TarError, zlib.error, EOFError, OSError, ValueError) as error:
        raise _damaged(path, error) from error
    if manifest is None:
        raise BackupError(
            _("%(path)s has no manifest.json; it is not a Hamkor backup.") % {"path": path}
        )
    return Unpacked(manifest=manifest, digests=digests)


def _copy_member(source: IO[bytes], target: Path | None) -> Digest:
    digest = hashlib.sha256()
    size = 0
    out = None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        out = target.open("wb")
    try:
        while chunk := source.read(READ_BYTES):
            digest.update(chunk)
            size += len(chunk)
            if out is not None:
                out.write(chunk)
    finally:
        if out is not None:
            out.close()
    return Digest(sha256=digest.hexdigest(), size=size)


def _parse_manifest(raw: bytes, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(raw)
    except ValueError as error:
        raise _damaged(path, error) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise BackupError(
            _("%(path)s is not a Hamkor backup (its manifest.json says otherwise).")
            % {"path": path}
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("%(path)s is a backup of format %(found)s; this Hamkor reads format %(known)s.")
            % {"path": path, "found": manifest.get("format_version"), "known": FORMAT_VERSION}
        )
    for key in ("database", "tables", "files"):
        if not isinstance(manifest.get(key), dict):
            raise _damaged(path, _("manifest.json lacks %(key)s") % {"key": key})
    return manifest


def check_digests(unpacked: Unpacked, path: Path) -> None:
    """Every file the manifest lists is there, byte for byte, and nothing else is."""
    listed: dict[str, Any] = unpacked.manifest["files"]
    found = {name: digest for name, digest in unpacked.digests.items() if name != MANIFEST}
    missing = sorted(set(listed) - set(found))
    extra = sorted(set(found) - set(listed))
    changed = sorted(
        name
        for name in set(listed) & set(found)
        if not isinstance(listed[name], dict)
        or listed[name].get("sha256") != found[name].sha256
        or listed[name].get("size") != found[name].size
    )
    if changed:
        raise BackupError(
            ngettext(
                "The backup %(path)s is damaged: %(files)s does not match the checksum in "
                "its manifest.",
                "The backup %(path)s is damaged: %(files)s do not match the checksums in "
                "its manifest.",
                len(changed),
            )
            % {"path": path, "files": ", ".join(changed[:5])}
        )
    if missing:
        raise BackupError(
            ngettext(
                "The backup %(path)s is incomplete: %(files)s is listed but missing.",
                "The backup %(path)s is incomplete: %(files)s are listed but missing.",
                len(missing),
            )
            % {"path": path, "files": ", ".join(missing[:5])}
        )
    if extra:
        raise BackupError(
            _("The backup %(path)s holds files its manifest does not list: %(files)s.")
            % {"path": path, "files": ", ".join(extra[:5])}
        )
