"""The migrations make the schema the models describe.

The suite's SQLite databases are made from the models (tests/schema.py), so this is what keeps
them honest: every migration applied to a fresh SQLite file gives the same tables, columns,
indexes, unique sets, foreign keys and check constraints as the models alone. (PostgreSQL runs
migrate every worker's database, and `make test` runs `makemigrations --check`.)
"""

import re
import sqlite3
import subprocess
import sys

from tests import schema

# A models-only SQLite file, written by Django's own test-database creation without migrations.
FROM_MODELS = r"""
import sys
import django
django.setup()
from django.db import connection
connection.settings_dict["TEST"] = {"NAME": sys.argv[1], "MIGRATE": False}
connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
"""

NAMED = re.compile(r'CONSTRAINT "([^"]+)" $')


def checks(sql: str) -> list[tuple[str, str]]:
    """Every CHECK of a CREATE TABLE, named (a model's constraint) or not (a column's, such as a
    positive integer's), with its whole parenthesised condition."""
    found, start = [], 0
    while (at := sql.find("CHECK (", start)) >= 0:
        depth, end = 0, at + len("CHECK ")
        for end in range(at + len("CHECK "), len(sql)):
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            if depth == 0:
                break
        name = NAMED.search(sql[max(0, at - 200) : at])
        found.append((name.group(1) if name else "", sql[at + len("CHECK (") : end]))
        start = end
    return sorted(found)


def describe(path) -> dict[str, dict]:
    """Each table's columns, indexes (unique or not, by columns), foreign keys and checks, in an
    order that does not depend on how the table was built (migrations rebuild SQLite tables)."""
    db = sqlite3.connect(path)
    tables = {}
    for name, sql in db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ):
        columns = sorted(
            (column, kind.lower(), bool(notnull), default, bool(pk))
            for _cid, column, kind, notnull, default, pk in db.execute(
                f'PRAGMA table_info("{name}")'
            )
        )
        indexes = sorted(
            (
                bool(unique),
                origin,
                bool(partial),
                tuple(row[2] for row in db.execute(f'PRAGMA index_info("{index}")')),
            )
            for _seq, index, unique, origin, partial in db.execute(f'PRAGMA index_list("{name}")')
        )
        keys = sorted(
            (row[2], row[3], row[4], row[5], row[6])
            for row in db.execute(f'PRAGMA foreign_key_list("{name}")')
        )
        tables[name] = {
            "columns": columns,
            "indexes": indexes,
            "keys": keys,
            "checks": checks(sql),
        }
    db.close()
    return tables


def test_the_migrations_make_the_models_schema(tmp_path):
    migrated = schema.migrated_copy(tmp_path / "migrated.sqlite3")
    from_models = tmp_path / "models.sqlite3"
    made = subprocess.run(
        [sys.executable, "-c", FROM_MODELS, str(from_models)],
        cwd=schema.ROOT,
        # SQLite whatever database the suite runs on (a PostgreSQL run sets DATABASE_URL).
        env={
            **schema.os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        },
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr[-3000:]
    want, got = describe(from_models), describe(migrated)
    assert len(want) > 50  # the project's tables, not an empty file
    # django_migrations is the migrations' own bookkeeping table.
    assert sorted(set(want) ^ set(got)) == ["django_migrations"]
    differences = [
        f"{table} {part}: models {want[table][part]} != migrations {got[table][part]}"
        for table in want
        for part in want[table]
        if want[table][part] != got[table][part]
    ]
    assert not differences, "\n".join(differences)


def test_describe_sees_a_missing_index_and_check(tmp_path):
    """The comparison above can fail: a dropped index and a changed check constraint show."""
    path = tmp_path / "one.sqlite3"
    db = sqlite3.connect(path)
    db.execute('CREATE TABLE "t" ("a" integer NOT NULL, CONSTRAINT "pos" CHECK ("a" > 0))')
    db.execute('CREATE INDEX "t_a" ON "t" ("a")')
    db.commit()
    before = describe(path)
    db.execute('DROP INDEX "t_a"')
    db.execute('DROP TABLE "t"')
    db.execute('CREATE TABLE "t" ("a" integer NOT NULL, CONSTRAINT "pos" CHECK ("a" >= 0))')
    db.commit()
    db.close()
    after = describe(path)
    assert before["t"]["indexes"] and not after["t"]["indexes"]
    assert before["t"]["checks"] == [("pos", '"a" > 0')] != after["t"]["checks"]
