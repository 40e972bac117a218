"""'referral slip' is not a return to use (issue 14, item 16): the exception, on installs that have the term.

0002 loads resources/content/terms.csv only into empty tables, so the file's
new exceptions reach fresh installs alone. Here existing installs gain them
too, appended to the "slip" term's exceptions unless a content admin already
wrote them (or removed the term).
"""

from django.db import migrations

ADDED = ["referral slip", "printed slip"]


def add_exceptions(apps, schema_editor):
    Term = apps.get_model("resources", "Term")
    for term in Term.objects.filter(flags__istartswith="slip"):
        have = [p.strip() for p in term.exceptions.split(",") if p.strip()]
        missing = [p for p in ADDED if p not in {h.lower() for h in have}]
        if missing:
            term.exceptions = ", ".join(have + missing)
            term.save(update_fields=["exceptions"])


class Migration(migrations.Migration):
    dependencies = [("resources", "0008_search_synonyms_and_ranking")]

    operations = [migrations.RunPython(add_exceptions, migrations.RunPython.noop)]
