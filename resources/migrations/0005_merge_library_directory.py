from django.db import migrations


class Migration(migrations.Migration):
    """The library and the directory were built side by side; this joins their histories."""

    dependencies = [
        ("resources", "0002_library_content"),
        ("resources", "0004_directory_name_index"),
    ]

    operations = []
