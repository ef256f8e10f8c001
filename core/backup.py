"""Backup and restore of the whole tracker: the database and the uploaded files, in one archive.

PostgreSQL is dumped with pg_dump (custom format) and restored with pg_restore; SQLite uses its
online backup API, so a backup is consistent while the server runs.
"""

import io
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection


class BackupError(Exception):
    pass


def _pg_env_and_args() -> tuple[dict, list[str]]:
    s = connection.settings_dict
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = []
    if s.get("HOST"):
        args += ["-h", str(s["HOST"])]
    if s.get("PORT"):
        args += ["-p", str(s["PORT"])]
    if s.get("USER"):
        args += ["-U", str(s["USER"])]
    return env, args


def _dump_database(target: Path) -> str:
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        dump = target / "database.pgdump"
        cmd = [
            "pg_dump",
            "-Fc",
            "--no-owner",
            "-f",
            str(dump),
            *args,
            connection.settings_dict["NAME"],
        ]
        result = subprocess.run(cmd, env=env, capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return dump.name
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        dump = target / "database.sqlite3"
        destination = sqlite3.connect(dump)
        with destination:
            connection.connection.backup(destination)
        destination.close()
        return dump.name
    raise BackupError(f"Backups of {connection.vendor} databases are not supported.")


def backup(output: Path) -> Path:
    """Write a .tar.gz with the database dump and every uploaded file."""
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        dump_name = _dump_database(tmp_path)
        output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Readable by its owner only: the archive holds every person's data and password hash.
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # also when the file existed with wider rights
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            archive.add(tmp_path / dump_name, arcname=dump_name)
            manifest = f"vendor={connection.vendor}\ndump={dump_name}\n"
            info = tarfile.TarInfo("MANIFEST")
            info.size = len(manifest.encode())
            archive.addfile(info, io.BytesIO(manifest.encode()))
            if media.exists():
                archive.add(media, arcname="media")
    return output


NOTHING_CHANGED = "Nothing was changed."


def _read_manifest(folder: Path) -> dict[str, str]:
    """The archive's MANIFEST, and a dump that it names and holds; or a clear refusal."""
    path = folder / "MANIFEST"
    if not path.is_file():
        raise BackupError(
            "This archive has no MANIFEST: it was not written by backup_data, or it is "
            f"incomplete. {NOTHING_CHANGED}"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BackupError(f"The MANIFEST cannot be read ({exc}). {NOTHING_CHANGED}") from exc
    manifest = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    dump = manifest.get("dump", "")
    if not dump or Path(dump).name != dump or not (folder / dump).is_file():
        raise BackupError(
            f"The MANIFEST names no database dump that the archive holds. {NOTHING_CHANGED}"
        )
    return manifest


def _check_dump(source: Path, dump_name: str) -> None:
    """Read the dump through before anything is replaced: a broken one changes nothing."""
    path = source / dump_name
    if dump_name.endswith(".sqlite3"):
        try:
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
                (verdict,) = db.execute("PRAGMA quick_check").fetchone()
                # The tracker's own tables are there (a random SQLite file is not a backup).
                found = db.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                    [get_user_model()._meta.db_table],
                ).fetchone()[0]
            if not found:
                raise sqlite3.DatabaseError("no table of people")
        except sqlite3.DatabaseError as exc:
            raise BackupError(
                f"The database in the archive is not a readable SQLite database of the "
                f"tracker ({exc}). {NOTHING_CHANGED}"
            ) from exc
        if verdict != "ok":
            raise BackupError(
                f"The database in the archive is damaged ({verdict}). {NOTHING_CHANGED}"
            )
    elif dump_name.endswith(".pgdump"):
        try:
            result = subprocess.run(  # noqa: S603
                ["pg_restore", "--list", str(path)],  # noqa: S607
                capture_output=True,
                text=True,
            )
        except OSError as exc:
            raise BackupError(f"pg_restore cannot be run ({exc}). {NOTHING_CHANGED}") from exc
        if result.returncode != 0:
            raise BackupError(
                f"The database dump in the archive cannot be read: {result.stderr.strip()} "
                f"{NOTHING_CHANGED}"
            )


def _restore_database(source: Path, dump_name: str) -> None:
    if connection.vendor == "postgresql":
        if not dump_name.endswith(".pgdump"):
            raise BackupError("This backup was not made from PostgreSQL.")
        env, args = _pg_env_and_args()
        connection.close()
        cmd = [
            "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
            "-d", connection.settings_dict["NAME"], *args, str(source / dump_name),
        ]  # fmt: skip
        result = subprocess.run(cmd, env=env, capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        return
    if connection.vendor == "sqlite":
        if not dump_name.endswith(".sqlite3"):
            raise BackupError("This backup was not made from SQLite.")
        connection.ensure_connection()
        origin = sqlite3.connect(source / dump_name)
        with origin:
            origin.backup(connection.connection)
        origin.close()
        return
    raise BackupError(f"Restores into {connection.vendor} databases are not supported.")


def _safe_members(archive: tarfile.TarFile):
    for member in archive.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or member.issym() or member.islnk():
            raise BackupError(f"Refusing unsafe path in backup: {member.name}")
        yield member


def restore(source_archive: Path) -> None:
    """Replace the database and the uploaded files with those in the archive."""
    if not source_archive.exists():
        raise BackupError(f"No such backup: {source_archive}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        try:
            with tarfile.open(source_archive, "r:gz") as archive:
                archive.extractall(tmp_path, members=_safe_members(archive))  # noqa: S202
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            # A truncated download ends the gzip stream early (EOFError).
            raise BackupError(
                f"Not a readable backup archive (truncated or not a .tar.gz?): {exc}. "
                f"{NOTHING_CHANGED}"
            ) from exc
        manifest = _read_manifest(tmp_path)
        _check_dump(tmp_path, manifest["dump"])
        _restore_database(tmp_path, manifest["dump"])
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            shutil.rmtree(media)
        if (tmp_path / "media").exists():
            shutil.copytree(tmp_path / "media", media)
        else:
            media.mkdir(parents=True, exist_ok=True)
