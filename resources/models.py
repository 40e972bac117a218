import functools
import html
import re
import uuid
from datetime import date, datetime, time, timedelta
from functools import cached_property
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

import markdown
import nh3
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from resources import opening_hours, search
from resources.language import flag_form, fold

# ---------------------------------------------------------------------------
# Library: cards and the words that matter
# ---------------------------------------------------------------------------

# What card text may contain once rendered: prose, lists, emphasis, links,
# quotes, simple tables. Anything else (script, style, images, raw HTML an
# admin pasted) is stripped, so a card can never break the page or the CSP.
_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "a",
    "h2", "h3", "h4", "code", "hr", "table", "thead", "tbody", "tr", "th", "td",
}
_URL = re.compile(r"https?://\S+")

# Paths under /library/ that are pages, not cards.
RESERVED_SLUGS = {"words"}


# A pure function of the text, remembered: a library search drew Markdown for
# every card it listed (a third of the request). Keyed by the text itself, so an
# edited card is simply new text; about a hundred cards, a few KB each.
@functools.lru_cache(maxsize=1024)
def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, sanitized with an allowlist (links get rel=noopener noreferrer)."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"])
    return mark_safe(nh3.clean(html, tags=_ALLOWED_TAGS, attributes={"a": {"href"}}))


@functools.lru_cache(maxsize=1024)
def markdown_text(text: str) -> str:
    """The Markdown's words as plain text (for search snippets)."""
    return html.unescape(strip_tags(render_markdown(text)))


class CardQuerySet(models.QuerySet):
    def showable(self):
        """Cards written to be shown to a participant: only these have a show screen."""
        return self.filter(audience=Card.Audience.PARTICIPANT).exclude(plain_language="")

    def in_reading_order(self):
        """Categories in the order of Card.Category (not alphabetical), then `order`, then title."""
        rank = Case(
            *(When(category=value, then=Value(i)) for i, value in enumerate(Card.Category.values)),
            default=Value(len(Card.Category.values)),
            output_field=models.IntegerField(),
        )
        return self.alias(category_rank=rank).order_by("category_rank", "order", "title")

    def search(self, query: str) -> list["Card"]:
        """The cards matching every word of `query`, best match first (then reading order).

        In Python, over the cards' stored text normalized by resources.search
        (stems, folded accents, synonyms), the same on SQLite and PostgreSQL;
        for about sixty cards an index would buy nothing, and the page already
        reads them all in one query. A word in the title counts most, then the
        tags or category name, the summary, the body.
        """
        groups = parse_search(query)
        cards = list(self.in_reading_order())
        if not groups:
            return cards
        scored = []
        for position, card in enumerate(cards):
            fields = card.search_fields
            if not search.matches(groups, fields["all"]):
                continue
            score = sum(
                max(weight for name, weight in CARD_WEIGHTS if search.group_in(group, fields[name]))
                for group in groups
            )
            scored.append((-score, position, card))
        return [card for *_, card in sorted(scored, key=lambda item: item[:2])]


# Where a search word is found in a card, and what that is worth for its rank.
CARD_WEIGHTS = (("title", 8), ("tags", 4), ("summary", 2), ("all", 1))


@functools.lru_cache(maxsize=1024)
def _card_search_fields(title: str, tags: str, category: str, summary: str, body: str) -> dict[str, str]:
    # Keyed by the text itself, like render_markdown: an edited card is simply new text.
    return {
        "title": search.document(title),
        "tags": search.document(tags, category),
        "summary": search.document(summary),
        "all": search.document(title, tags, category, summary, markdown_text(body)),
    }


class Card(models.Model):
    """One page of the library: a principle, a practice, a strategy or a piece of evidence."""

    class Category(models.TextChoices):
        PRINCIPLES = "principles", _("Harm-reduction principles")
        PEER_PRACTICES = "peer-practices", _("Peer-support practices")
        MANAGED_USE = "managed-use", _("Managed use and syringe services")
        MEDICATIONS = "medications", _("Medications (MAT / MOUD)")
        INTEGRATING = "integrating", _("Bringing harm reduction into peer support")
        CRITICS = "critics", _("Talking with critics")
        EVIDENCE = "evidence", _("Evidence")
        OVERDOSE = "overdose", _("Overdose response")
        DRUG_CHECKING = "drug-checking", _("Drug checking")
        WOUND_CARE = "wound-care", _("Wound care")

    class Audience(models.TextChoices):
        PEERS = "peers", _("Peers only")
        PARTICIPANT = "participant", _("Fit to show a participant")

    category = models.CharField(max_length=20, choices=Category.choices)
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(max_length=300, help_text=_("One or two sentences, shown in lists and search."))
    body = models.TextField(help_text=_("Markdown: **bold**, *italic*, lists, [links](https://…), > quotes."))
    audience = models.CharField(max_length=12, choices=Audience.choices, default=Audience.PEERS)
    plain_language = models.TextField(
        blank=True,
        help_text=_("Markdown. What the participant sees on the show screen: short, plain, no staff-only "
        "notes. Required when the card is fit to show a participant."),
    )
    sources = models.TextField(help_text=_("One source per line; a web address on the line becomes a link."))
    last_reviewed = models.DateField(default=timezone.localdate)
    tags = models.CharField(max_length=200, blank=True, help_text=_("Comma-separated, e.g. naloxone, opioids"))
    order = models.PositiveSmallIntegerField(default=0, help_text=_("Position within its category."))

    history = HistoricalRecords()
    objects = CardQuerySet.as_manager()

    class Meta:
        ordering = ["category", "order", "title"]

    def __str__(self) -> str:
        return self.title

    # A browser sends a textarea's lines with "\r\n", the content files have
    # "\n": without this an edit of the summary in the admin would also record
    # a change to every other text field in the card's history.
    TEXT_FIELDS = ("summary", "body", "plain_language", "sources", "tags")

    def save(self, *args, **kwargs):
        for name in self.TEXT_FIELDS:
            setattr(self, name, getattr(self, name).replace("\r\n", "\n").replace("\r", "\n"))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("resources:card_detail", args=[self.slug])

    def clean(self):
        if self.audience == self.Audience.PARTICIPANT and not self.plain_language.strip():
            raise ValidationError(
                {"plain_language": _("A card fit to show a participant needs its plain-language text.")}
            )
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": _("“%(slug)s” is the address of a library page; choose another.") % {"slug": self.slug}}
            )

    @property
    def can_show(self) -> bool:
        return self.audience == self.Audience.PARTICIPANT and bool(self.plain_language.strip())

    @cached_property
    def body_html(self) -> SafeString:
        return render_markdown(self.body)

    @cached_property
    def plain_language_html(self) -> SafeString:
        return render_markdown(self.plain_language)

    @cached_property
    def body_text(self) -> str:
        """The body as plain text, for search snippets."""
        return markdown_text(self.body)

    @property
    def search_fields(self) -> dict[str, str]:
        """Search documents of the title, tags with category name, summary, and everything."""
        category = f"{self.category} {self.get_category_display()}"
        return _card_search_fields(self.title, self.tags, category, self.summary, self.body)

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    @property
    def source_list(self) -> list[dict]:
        """Each source line as {"text", "url"}; the url is the first web address on the line, if any."""
        items = []
        for line in self.sources.splitlines():
            line = line.strip()
            if not line:
                continue
            found = _URL.search(line)
            url = found.group(0).rstrip(".,;)") if found else ""
            # The label is the line without its address and the punctuation around it.
            text = (line[: found.start()] + line[found.end() :]).strip(" -–—:,.;") if found else line
            items.append({"text": text or url, "url": url})
        return items

    def translation(self, language: str) -> "CardTranslation | None":
        """This card's translation into `language` (a code of settings.LANGUAGES), or None."""
        return self.translations.filter(language=language).first()

    def neighbours(self) -> tuple["Card | None", "Card | None"]:
        """The previous and next card in this card's category (reading order)."""
        siblings = list(Card.objects.filter(category=self.category).in_reading_order().only("slug", "title"))
        index = next(i for i, card in enumerate(siblings) if card.pk == self.pk)
        previous = siblings[index - 1] if index > 0 else None
        following = siblings[index + 1] if index + 1 < len(siblings) else None
        return previous, following


# The language the cards are written in; every other language of the
# interface is a translation (CardTranslation).
CARD_LANGUAGE = "en"


def translation_languages() -> list[tuple[str, str]]:
    """The languages a card can be translated into: every interface language but the cards' own.

    A callable, so the field's choices follow settings.LANGUAGES without a
    migration when a language is added (docs/library.md, "Translations").
    """
    return [(code, name) for code, name in settings.LANGUAGES if code != CARD_LANGUAGE]


class CardTranslation(models.Model):
    """A card's show-screen text in another language: content, edited in the admin with its history.

    One row per card and language rather than a column per language: a new
    language is rows an admin adds, never a migration (docs/library.md).
    `reviewed_on` empty means no person has checked the translation yet.
    """

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="translations", verbose_name=_("card"))
    language = models.CharField(_("language"), max_length=10, choices=translation_languages)
    title = models.CharField(_("title"), max_length=120)
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One or two sentences, in this language.")
    )
    plain_language = models.TextField(
        _("plain-language text"),
        help_text=_("Markdown. What the participant sees on the show screen, in this language: short and plain."),
    )
    reviewed_on = models.DateField(_("translation reviewed on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("translation reviewed by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["card__title", "language"]
        verbose_name = _("card translation")
        verbose_name_plural = _("card translations")
        constraints = [
            models.UniqueConstraint(fields=["card", "language"], name="one_card_translation_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.card} ({self.language})"

    # As Card.save: a textarea's "\r\n" would record a change to every text field.
    TEXT_FIELDS = ("summary", "plain_language")

    def save(self, *args, **kwargs):
        for name in self.TEXT_FIELDS:
            setattr(self, name, getattr(self, name).replace("\r\n", "\n").replace("\r", "\n"))
        super().save(*args, **kwargs)

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_on is not None

    @cached_property
    def plain_language_html(self) -> SafeString:
        return render_markdown(self.plain_language)


def _split_phrases(text: str) -> list[str]:
    return [phrase.strip() for phrase in re.split(r"[,\n]", text) if phrase.strip()]


class Term(models.Model):
    """Words to flag and what to suggest instead (resources.language.find_terms matches them).

    `flags` and `exceptions` are comma-separated words or phrases, in the
    term's `language`; a plural or possessive of the last word matches too
    (in Spanish: any word's gender and number, accents or none). An exception
    names a phrase in which a flag is fine (`user name`, `clean syringes`).
    """

    flags = models.TextField(help_text=_("Comma-separated words or phrases, e.g. addict, junkie, drug abuser"))
    suggestion = models.CharField(max_length=300)
    source = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=300, blank=True, help_text=_("When the flag applies, or why."))
    soft = models.BooleanField(
        _("context-dependent"),
        default=False,
        help_text=_("A softer hint (“if this describes a person…”) for words that are fine in other senses."),
    )
    exceptions = models.TextField(
        blank=True, help_text=_("Comma-separated phrases that are not hits, e.g. user name, clean syringes")
    )
    # db_default (here and on `language`): rows written by the library's first data
    # migration (0002), whose model has no such field, get it from the database.
    wording = models.TextField(
        blank=True, default="", db_default="",
        help_text=_(
            "What the coach's “use this wording” button puts in place of a flag: one wording for "
            "every flag (person who uses drugs), or each flag its own, separated by semicolons (relapse = return "
            "to use; relapsed = returned to use). Empty: no button, the hint only. Plural forms: singular | plural "
            "(persona que usa drogas | personas que usan drogas)."
        ),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        db_default="en",
        help_text=_("The language the flags are written in: the coach matches each language’s word forms."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.flags

    def wording_for(self, text: str) -> str:
        """The words to put in place of `text` (a flag as written), or "" when there are none.

        For a flag as listed (any case, spaces or hyphens between its words;
        in Spanish, any accents and either gender). A plural gets words only
        where the wording gives a plural after a bar ("persona que usa drogas |
        personas que usan drogas"); a possessive never (it would need other
        words around it). A `form = words` pair may also name a form as written
        ("recaído = vuelto a consumir"): it wins over its flag's pair. The first
        letter follows the text's ("Addict" → "Person who uses drugs").
        """
        return self.wording_and_article_for(text)[0]

    def wording_and_article_for(self, text: str) -> tuple[str, str]:
        """`wording_for(text)`, and the article a Spanish wording starts with ("la persona…" → "la").

        The article is not part of the words: it tells the "Use …" button which
        article the words take, so "un adicto" becomes "una persona que usa
        drogas" and "los adictos" "las personas que usan drogas".
        """
        form = flag_form(text, self.flag_list, self.language)
        if form is None or "…" in self.wording:
            return "", ""
        flag, plural = form
        canon = fold if self.language == "es" else str.lower
        key = " ".join(canon(w) for w in re.split(r"[\s\-\u2010\u2011\u2013\u2014]+", text.strip()))
        pairs = {
            " ".join(canon(w) for w in re.split(r"[\s\-]+", old.strip())): new.strip()
            for old, sep, new in (part.partition("=") for part in self.wording.split(";") if part.strip())
            if sep
        }
        if key in pairs:
            wording, plural = pairs[key], False
        elif pairs:
            wording = pairs.get(" ".join(canon(w) for w in re.split(r"[\s\-]+", flag.strip())), "")
        else:
            wording = self.wording.strip()
        singular, bar, plural_words = (part.strip() for part in wording.partition("|"))
        wording, article = (plural_words if plural else singular), ""
        if self.language == "es" and (found := re.fullmatch(r"(el|la|los|las)\s+(.+)", wording, re.IGNORECASE)):
            article, wording = found.group(1).lower(), found.group(2)
        if wording and text[:1].isupper():
            wording = wording[:1].upper() + wording[1:]
        return wording, article

    @property
    def flag_list(self) -> list[str]:
        return _split_phrases(self.flags)

    @property
    def exception_list(self) -> list[str]:
        return _split_phrases(self.exceptions)


# Referral directory (HSDS 3.0)
#
# The tables follow Open Referral HSDS 3.0 (docs/directory.md maps every field).
# Each row keeps its HSDS id (`hsds_id`, a UUID) so import and export are
# idempotent; our own integer primary keys stay the ones URLs use.


def default_time_zone() -> str:
    return settings.TIME_ZONE


class Taxonomy(models.Model):
    """A vocabulary of terms (HSDS taxonomy), e.g. ours or FindTreatment's codes."""

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    """A service kind, medication, payment option or any imported HSDS term.

    `facet` says which filter a term belongs to. A service is tagged with a
    term and all its ancestors (see Service.set_terms), so filtering on "MAT"
    finds a service tagged only "buprenorphine extended-release injection".
    """

    class Facet(models.TextChoices):
        KIND = "kind", _("Service kind")
        MEDICATION = "medication", _("Medication")
        PAYMENT = "payment", _("Payment")
        OTHER = "other", _("Other")

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True)
    taxonomy = models.ForeignKey(
        Taxonomy, on_delete=models.PROTECT, null=True, blank=True, related_name="terms"
    )
    code = models.CharField(max_length=50, blank=True, db_index=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    facet = models.CharField(max_length=20, choices=Facet.choices, default=Facet.OTHER)
    # Offered as a filter chip on the directory page.
    is_filter = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=100)
    language = models.CharField(max_length=20, blank=True)
    term_uri = models.URLField(blank=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name

    @property
    def label(self) -> str:
        """The name in the reader's language: the vocabulary's names are in the catalog
        (resources/service_kinds.py); any other name (imported, or renamed by an admin) as it is."""
        return gettext(self.name)

    def with_ancestors(self) -> list["TaxonomyTerm"]:
        terms, seen, term = [], set(), self
        while term is not None and term.pk not in seen:
            terms.append(term)
            seen.add(term.pk)
            term = term.parent
        return terms


class Organization(models.Model):
    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True)
    name = models.CharField(max_length=200)
    alternate_name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    class Type(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        POSTAL = "postal", _("Postal")
        VIRTUAL = "virtual", _("Virtual")

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="locations"
    )
    location_type = models.CharField(max_length=20, choices=Type.choices, default=Type.PHYSICAL)
    name = models.CharField(max_length=200, blank=True)
    alternate_name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    transportation = models.TextField(blank=True, help_text=_("Buses, trains, parking: how people get there."))
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or str(_("Location %(pk)s") % {"pk": self.pk})

    @cached_property
    def address(self) -> "Address | None":
        # Uses a prefetched list when there is one (the service page prefetches).
        addresses = list(self.addresses.all())
        physical = [a for a in addresses if a.address_type == Address.Type.PHYSICAL]
        return (physical or addresses or [None])[0]


class Address(models.Model):
    class Type(models.TextChoices):
        PHYSICAL = "physical", _("Physical")
        POSTAL = "postal", _("Postal")
        VIRTUAL = "virtual", _("Virtual")

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(_("street address"), max_length=200)
    address_2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(_("state"), max_length=100, default="OR")
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2, default="US")
    address_type = models.CharField(max_length=20, choices=Type.choices, default=Type.PHYSICAL)

    class Meta:
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return self.one_line

    @property
    def one_line(self) -> str:
        street = ", ".join(p for p in [self.address_1, self.address_2] if p)
        return f"{street}, {self.city}, {self.state_province} {self.postal_code}".strip()

    @property
    def map_url(self) -> str:
        # A link out, opened by the person's choice: our pages load no map tiles.
        return "https://www.openstreetmap.org/search?query=" + quote_plus(self.one_line)


# The kinds every offline copy of the directory holds in full (with their sub-kinds: set_terms tags ancestors).
OFFLINE_CORE_KINDS = ["PC-SSP", "PC-MAT"]


class ServiceQuerySet(models.QuerySet):
    HIDDEN_FROM_PEERS = ["inactive", "defunct"]

    def visible_to(self, user) -> "ServiceQuerySet":
        """Content admins see every service; everyone else only the ones that still run."""
        if user.has_perm("resources.change_service"):
            return self
        return self.exclude(status__in=self.HIDDEN_FROM_PEERS)

    def listed(self) -> "ServiceQuerySet":
        return self.exclude(status__in=self.HIDDEN_FROM_PEERS)

    def with_term(self, codes: list[str]) -> "ServiceQuerySet":
        """Services tagged with any of these term codes (one filter chip group)."""
        tagged = Service.terms.through.objects.filter(service=OuterRef("pk"), taxonomyterm__code__in=codes)
        return self.filter(Exists(tagged))

    def speaking(self, codes: list[str]) -> "ServiceQuerySet":
        spoken = Language.objects.filter(service=OuterRef("pk"), code__in=codes)
        return self.filter(Exists(spoken))

    def walk_in(self) -> "ServiceQuerySet":
        return self.filter(access__in=[Service.Access.WALK_IN, Service.Access.EITHER])

    def search(self, text: str) -> "ServiceQuerySet":
        """Services matching every word of `text`, in any order (resources/search.py).

        Words are stems matched as prefixes, so results follow typing;
        synonyms ("narcan") add what they mean as alternatives. PostgreSQL:
        full-text search over `search_vector`, the search document as a
        stored tsvector, served by a GIN index (migration
        0006_service_search_vector). Elsewhere (SQLite in development): the
        same test as substrings of the same document.
        """
        groups = parse_search(text)
        if not groups:
            return self
        if self.db == "default" and _is_postgresql():
            from django.contrib.postgres.search import SearchQuery

            return self.filter(search_vector=SearchQuery(search.tsquery(groups), config="simple", search_type="raw"))
        for group in groups:
            self = self.filter(_group_q("search_document", group))
        return self

    def by_relevance(self, text: str, when: datetime | None) -> "ServiceQuerySet":
        """Best match first, then the services open at `when` (unless None), then by name.

        A word found in the name counts 4, in the kinds and medications 2,
        elsewhere 1; the same sum on both databases (PostgreSQL's ts_rank
        would weigh how often a word occurs, which says little in a
        directory). Open now costs the two queries of open_at.
        """
        score = Value(0)
        for group in parse_search(text):
            score = score + Case(
                When(_group_q("search_name", group), then=Value(4)),
                When(_group_q("search_kinds", group), then=Value(2)),
                default=Value(1),
            )
        if when is None:
            return self.alias(relevance=score).order_by("-relevance", "name", "pk")
        open_now = Case(When(pk__in=self.open_at(when).values("pk"), then=Value(1)), default=Value(0))
        return self.alias(relevance=score, open_now=open_now).order_by("-relevance", "-open_now", "name", "pk")

    def for_offline_copy(self, limit: int | None = None) -> "ServiceQuerySet":
        """The services a peer keeps on the tablet for work away from signal (docs/offline.md).

        Every listed syringe service and MAT/MOUD service first (what a peer most
        often needs on the street), then the team's most referred, then by name;
        at most `limit` (OFFLINE_DIRECTORY_MAX), so the copy stays about 300 KB
        compressed whatever the directory's size. One query; `with_row_details()`
        fetches what a row shows.
        """
        core = Service.terms.through.objects.filter(
            service=OuterRef("pk"), taxonomyterm__code__in=OFFLINE_CORE_KINDS
        )
        from sessions_app.models import Referral

        referred = (
            Referral.objects.filter(service=OuterRef("pk")).order_by().values("service")
            .annotate(n=models.Count("pk")).values("n")
        )
        limit = settings.OFFLINE_DIRECTORY_MAX if limit is None else limit
        return (
            self.listed()
            .alias(core=Exists(core), referred=Coalesce(Subquery(referred), 0))
            .order_by("-core", "-referred", "name", "pk")[:limit]
        )

    def with_row_details(self) -> "ServiceQuerySet":
        """What a row of the offline copy shows, in a fixed number of queries."""
        return self.select_related("organization").prefetch_related(
            "terms", "schedules", "phones", "languages",
            Prefetch(
                "service_at_locations",
                ServiceAtLocation.objects.select_related("location").prefetch_related("location__addresses"),
            ),
        )

    def stale(self, today: date | None = None) -> "ServiceQuerySet":
        """Services still listed whose details nobody has checked within the freshness window."""
        today = today or timezone.localdate()
        cutoff = today - timedelta(days=settings.DIRECTORY_STALE_AFTER_DAYS)
        return self.listed().filter(Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff))

    def open_at(self, when: datetime) -> "ServiceQuerySet":
        """Services open at `when`, by the rules in resources/opening_hours.py.

        Plain weekly rows are stored as ranges of the week (WeeklyOpening), so
        on a day without a DST change a service is open if one of its ranges
        holds this second of the local week: an index range lookup. Every
        other row (monthly, dated, or any row around a DST change) goes
        through opening_hours itself, in Python, after the database has
        narrowed them to rows for today or yesterday.
        """
        decided_in_sql = Q(pk__in=[])
        # The rows the week cannot describe (monthly, dated) each have one
        # WeeklyOpening without a range: the index finds those few. Every
        # service's, not only these: asking for these services' first makes
        # SQLite start from every service in the zone, and the final filter
        # below drops the others anyway.
        for_python = Q(pk__in=WeeklyOpening.objects.filter(start_second=None).values("schedule_id"))
        local_times: dict[str, datetime] = {}
        days = Q(byday="") | ~Q(bymonthday="")
        for zone_name in self.order_by().values_list("time_zone", flat=True).distinct():
            tz = ZoneInfo(zone_name)
            local = local_times[zone_name] = when.astimezone(tz)
            for code in (opening_hours.DAY_CODES[local.weekday()], opening_hours.DAY_CODES[local.weekday() - 1]):
                days |= Q(byday__icontains=code)  # icontains: Hours reads "mo" as "MO" too
            if _dst_changes_near(tz, local.date()):
                for_python |= Q(service__in=self.filter(time_zone=zone_name).values("pk"))
                continue
            second = opening_hours.second_of_week(local)
            # No range is longer than a day, so only those starting in the
            # last day can hold `second`: a seventh of the index, not all of it.
            holding = WeeklyOpening.objects.filter(
                start_second__gt=second - opening_hours.SECONDS_A_DAY,
                start_second__lte=second,
                end_second__gt=second,
            )
            decided_in_sql |= Q(time_zone=zone_name, pk__in=holding.values("service_id"))
        rows = (
            Schedule.objects.filter(for_python & days)
            .exclude(opens_at=None)
            .annotate(service_time_zone=F("service__time_zone"))
            .order_by("service_id")
        )
        by_service: dict[int, list] = {}
        for row in rows:
            if row.service_time_zone in local_times:
                by_service.setdefault(row.service_id, []).append(row)
        open_ids = []
        for service_id, service_rows in by_service.items():
            local = local_times[service_rows[0].service_time_zone]
            hours = [opening_hours.Hours.from_row(row) for row in service_rows]
            spans = opening_hours.openings(hours, local.tzinfo, local.date() - timedelta(days=1), local.date())
            if any(opens <= when < closes for opens, closes in spans):
                open_ids.append(service_id)
        return self.filter(decided_in_sql | Q(pk__in=open_ids))


def _group_q(field: str, group) -> Q:
    """One search group as a filter on a stored search document: any alternative, all its words."""
    q = Q(pk__in=[])
    for alternative in group:
        words = Q()
        for word in alternative:
            words &= Q(**{f"{field}__contains": f" {word.stem}{' ' if word.whole else ''}"})
        q |= words
    return q


def _dst_changes_near(tz: ZoneInfo, today: date) -> bool:
    """Whether the UTC offset changes between yesterday and the day after tomorrow."""
    start = datetime.combine(today - timedelta(days=1), time(0), tzinfo=tz)
    end = datetime.combine(today + timedelta(days=2), time(0), tzinfo=tz)
    return start.utcoffset() != end.utcoffset()


def _is_postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


class _DocumentVector(models.Func):
    """to_tsvector('simple', document) on PostgreSQL; the document itself elsewhere."""

    function = "to_tsvector"

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.get_source_expressions()[0])

    def as_postgresql(self, compiler, connection, **extra_context):
        document, params = compiler.compile(self.get_source_expressions()[0])
        return f"to_tsvector('simple'::regconfig, COALESCE({document}, ''))", params


def _search_vector_field():
    from django.contrib.postgres.search import SearchVectorField

    return SearchVectorField()


class Service(models.Model):
    """A service people can be referred to (HSDS service), plus what a peer needs."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")
        INACTIVE = "inactive", _("Inactive")
        DEFUNCT = "defunct", _("Defunct (closed for good)")

    class Access(models.TextChoices):
        WALK_IN = "walk-in", _("Walk-in")
        APPOINTMENT = "appointment", _("Appointment needed")
        EITHER = "either", _("Walk-in or appointment")
        UNKNOWN = "", _("Not known")

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=200)
    alternate_name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    url = models.URLField(_("website"), blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    access = models.CharField(max_length=20, choices=Access.choices, default=Access.UNKNOWN, blank=True)
    interpretation_services = models.TextField(blank=True)
    application_process = models.TextField(_("how to start"), blank=True)
    fees_description = models.TextField(_("costs"), blank=True)
    eligibility_description = models.TextField(_("eligibility"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    what_to_bring = models.TextField(blank=True, help_text=_("One item a line (HSDS required documents)."))
    alert = models.TextField(blank=True, help_text=_("A short notice shown at the top, e.g. a closure."))
    peer_notes = models.TextField(
        _("notes for peers"), blank=True, help_text=_("Tips from the team; never exported."),
    )
    time_zone = models.CharField(max_length=64, default=default_time_zone)
    terms = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="services")
    is_sample = models.BooleanField(
        _("sample"), default=False, help_text=_("Fictional demo data: shown with a “Sample” badge."),
    )
    last_verified_on = models.DateField(null=True, blank=True, db_index=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # HSDS assurer_email, kept so an import from another system round-trips.
    assurer_email = models.EmailField(blank=True)
    # Name, organization, kinds, places, languages and access as stems and words
    # (resources/search.py `document`): what search reads.
    search_document = models.TextField(blank=True, editable=False)
    # The name, and the kinds and medications, alone: what relevance weighs.
    search_name = models.TextField(blank=True, editable=False)
    search_kinds = models.TextField(blank=True, editable=False)
    # The document as PostgreSQL's tsvector, computed by the database on every write.
    # Stored, not computed per query: when the planner starts from another filter
    # (a payment chip) it tests the search on thousands of rows, and to_tsvector()
    # on each took 100 ms at 10,000 services. On SQLite, a copy of the document.
    search_vector = models.GeneratedField(
        expression=_DocumentVector("search_document"),
        output_field=_search_vector_field(),
        db_persist=True,
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        permissions = [("verify_service", _("Can mark a directory service as verified"))]
        # The directory lists services by name, a page at a time.
        indexes = [
            models.Index(fields=["name", "id"], name="resources_service_name_idx"),
            # Open now asks which time zones the listed services are in, then
            # matches service ids in each: both read this index only.
            models.Index(fields=["time_zone", "status", "id"], name="resources_service_zone_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def is_listed(self) -> bool:
        return self.status not in ServiceQuerySet.HIDDEN_FROM_PEERS

    def set_terms(self, terms) -> None:
        """Tag with these terms and all their ancestors (filters match on any level)."""
        tagged = {}
        for term in terms:
            for ancestor in term.with_ancestors():
                tagged[ancestor.pk] = ancestor
        self.terms.set(tagged.values())

    def refresh_search_document(self, save: bool = True) -> None:
        self.search_document, self.search_name, self.search_kinds = service_search_documents(self)
        if save:
            Service.objects.filter(pk=self.pk).update(
                search_document=self.search_document, search_name=self.search_name, search_kinds=self.search_kinds
            )

    def mark_verified(self, by) -> None:
        self.last_verified_on = timezone.localdate()
        self.last_verified_by = by
        self.save(update_fields=["last_verified_on", "last_verified_by", "updated_at"])

    def verified_days_ago(self, today: date | None = None) -> int | None:
        if self.last_verified_on is None:
            return None
        return ((today or timezone.localdate()) - self.last_verified_on).days

    @property
    def is_stale(self) -> bool:
        days = self.verified_days_ago()
        return days is None or days > settings.DIRECTORY_STALE_AFTER_DAYS

    @property
    def takes_walk_ins(self) -> bool:
        return self.access in (self.Access.WALK_IN, self.Access.EITHER)

    def hours(self) -> list[opening_hours.Hours]:
        # schedules.all() so a prefetch serves it.
        return [opening_hours.Hours.from_row(row) for row in self.schedules.all()]

    def status_at(self, when: datetime) -> opening_hours.OpenStatus:
        return opening_hours.status_at(self.hours(), self.tz, when)

    @cached_property
    def open_status(self) -> opening_hours.OpenStatus:
        return self.status_at(timezone.now())

    def week(self) -> list[opening_hours.DayHours]:
        return opening_hours.week(self.hours(), self.tz, timezone.now().astimezone(self.tz).date())

    def hours_today(self) -> str:
        """Today's hours as a peer says them ("9 am – 5 pm"), or "" when none are listed for today."""
        return ", ".join(next((day.spans for day in self.week() if day.is_today), []))

    @cached_property
    def badges(self) -> list[TaxonomyTerm]:
        """Kinds and medications to show, most specific first (no bare parents)."""
        terms = [t for t in self.terms.all() if t.facet in ("kind", "medication")]
        parent_ids = {t.parent_id for t in terms}
        return [t for t in terms if t.pk not in parent_ids]

    @cached_property
    def payment_terms(self) -> list[TaxonomyTerm]:
        return [t for t in self.terms.all() if t.facet == "payment"]

    @cached_property
    def first_location(self) -> Location | None:
        sals = list(self.service_at_locations.all())
        return sals[0].location if sals else None

    @cached_property
    def main_phone(self) -> "Phone | None":
        phones = list(self.phones.all())
        return phones[0] if phones else None

    def what_to_bring_list(self) -> list[str]:
        return [line.strip() for line in self.what_to_bring.splitlines() if line.strip()]

    def plain_text(self) -> str:
        """The service's details as plain text: what the slip's QR code holds."""
        lines = [self.name, self.organization.name]
        location = self.first_location
        if location and location.address:
            lines.append(location.address.one_line)
        for phone in self.phones.all():
            line = _("Tel %(number)s") % {"number": phone.number}
            lines.append(line + (f" ({phone.description})" if phone.description else ""))
        lines += opening_hours.summary(self.hours(), self.tz, timezone.now().astimezone(self.tz).date())
        if self.access:
            lines.append(self.get_access_display())
        return "\n".join(lines)


SEARCH_FIELDS = ["search_document", "search_name", "search_kinds"]
_ACCESS_WORDS = {"walk-in": "walk-in", "appointment": "appointment", "either": "walk-in appointment"}


def service_search_documents(service) -> tuple[str, str, str]:
    """(document, name, kinds) as resources.search documents, from the service and its relations.

    Reads relations only by their names, so a migration's historical model works too.
    """
    terms = list(service.terms.all())
    kinds = [t.name for t in terms if t.facet in ("kind", "medication")]
    parts = [service.name, service.alternate_name, service.organization.name, service.description]
    parts += [t.name for t in terms] + [t.code for t in terms if t.code]
    parts += [lang.name for lang in service.languages.all()]
    parts.append(_ACCESS_WORDS.get(service.access, ""))
    for sal in service.service_at_locations.select_related("location").prefetch_related("location__addresses"):
        parts.append(sal.location.name)
        parts += [
            f"{a.address_1} {a.city} {a.region} {a.postal_code}" for a in sal.location.addresses.all()
        ]
    return (
        search.document(*parts),
        search.document(service.name, service.alternate_name),
        search.document(*kinds),
    )


class ServiceAtLocation(models.Model):
    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = _("service at location")
        verbose_name_plural = _("services at locations")

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"


class Phone(models.Model):
    class Type(models.TextChoices):
        VOICE = "voice", _("Voice")
        TEXT = "text", _("Text")
        FAX = "fax", _("Fax")
        CELL = "cell", _("Cell")
        VIDEO = "video", _("Video")
        PAGER = "pager", _("Pager")
        TEXTPHONE = "textphone", _("Textphone")

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    number = models.CharField(max_length=50)
    extension = models.CharField(max_length=20, blank=True)
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.VOICE, blank=True)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.number

    @property
    def tel_url(self) -> str:
        digits = re.sub(r"[^\d+]", "", self.number)
        return f"tel:{digits}" + (f",{self.extension}" if self.extension else "")


class Schedule(models.Model):
    """Opening hours as HSDS 3.0 schedule rows; split hours are several rows."""

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", _("Weekly")
        MONTHLY = "MONTHLY", _("Monthly")

    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    freq = models.CharField(max_length=10, choices=Freq.choices, default=Freq.WEEKLY)
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(
        max_length=60, blank=True, help_text=_("Days as MO,TU,WE,TH,FR,SA,SU; empty means every day."),
    )
    bymonthday = models.CharField(max_length=60, blank=True, help_text=_("Days of the month, e.g. 1,15."))
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(
        null=True, blank=True, help_text=_("Earlier than opening means past midnight; equal means 24 hours."),
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    attending_type = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["opens_at", "pk"]

    def __str__(self) -> str:
        return f"{self.byday or 'Every day'} {self.opens_at}-{self.closes_at}"


class WeeklyOpening(models.Model):
    """A schedule row's openings as ranges of the week: the "open now" filter's index.

    `start_second` and `end_second` count seconds since Monday 00:00 on the
    service's wall clock (opening_hours.weekly_ranges makes them), so "open
    at this moment" is a range lookup once the moment is a second of the
    local week. A row the week alone cannot describe (monthly, dated:
    weekly_ranges gives None) has one WeeklyOpening with no range instead,
    by which open_at finds the few rows to ask opening_hours about. A row
    without an opening time has none at all.

    Derived data: saving a schedule rebuilds its rows (signal below),
    deleting one deletes them (the foreign key), and code that writes
    schedules without signals (bulk_create, update) calls
    rebuild_weekly_openings afterwards.
    """

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="weekly_openings")
    # A copy of schedule.service, so the filter never reads the schedule table.
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="weekly_openings")
    # Both None: decided in Python.
    start_second = models.PositiveIntegerField(null=True)
    end_second = models.PositiveIntegerField(null=True)

    class Meta:
        indexes = [
            # open_at asks for ranges starting in the day before a moment and
            # ending after it, and reads only service_id: an index-only range
            # scan. It also finds the rows without a range (NULL) here.
            models.Index(fields=["start_second", "end_second", "service"], name="resources_weekly_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}: {self.start_second}-{self.end_second}"


def weekly_openings_for(schedules, model=None) -> list["WeeklyOpening"]:
    """Unsaved WeeklyOpening rows for these schedules (ones without a service have none).

    `model` is the migration's historical model when a migration calls this.
    """
    model = model or WeeklyOpening
    rows = []
    for row in schedules:
        if row.service_id is None or row.opens_at is None:
            continue
        ranges = opening_hours.weekly_ranges(opening_hours.Hours.from_row(row))
        for start, end in [(None, None)] if ranges is None else ranges:
            rows.append(model(schedule_id=row.pk, service_id=row.service_id, start_second=start, end_second=end))
    return rows


def rebuild_weekly_openings(service_ids=None) -> None:
    """Rebuild the weekly ranges of these services' schedules, or of every schedule.

    For code that writes schedules without signals (bulk_create, update).
    """
    if service_ids is None:
        WeeklyOpening.objects.all().delete()
        _store_weekly_openings(Schedule.objects.filter(service__isnull=False))
        return
    service_ids = list(service_ids)
    # In slices: SQLite takes a bounded number of query parameters.
    for first in range(0, len(service_ids), 500):
        some = service_ids[first : first + 500]
        # By schedule too: a schedule moved here from another service leaves nothing there.
        WeeklyOpening.objects.filter(Q(service_id__in=some) | Q(schedule__service_id__in=some)).delete()
        _store_weekly_openings(Schedule.objects.filter(service_id__in=some))


def _store_weekly_openings(schedules) -> None:
    rows = weekly_openings_for(schedules.order_by("pk").iterator(chunk_size=2000))
    WeeklyOpening.objects.bulk_create(rows, batch_size=1000)


def _rebuild_schedule_openings(sender, instance, **kwargs) -> None:
    # Keyed by the schedule, so a schedule moved to another service leaves
    # nothing behind under the old one.
    WeeklyOpening.objects.filter(schedule_id=instance.pk).delete()
    WeeklyOpening.objects.bulk_create(weekly_openings_for([instance]))


models.signals.post_save.connect(_rebuild_schedule_openings, sender=Schedule)


class Language(models.Model):
    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    phone = models.ForeignKey(
        Phone, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=20, blank=True, db_index=True, help_text=_("ISO 639, e.g. en, es, vi."))
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return language_label(self.code, self.name)


def language_label(code: str, name: str) -> str:
    """A language's name in the reader's language, from Django's own list of languages.

    The stored name is HSDS data, in English: English readers see it as stored,
    and so does everyone for a language Django does not know ("American Sign Language").
    """
    if (translation.get_language() or "en").split("-")[0] == "en" or not code:
        return name
    try:
        return capfirst(str(translation.get_language_info(code)["name_translated"]))
    except KeyError:
        return name


class CostOption(models.Model):
    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="USD")
    amount_description = models.CharField(max_length=300, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.option or "Cost"


# The directory's language filter lists every language some service speaks:
# a DISTINCT over every language row (20,000 at 10,000 services, a few ms on
# each search and keystroke) for a list that changes when a content admin
# edits a service. Cached; every save or delete of a language clears it here,
# and other app servers (with a per-process cache) see the change within
# LANGUAGES_CACHE_SECONDS. The names are words: one list per interface language.
LANGUAGES_CACHE_KEY = "resources:directory-languages"
LANGUAGES_CACHE_SECONDS = 300


def directory_languages() -> list[tuple[str, str]]:
    """(code, name) of the languages services speak, by name in the reader's language; one name a code."""
    key = f"{LANGUAGES_CACHE_KEY}:{translation.get_language() or settings.LANGUAGE_CODE}"
    languages = cache.get(key)
    if languages is None:
        rows = (
            Language.objects.filter(service__isnull=False)
            .exclude(code="")
            .values_list("code", "name")
            .distinct()
            .order_by("name")
        )
        # The same language may be written differently; keep one name a code.
        labels = [(code, language_label(code, name)) for code, name in dict(rows).items()]
        languages = sorted(labels, key=lambda language: language[1].casefold())
        cache.set(key, languages, LANGUAGES_CACHE_SECONDS)
    return languages


def forget_directory_languages(**kwargs) -> None:
    cache.delete_many([f"{LANGUAGES_CACHE_KEY}:{code}" for code, _name in settings.LANGUAGES])


models.signals.post_save.connect(forget_directory_languages, sender=Language)
models.signals.post_delete.connect(forget_directory_languages, sender=Language)


# The directory's filter chips: every directory request needs them, and only an
# admin editing the vocabulary (or an HSDS import) changes them. The terms are
# kept as stored (English names); each page draws their `label` in its language.
CHIPS_CACHE_KEY = "directory-chips"
CHIP_FACETS = ("kind", "medication", "payment")


def directory_chips() -> dict[str, list[TaxonomyTerm]]:
    """Filter-chip terms by facet (kind, medication, payment), in vocabulary order."""
    chips = cache.get(CHIPS_CACHE_KEY)
    if chips is None:
        chips = {facet: [] for facet in CHIP_FACETS}
        for term in TaxonomyTerm.objects.filter(is_filter=True, facet__in=CHIP_FACETS).only(
            "code", "name", "facet"
        ):
            chips[term.facet].append(term)
        cache.set(CHIPS_CACHE_KEY, chips, LANGUAGES_CACHE_SECONDS)
    return chips


def forget_directory_chips(**kwargs) -> None:
    cache.delete(CHIPS_CACHE_KEY)


# Search: the synonym list and the words "did you mean" knows ---------------


class SearchSynonym(models.Model):
    """Words people say, and what they mean in the directory and library (resources/search.py).

    "narcan" means "naloxone": a search for narcan finds what says narcan or
    naloxone. One way only: a search for naloxone does not look for narcan.
    """

    words = models.TextField(
        help_text=_("Comma-separated words or phrases people say, e.g. needle, rig, needle exchange"),
    )
    means = models.CharField(
        max_length=300, help_text=_("Comma-separated words the directory and library use, e.g. syringe"),
    )
    note = models.CharField(max_length=300, blank=True, help_text=_("Where the word comes from, or why."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["means", "pk"]
        verbose_name = _("search synonym")

    def __str__(self) -> str:
        return f"{self.words} → {self.means}"

    @property
    def word_list(self) -> list[str]:
        return _split_phrases(self.words)

    @property
    def meaning_list(self) -> list[str]:
        return _split_phrases(self.means)


# Read on every search, changed when a content admin edits the list: cached,
# and dropped on every save or delete (signals connected in ResourcesConfig.ready).
SYNONYMS_CACHE_KEY = "resources:search-synonyms"
VOCABULARY_CACHE_KEY = "resources:search-vocabulary"


def parse_search(text: str) -> list["search.Group"]:
    """`text` as search groups with the synonym list; no synonym lookup when there are no words."""
    return search.parse(text, synonym_table()) if search.raw_words(text) else []


def synonym_table() -> "search.SynonymTable":
    table = cache.get(SYNONYMS_CACHE_KEY)
    if table is None:
        table = {}
        for synonym in SearchSynonym.objects.all():
            for phrase in synonym.word_list:
                key = search.synonym_key(phrase)
                if key:
                    table.setdefault(key, []).extend(synonym.meaning_list)
        cache.set(SYNONYMS_CACHE_KEY, table, LANGUAGES_CACHE_SECONDS)
    return table


def directory_vocabulary() -> set[str]:
    """The words "did you mean" offers for the directory: service and term names, places, synonyms.

    Asked only when a search found nothing; a new service's words arrive
    within LANGUAGES_CACHE_SECONDS.
    """
    words = cache.get(VOCABULARY_CACHE_KEY)
    if words is None:
        listed = Service.objects.listed()
        words = search.vocabulary(
            *listed.values_list("name", flat=True).distinct(),
            *TaxonomyTerm.objects.values_list("name", flat=True),
            *Address.objects.values_list("city", flat=True).distinct(),
            *Language.objects.values_list("name", flat=True).distinct(),
            *synonym_phrases(),
        )
        cache.set(VOCABULARY_CACHE_KEY, words, LANGUAGES_CACHE_SECONDS)
    return words


def synonym_phrases() -> list[str]:
    """Every phrase of the synonym list, both sides: words "did you mean" may offer."""
    return [phrase for s in SearchSynonym.objects.all() for phrase in s.word_list + s.meaning_list]


def forget_search_words(**kwargs) -> None:
    cache.delete_many([SYNONYMS_CACHE_KEY, VOCABULARY_CACHE_KEY])
