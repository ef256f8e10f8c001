"""The PostgreSQL ``unaccent`` extension, so "evaluacion" finds "evaluación".

Created where the database lets us (a superuser, or the database owner: ``unaccent`` is a
trusted extension since PostgreSQL 13); refused, the search simply matches accents exactly
(``search.engine.has_unaccent`` asks the database). Nothing happens on SQLite.
"""

from django.db import DatabaseError, migrations, transaction


def create_unaccent(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    except DatabaseError:
        pass  # not allowed here: the search works without it


class Migration(migrations.Migration):
    dependencies: list = []

    operations = [migrations.RunPython(create_unaccent, migrations.RunPython.noop)]
