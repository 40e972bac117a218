"""Three more words for the language coach (issue 14, item 16), on installs that already have terms.

0002 loads resources/content/terms.csv only into empty tables, so the file's
new words reach fresh installs alone; here existing installs gain them too, as
0009 did for "referral slip". A term is found by its first flag; a flag or
exception a content admin already wrote (or a term they removed) is left as it
is. Each changed term gets a version in its history.
"""

from django.db import migrations
from django.utils import timezone

# first flag of the term → (flags to add, exceptions to add, note if the term has none)
ADDED = {
    "addict": (["junky"], [], ""),
    "opioid replacement": (
        ["replacement therapy"],
        ["nicotine replacement therapy", "hormone replacement therapy", "enzyme replacement therapy"],
        "Medication is treatment, not one drug swapped for another.",
    ),
}
FREQUENT_FLYER = {
    "flags": "frequent flyer, frequent flier",
    "suggestion": "person who comes in often; someone we see often",
    "source": "Goddu et al., J Gen Intern Med 2018; Joy, Clement & Sisti, JAMA 2016",
    "note": "A chart label that blames a person for needing help.",
    "soft": False,
    "exceptions": "frequent flyer miles, frequent flier miles, frequent flyer program, frequent flier program, "
    "frequent flyer number",
}


def _phrases(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def _with(text: str, added: list[str]) -> str:
    have = _phrases(text)
    missing = [p for p in added if p.lower() not in {h.lower() for h in have}]
    return ", ".join(have + missing)


def add_terms(apps, schema_editor):
    Term = apps.get_model("resources", "Term")
    HistoricalTerm = apps.get_model("resources", "HistoricalTerm")
    terms = list(Term.objects.all())
    if not terms:
        return  # 0002 had nothing to load into; a later load reads the file
    by_first_flag = {(_phrases(t.flags) or [""])[0].lower(): t for t in terms}
    changed = []
    for first, (flags, exceptions, note) in ADDED.items():
        term = by_first_flag.get(first)
        if term is None:
            continue
        before = (term.flags, term.exceptions, term.note)
        term.flags, term.exceptions = _with(term.flags, flags), _with(term.exceptions, exceptions)
        term.note = term.note or note
        if (term.flags, term.exceptions, term.note) != before:
            term.save()
            changed.append(term)
    if not any("frequent flyer" in _phrases(t.flags.lower()) for t in terms):
        order = max(t.order for t in terms) + 1
        changed.append(Term.objects.create(**FREQUENT_FLYER, order=order))
    for term in changed:
        HistoricalTerm.objects.create(
            **{field.attname: getattr(term, field.attname) for field in term._meta.concrete_fields},
            history_date=timezone.now(), history_type="~",
            history_change_reason="More words for the coach: junky, frequent flyer, replacement therapy",
        )


class Migration(migrations.Migration):
    dependencies = [("resources", "0010_cards_say_our_training_not_the_deck")]

    operations = [migrations.RunPython(add_terms, migrations.RunPython.noop)]
