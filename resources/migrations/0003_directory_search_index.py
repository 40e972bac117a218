"""A GIN index for the directory's full-text search, on PostgreSQL only.

The expression must be exactly the one ServiceQuerySet.search() builds
(SearchVector("search_document", config="simple")) for the planner to use it;
tests/resources/test_search.py checks the plan. SQLite has no GIN: it skips this.
"""

from django.db import migrations

INDEX = "resources_service_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON resources_service "
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_document, '')))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("resources", "0002_directory_service_kinds")]

    operations = [migrations.RunPython(create, drop)]
