from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resources.models import Language, Schedule, TaxonomyTerm, language_label

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


# The admin's forms for a service's hours and languages (issue 14, item 14):
# content admins tick days and pick times and languages, never type RRULE codes.

WEEKDAYS = [
    ("MO", _("Monday")), ("TU", _("Tuesday")), ("WE", _("Wednesday")), ("TH", _("Thursday")),
    ("FR", _("Friday")), ("SA", _("Saturday")), ("SU", _("Sunday")),
]
WEEKS_OF_MONTH = [
    ("", _("Every week")), ("1", _("1st week of the month")), ("2", _("2nd week of the month")),
    ("3", _("3rd week of the month")), ("4", _("4th week of the month")), ("-1", _("Last week of the month")),
]


def split_byday(byday: str) -> tuple[list[str], str] | None:
    """("MO,WE" → (["MO", "WE"], ""); "1MO,1WE" → (["MO", "WE"], "1")); None when the
    checkboxes cannot say it (an unknown code, or different weeks in one row)."""
    codes = [code.strip().upper() for code in byday.split(",") if code.strip()]
    days = [code[-2:] for code in codes]
    weeks = {code[:-2] for code in codes}
    if any(day not in dict(WEEKDAYS) for day in days) or len(weeks) > 1:
        return None
    week = weeks.pop() if weeks else ""
    if week not in dict(WEEKS_OF_MONTH):
        return None
    return [day for day, _ in WEEKDAYS if day in days], week


class ScheduleAdminForm(forms.ModelForm):
    """One row of opening hours: days ticked, times picked; stored as HSDS `byday`."""

    days = forms.MultipleChoiceField(
        label=_("Days"), choices=WEEKDAYS, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means every day."),
    )
    week_of_month = forms.ChoiceField(
        label=_("Which weeks"), choices=WEEKS_OF_MONTH, required=False,
        help_text=_("For a monthly row: only that week's days."),
        widget=forms.Select(attrs={"aria-label": _("Which weeks")}),
    )

    class Meta:
        model = Schedule
        fields = ["opens_at", "closes_at", "freq", "bymonthday", "valid_from", "valid_to", "description"]
        # A tabular inline labels its inputs by column header only: each says its name too.
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time", "aria-label": _("Opens at")}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time", "aria-label": _("Closes at")}, format="%H:%M"),
            "freq": forms.Select(attrs={"aria-label": _("How often")}),
            "bymonthday": forms.TextInput(attrs={"aria-label": _("Days of the month")}),
            "valid_from": forms.DateInput(attrs={"type": "date", "aria-label": _("From")}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date", "aria-label": _("Until")}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 2, "aria-label": _("Description")}),
        }
        error_messages = {
            "opens_at": {"invalid": _("Pick a time it opens, like 09:30.")},
            "closes_at": {"invalid": _("Pick a time it closes, like 17:00.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closes_at"].help_text = _("Earlier than opening: past midnight. The same: open 24 hours.")
        # Imported hours the boxes cannot show (the inline says so on the row)
        # stay as they are unless the days are changed.
        split = self.shown_days()
        if split is not None:
            self.initial.setdefault("days", split[0])
            self.initial.setdefault("week_of_month", split[1])

    def shown_days(self) -> tuple[list[str], str] | None:
        """The stored days as the boxes show them, or None when they cannot (see split_byday;
        also a week of the month on a weekly row, which open-now reads as every week)."""
        split = split_byday(self.instance.byday or "")
        if split is None or (split[1] and self.instance.freq != Schedule.Freq.MONTHLY):
            return None
        return split

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens is None and "opens_at" not in self.errors:
            self.add_error("opens_at", _("Pick the time it opens."))
        if closes is None and opens is not None and "closes_at" not in self.errors:
            self.add_error("closes_at", _("Pick the time it closes (the same as opening means open 24 hours)."))
        if cleaned.get("week_of_month") and cleaned.get("freq") != Schedule.Freq.MONTHLY:
            self.add_error("week_of_month", _("A week of the month needs “Monthly” as how often; "
                                              "or choose “Every week”."))
        if cleaned.get("week_of_month") and not cleaned.get("days"):
            self.add_error("days", _("Tick the days for that week of the month."))
        return cleaned

    def save(self, commit=True):
        if {"days", "week_of_month"} & set(self.changed_data) or self.shown_days() is not None:
            week = self.cleaned_data.get("week_of_month") or ""
            days = self.cleaned_data.get("days") or []
            self.instance.byday = ",".join(f"{week}{day}" for day, _name in WEEKDAYS if day in days)
        return super().save(commit)


# Languages services often offer around the country (ISO 639 codes); the list
# also holds every language already in the directory, so an imported one stays pickable.
# The names are what is stored (HSDS data, in English); the list shows each in the
# admin's language where Django knows it (models.language_label).
KNOWN_LANGUAGES = {
    "en": "English", "es": "Spanish", "ar": "Arabic", "am": "Amharic",
    "ase": "American Sign Language",  # i18n: not shown
    "my": "Burmese", "yue": "Cantonese", "zh": "Chinese", "chk": "Chuukese", "prs": "Dari", "fa": "Farsi",
    "fr": "French", "de": "German", "hi": "Hindi", "hmn": "Hmong", "ja": "Japanese",
    "ht": "Haitian Creole",  # i18n: not shown
    "km": "Khmer", "ko": "Korean", "lo": "Lao", "mh": "Marshallese", "cmn": "Mandarin", "ne": "Nepali",
    "om": "Oromo", "ps": "Pashto", "pt": "Portuguese", "pa": "Punjabi", "ro": "Romanian", "ru": "Russian",
    "so": "Somali", "sw": "Swahili", "tl": "Tagalog", "th": "Thai", "ti": "Tigrinya", "uk": "Ukrainian",
    "ur": "Urdu", "vi": "Vietnamese",
}


def language_options() -> dict[str, tuple[str, str]]:
    """What the language list offers: value → (ISO code, name). The value is the
    code, or the name itself for a language stored without one."""
    options = {code: (code, name) for code, name in KNOWN_LANGUAGES.items()}
    for code, name in Language.objects.values_list("code", "name").distinct():
        options.setdefault(code or name, (code, name))
    return options


class LanguageAdminForm(forms.ModelForm):
    """A language a service speaks, picked from a list; stored as HSDS name and code."""

    language = forms.ChoiceField(
        label=_("Language"), error_messages={"required": _("Pick a language from the list.")},
        widget=forms.Select(attrs={"aria-label": _("Language")}),
    )

    class Meta:
        model = Language
        fields = ["note"]
        widgets = {"note": forms.TextInput(attrs={"aria-label": _("Note"), "size": 40})}

    def __init__(self, *args, options=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options if options is not None else language_options()
        self.fields["language"].choices = [("", "---------")] + sorted(
            ((value, language_label(code, name)) for value, (code, name) in self.options.items()),
            key=lambda c: c[1].casefold(),
        )
        if self.instance.pk:
            self.initial.setdefault("language", self.instance.code or self.instance.name)

    def save(self, commit=True):
        self.instance.code, self.instance.name = self.options[self.cleaned_data["language"]]
        return super().save(commit)


class LanguageFormSet(forms.BaseInlineFormSet):
    """The service's languages: the list read once for every row, each language once."""

    def get_form_kwargs(self, index):
        if not hasattr(self, "_options"):
            self._options = language_options()
        return {**super().get_form_kwargs(index), "options": self._options}

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            value = getattr(form, "cleaned_data", {}).get("language")
            if not value or form.cleaned_data.get("DELETE"):
                continue
            if value in seen:
                form.add_error("language", _("%(name)s is listed already.") % {"name": form.options[value][1]})
            seen.add(value)
