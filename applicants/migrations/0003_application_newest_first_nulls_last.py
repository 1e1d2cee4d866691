"""The office's list orders by `submitted_at DESC NULLS LAST, id DESC` (drafts, never submitted, last).

PostgreSQL's `DESC` index puts NULLs first, so it could not serve that order: every page of the list sorted
the whole table. On PostgreSQL the index is made again with NULLS LAST under the same name; the model's
declaration (and SQLite, whose indexes take no NULLS modifier) stays as it was.
"""

from django.db import migrations

PLAIN = 'CREATE INDEX "application_newest_first" ON "applicants_application" ("submitted_at" DESC, "id" DESC)'
NULLS_LAST = (
    'CREATE INDEX "application_newest_first" ON "applicants_application" '
    '("submitted_at" DESC NULLS LAST, "id" DESC)'
)


def _remake(create: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute('DROP INDEX IF EXISTS "application_newest_first"')
        schema_editor.execute(create)

    return run


class Migration(migrations.Migration):
    dependencies = [("applicants", "0002_application_newest_first_index")]

    operations = [migrations.RunPython(_remake(NULLS_LAST), _remake(PLAIN))]
