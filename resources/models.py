import html
import re
from functools import cached_property

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from simple_history.models import HistoricalRecords

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


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML, sanitized with an allowlist (links get rel=noopener noreferrer)."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"])
    return mark_safe(nh3.clean(html, tags=_ALLOWED_TAGS, attributes={"a": {"href"}}))


class CardQuerySet(models.QuerySet):
    def in_reading_order(self):
        """Categories in the order of Card.Category (not alphabetical), then `order`, then title."""
        rank = Case(
            *(When(category=value, then=Value(i)) for i, value in enumerate(Card.Category.values)),
            default=Value(len(Card.Category.values)),
            output_field=models.IntegerField(),
        )
        return self.alias(category_rank=rank).order_by("category_rank", "order", "title")

    def search(self, query: str):
        """Cards whose title, summary, body or tags contain every word of `query`.

        Case-insensitive `icontains`, the same on SQLite and PostgreSQL; for
        about sixty cards a full-text index would buy nothing.
        """
        qs = self
        for word in search_words(query):
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(body__icontains=word)
                | Q(tags__icontains=word)
            )
        return qs


def search_words(query: str) -> list[str]:
    # A bound on the words keeps a pasted paragraph from becoming a huge query.
    return query.split()[:8]


class Card(models.Model):
    """One page of the library: a principle, a practice, a strategy or a piece of evidence."""

    class Category(models.TextChoices):
        PRINCIPLES = "principles", "Harm-reduction principles"
        PEER_PRACTICES = "peer-practices", "Peer-support practices"
        MANAGED_USE = "managed-use", "Managed use and syringe services"
        MEDICATIONS = "medications", "Medications (MAT / MOUD)"
        INTEGRATING = "integrating", "Bringing harm reduction into peer support"
        CRITICS = "critics", "Talking with critics"
        EVIDENCE = "evidence", "Evidence"
        OVERDOSE = "overdose", "Overdose response"
        DRUG_CHECKING = "drug-checking", "Drug checking"
        WOUND_CARE = "wound-care", "Wound care"

    class Audience(models.TextChoices):
        PEERS = "peers", "Peers only"
        PARTICIPANT = "participant", "Fit to show a participant"

    category = models.CharField(max_length=20, choices=Category.choices)
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(max_length=300, help_text="One or two sentences, shown in lists and search.")
    body = models.TextField(help_text="Markdown: **bold**, *italic*, lists, [links](https://…), > quotes.")
    audience = models.CharField(max_length=12, choices=Audience.choices, default=Audience.PEERS)
    plain_language = models.TextField(
        blank=True,
        help_text="Markdown. What the participant sees on the show screen: short, plain, no staff-only "
        "notes. Required when the card is fit to show a participant.",
    )
    sources = models.TextField(help_text="One source per line; a web address on the line becomes a link.")
    last_reviewed = models.DateField(default=timezone.localdate)
    tags = models.CharField(max_length=200, blank=True, help_text="Comma-separated, e.g. naloxone, opioids")
    order = models.PositiveSmallIntegerField(default=0, help_text="Position within its category.")

    history = HistoricalRecords()
    objects = CardQuerySet.as_manager()

    class Meta:
        ordering = ["category", "order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:card_detail", args=[self.slug])

    def clean(self):
        if self.audience == self.Audience.PARTICIPANT and not self.plain_language.strip():
            raise ValidationError(
                {"plain_language": "A card fit to show a participant needs its plain-language text."}
            )
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": f"“{self.slug}” is the address of a library page; choose another."}
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
        return html.unescape(strip_tags(self.body_html))

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

    def neighbours(self) -> tuple["Card | None", "Card | None"]:
        """The previous and next card in this card's category (reading order)."""
        siblings = list(Card.objects.filter(category=self.category).in_reading_order().only("slug", "title"))
        index = next(i for i, card in enumerate(siblings) if card.pk == self.pk)
        previous = siblings[index - 1] if index > 0 else None
        following = siblings[index + 1] if index + 1 < len(siblings) else None
        return previous, following


def _split_phrases(text: str) -> list[str]:
    return [phrase.strip() for phrase in re.split(r"[,\n]", text) if phrase.strip()]


class Term(models.Model):
    """Words to flag and what to suggest instead (resources.language.find_terms matches them).

    `flags` and `exceptions` are comma-separated words or phrases; a plural or
    possessive of the last word matches too. An exception names a phrase in
    which a flag is fine (`user name`, `clean syringes`).
    """

    flags = models.TextField(help_text="Comma-separated words or phrases, e.g. addict, junkie, drug abuser")
    suggestion = models.CharField(max_length=300)
    source = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=300, blank=True, help_text="When the flag applies, or why.")
    soft = models.BooleanField(
        "context-dependent",
        default=False,
        help_text="A softer hint (“if this describes a person…”) for words that are fine in other senses.",
    )
    exceptions = models.TextField(
        blank=True, help_text="Comma-separated phrases that are not hits, e.g. user name, clean syringes"
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.flags

    @property
    def flag_list(self) -> list[str]:
        return _split_phrases(self.flags)

    @property
    def exception_list(self) -> list[str]:
        return _split_phrases(self.exceptions)
