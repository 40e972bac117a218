"""The search document as a stored tsvector, and the GIN index moved onto it (PostgreSQL).

0003 indexed the expression to_tsvector('simple', search_document). The index
served a search that starts from it, but when the planner starts from another
filter (a payment chip) it evaluated to_tsvector() on every candidate row:
100 ms for "clinic" + Medicaid at 10,000 services. A stored column costs a
little disk and nothing per query. The index keeps its name.
"""

import django.contrib.postgres.search
from django.db import migrations, models

import resources.models

INDEX = "resources_service_search_gin"


def move_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON resources_service USING gin (search_vector)")


def move_index_back(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON resources_service "
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_document, '')))"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0005_merge_library_directory"),
    ]

    operations = [
        migrations.AddField(
            model_name="service",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=resources.models._DocumentVector("search_document"),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.RunPython(move_index, move_index_back),
    ]
