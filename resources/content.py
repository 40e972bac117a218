"""The library's starting content, read from the data files in resources/content/, and `load(apps)`.

- `content/cards/<slug>.md`: one card per file, the file name is its slug. TOML
  front matter between `+++` lines (title, category, order, audience, summary,
  tags, last_reviewed, sources), then the Markdown body; a participant-facing
  card adds a line `<!-- plain language -->` and, after it, the text the show
  screen displays.
- `content/cards/<language>/<slug>.md`: the card's show-screen text in another
  language of settings.LANGUAGES (`es/`), one file a card, named as the
  English one. TOML front matter (title; optional summary and reviewed_on,
  the date a person checked the translation: absent until one has), then the
  plain-language text in Markdown. Loaded as CardTranslation rows.
- `content/terms.csv` (English) and `content/terms_es.csv` (Spanish, same
  columns; TERM_FILES names each language's file): one term a row, in the
  order the Words page lists them; `wording` is what the coach's "use this
  wording" button writes (Term.wording; `singular | plural` where the number
  changes the words); `soft` is `yes` or `no`.

`load(apps)` is called by the data migration 0002_library_content (with the
migration's app registry, only into empty tables; its Term has no language, so
only the English file), by 0015_term_language (`load_terms(apps, "es")`) and by
tests (with the real one) whose transactional neighbours empty the tables. It
is idempotent: rows are matched by slug (cards) or by their language and first
flag (terms) and brought back to the files' text, so calling it again restores
the seed without duplicates. `load_translations(apps)` does the same for the
card translations, matched by card and language; the migration that makes their
table (0013_card_translation) calls it, and `load` does too when the registry
has the model.

Sources: the MHAAO peer-support harm-reduction training deck, our field facts
and our language guide (docs/library.md, "Content"); for Spanish, NIDA's
"Las palabras importan" and our language guide.
"""

import csv
import tomllib
from pathlib import Path

from django.utils import timezone

CONTENT = Path(__file__).parent / "content"
CARDS = CONTENT / "cards"
TERMS = CONTENT / "terms.csv"
TERM_FILES = {"en": TERMS, "es": CONTENT / "terms_es.csv"}

PLAIN_LANGUAGE = "<!-- plain language -->"
CARD_KEYS = {"title", "category", "order", "audience", "summary", "tags", "last_reviewed", "sources"}
TERM_COLUMNS = ["flags", "suggestion", "source", "note", "soft", "exceptions", "wording"]


def read_cards(directory: Path = CARDS) -> list[dict]:
    """Every card file as the Card fields it holds, by slug."""
    return [read_card(path) for path in sorted(directory.glob("*.md"))]


def _front_matter(path: Path, what: str) -> tuple[dict, str]:
    """A card or translation file's TOML front matter (between +++ lines) and the text after it."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("+++\n"):
        raise ValueError(f"{path.name}: {what} starts with a +++ line, then its front matter")
    front, found, rest = text.removeprefix("+++\n").partition("\n+++\n")
    if not found:
        raise ValueError(f"{path.name}: the front matter has no closing +++ line")
    return tomllib.loads(front), rest


def read_card(path: Path) -> dict:
    meta, rest = _front_matter(path, "a card")
    # Strict both ways: a misspelt key would otherwise vanish without a word.
    if meta.keys() != CARD_KEYS:
        raise ValueError(
            f"{path.name}: front matter needs exactly {sorted(CARD_KEYS)}; "
            f"missing {sorted(CARD_KEYS - meta.keys())}, unknown {sorted(meta.keys() - CARD_KEYS)}"
        )
    body, _, plain = f"{rest}\n".partition(f"\n{PLAIN_LANGUAGE}\n")
    if PLAIN_LANGUAGE in plain:
        raise ValueError(f"{path.name}: one {PLAIN_LANGUAGE} line at most")
    if meta["audience"] == "participant" and not plain.strip():
        raise ValueError(f"{path.name}: a card fit to show a participant needs its plain-language text")
    return {
        "slug": path.stem,
        "category": meta["category"],
        "title": meta["title"],
        "summary": meta["summary"],
        "body": body.strip(),
        "audience": meta["audience"],
        "plain_language": plain.strip(),
        "sources": "\n".join(meta["sources"]),
        "tags": meta["tags"],
        "order": meta["order"],
        "last_reviewed": meta["last_reviewed"],
    }


TRANSLATION_KEYS = {"title", "summary", "reviewed_on"}


def read_translations(directory: Path = CARDS) -> list[dict]:
    """Every translation file as the CardTranslation fields it holds, with the card's slug.

    One folder per language under the cards' folder; a folder that is not a
    language of settings.LANGUAGES (other than the cards' own), a file with no
    English card, or a card not fit to show is an error, not a silent gap.
    """
    from django.conf import settings

    languages = {code for code, _ in settings.LANGUAGES} - {"en"}
    showable = {
        card["slug"] for card in read_cards(directory) if card["audience"] == "participant" and card["plain_language"]
    }
    translations = []
    for folder in sorted(path for path in directory.iterdir() if path.is_dir()):
        if folder.name not in languages:
            raise ValueError(f"{folder.name}/: not a language of settings.LANGUAGES to translate into")
        for path in sorted(folder.glob("*.md")):
            if path.stem not in showable:
                raise ValueError(f"{folder.name}/{path.name}: no card {path.stem!r} fit to show a participant")
            translations.append({**read_translation(path), "language": folder.name})
    return translations


def read_translation(path: Path) -> dict:
    meta, rest = _front_matter(path, "a translation")
    if "title" not in meta or not meta.keys() <= TRANSLATION_KEYS:
        raise ValueError(
            f"{path.name}: front matter needs title, may have summary and reviewed_on; "
            f"unknown {sorted(meta.keys() - TRANSLATION_KEYS)}"
        )
    if not rest.strip():
        raise ValueError(f"{path.name}: the plain-language text is missing")
    return {
        "slug": path.stem,
        "title": meta["title"],
        "summary": meta.get("summary", ""),
        "plain_language": rest.strip(),
        "reviewed_on": meta.get("reviewed_on"),
    }


def read_terms(path: Path = TERMS, language: str = "") -> list[dict]:
    """Every term as the Term fields it holds; `order` is its row; `language` with one given."""
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        if reader.fieldnames != TERM_COLUMNS:
            raise ValueError(f"{path.name}: the columns are {TERM_COLUMNS}, not {reader.fieldnames}")
        terms = []
        for order, row in enumerate(reader, start=1):
            if row["soft"] not in {"yes", "no"}:
                raise ValueError(f"{path.name}, term {order}: soft is yes or no, not {row['soft']!r}")
            term = {**row, "soft": row["soft"] == "yes", "order": order}
            terms.append(term | {"language": language} if language else term)
    return terms


def read_every_term() -> list[dict]:
    """The terms of every language's file, each with its `language`."""
    return [term for language, path in TERM_FILES.items() for term in read_terms(path, language)]


def load(apps) -> None:
    """Create or restore the seed cards and terms (idempotent; see the module docstring)."""
    Card = apps.get_model("resources", "Card")
    Term = apps.get_model("resources", "Term")
    for data in read_cards():
        card, _ = Card.objects.update_or_create(slug=data["slug"], defaults=_fields_of(Card, data))
        _record_version(apps, card)
    if "language" in {field.name for field in Term._meta.concrete_fields}:
        load_terms(apps, *TERM_FILES)
    else:
        # A migration's model from before Term.language (0002): the English file only.
        by_first_flag = {_first_flag(term.flags): term for term in Term.objects.all()}
        for data in read_terms():
            data = _fields_of(Term, data)
            _restore_term(apps, Term, by_first_flag.get(_first_flag(data["flags"])), data)
    try:
        apps.get_model("resources", "CardTranslation")
    except LookupError:
        return  # 0002's registry: the translations come with 0013_card_translation
    load_translations(apps)


def load_translations(apps) -> None:
    """Create or restore the seed translations, matched by card and language (idempotent)."""
    Card = apps.get_model("resources", "Card")
    CardTranslation = apps.get_model("resources", "CardTranslation")
    cards = dict(Card.objects.values_list("slug", "pk"))
    for data in read_translations():
        if data["slug"] not in cards:
            continue  # a card an admin deleted stays deleted
        translation, _ = CardTranslation.objects.update_or_create(
            card_id=cards[data["slug"]], language=data["language"], defaults=_fields_of(CardTranslation, data)
        )
        _record_version(apps, translation)


def load_terms(apps, *languages: str) -> None:
    """Create or restore the seed terms of `languages`, matched by language and first flag."""
    Term = apps.get_model("resources", "Term")
    existing = {(term.language, _first_flag(term.flags)): term for term in Term.objects.all()}
    for language in languages:
        for data in read_terms(TERM_FILES[language], language):
            data = _fields_of(Term, data)
            _restore_term(apps, Term, existing.get((language, _first_flag(data["flags"]))), data)


def _restore_term(apps, Term, term, data: dict) -> None:
    """Bring `term` (None: a new one) back to the file's `data`, and record the version."""
    if term is None:
        term = Term(**data)
    else:
        for field, value in data.items():
            setattr(term, field, value)
    term.save()
    _record_version(apps, term)


def _fields_of(model, data: dict) -> dict:
    # The data migration's model is the model of its day: a field the files
    # gain later is left to the migration that adds it, never an error here.
    names = {field.name for field in model._meta.concrete_fields}
    return {name: value for name, value in data.items() if name in names}


def _first_flag(flags: str) -> str:
    return flags.split(",")[0].strip()


def _record_version(apps, obj) -> None:
    # With the real models simple-history's signals write the version. A
    # migration's models have no signals, so write it here: the seed must be a
    # version an admin can revert to after their first edit.
    if hasattr(type(obj), "history"):
        return
    Historical = apps.get_model("resources", f"Historical{type(obj).__name__}")
    Historical.objects.create(
        **{field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields},
        history_date=timezone.now(),
        history_type="+",
        # Stored in the history once, in the site's language, not translated on display.
        history_change_reason="Seed content",  # i18n: not shown
    )
