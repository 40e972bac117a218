from django import forms
from django.utils import timezone

from resources.models import TaxonomyTerm

# The search box's maxlength; a longer ?q= (typed into the address bar) is cut here.
MAX_QUERY = 100


class SearchField(forms.CharField):
    """The search words, trimmed and cut at MAX_QUERY.

    The search reads words only (ServiceQuerySet.search), so a NUL is one more
    gap between words, not an error; PostgreSQL could not take it anyway.
    """

    def to_python(self, value):
        return super().to_python((value or "").replace("\x00", " "))[:MAX_QUERY]


class ChipsField(forms.Field):
    """The chips ticked in one group, as codes. A code no chip offers (an old
    bookmark, a hand-typed URL) is left out, never an error: the rest of the
    search still runs.

    A set of codes rather than a MultipleChoiceField's choices: the template
    draws the chips, and setting choices on every request cost 0.4 ms.
    """

    widget = forms.MultipleHiddenInput  # every value of a repeated parameter

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.codes: frozenset[str] = frozenset()

    def clean(self, value):
        return [code for code in value if code in self.codes]


class TickField(forms.BooleanField):
    """A chip that is on only when the URL says `=1`, what its checkbox sends."""

    widget = forms.HiddenInput

    def to_python(self, value):
        return value == "1"


class DirectoryFilterForm(forms.Form):
    """The search box and filter chips, read from GET so every search is a bookmarkable URL.

    Every field drops what it cannot read, so the form is always valid; the
    template draws the chips itself (a checkbox per term, ticked from cleaned_data).
    """

    q = SearchField(required=False)
    kind = ChipsField(required=False)
    medication = ChipsField(required=False)
    pay = ChipsField(required=False)
    lang = ChipsField(required=False)
    open = TickField(required=False)
    walkin = TickField(required=False)

    def __init__(self, data, *, chips: dict[str, list[TaxonomyTerm]], languages: list[tuple[str, str]]):
        super().__init__(data)
        for name, facet in (("kind", "kind"), ("medication", "medication"), ("pay", "payment")):
            self.fields[name].codes = frozenset(term.code for term in chips[facet])
        self.fields["lang"].codes = frozenset(code for code, _ in languages)

    @property
    def active(self) -> bool:
        """Whether anything narrows the list (the page then offers to clear it)."""
        return self.is_valid() and any(self.cleaned_data.values())

    @property
    def in_use(self) -> int:
        """How many filters narrow the list (each chip ticked; the search words are not a filter)."""
        if not self.is_valid():
            return 0
        data = self.cleaned_data
        return sum(len(data[name]) for name in ("kind", "medication", "pay", "lang")) + data["open"] + data["walkin"]

    @property
    def ranked(self) -> bool:
        """Whether in_order ranks by relevance (there are search words) rather than by name."""
        return self.is_valid() and bool(self.cleaned_data["q"])

    def in_order(self, services):
        """Best match first when there are search words (then open now, then name); else by name."""
        if self.ranked:
            # With "Open now" ticked every result is open: ranking by it would cost two queries for nothing.
            when = None if self.cleaned_data["open"] else timezone.now()
            return services.by_relevance(self.cleaned_data["q"], when)
        return services.order_by("name", "pk")

    def apply_to(self, services):
        """The services that match the search and every chip group."""
        if not self.is_valid():
            return services
        data = self.cleaned_data
        if data["q"]:
            services = services.search(data["q"])
        for name in ("kind", "medication", "pay"):
            if data[name]:
                services = services.with_term(data[name])
        if data["lang"]:
            services = services.speaking(data["lang"])
        if data["walkin"]:
            services = services.walk_in()
        if data["open"]:
            services = services.open_at(timezone.now())
        return services
