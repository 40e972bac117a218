import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from harmreduction.models import AuditEvent, Team, User
from resources.models import Card, Service
from sessions_app import code_recipe
from sessions_app.dashboard import Scope, scope_for
from sessions_app.funder_report import quarter_range, recent_quarters
from sessions_app.models import (
    CheckIn,
    ContactMethod,
    FundingSource,
    OverdoseReversal,
    Participant,
    Program,
    Referral,
    SupplyGiven,
    SupplyItem,
    code_validator,
)

# The largest id a database integer column can hold; a bigger number names no row.
MAX_ID = 2**63 - 1

# Free text a peer writes, with room to spare: a check-in note is a few
# paragraphs, not a case file (notes over CheckIn.LONG_NOTE are flagged anyway).
NOTE_MAX = 10_000
GOALS_MAX = 2_000

# Program figures cover this program's years: no one asks for the year 1 or
# 9999, and dates past the calendar's ends are where date arithmetic breaks.
EARLIEST_DATE = date(2000, 1, 1)


class ShortListIterator(forms.models.ModelChoiceIterator):
    """Choices from a short list (ways of contact, programs, a team) in one plain
    query. Django walks them with iterator(), which on PostgreSQL is a server-side
    cursor: DECLARE, FETCH and CLOSE, three round trips for a dozen rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ShortListField(forms.ModelChoiceField):
    iterator = ShortListIterator


def is_id(value: str) -> bool:
    """Whether text from a request can be a row id.

    ASCII digits only ("²".isdigit() is true but int() refuses it), and no
    larger than a database integer.
    """
    return value.isascii() and value.isdigit() and int(value) <= MAX_ID


# What a form carries besides what the peer typed: not part of a check-in's content.
NOT_CONTENT = {"csrfmiddlewaretoken", "key", "language_hints_shown", "referral_q", "find_referral", "add_referral"}


def submission_digest(data) -> str:
    """A fingerprint of what a check-in form holds (a QueryDict), to tell a
    repeated submit of the same form from another check-in under the same key."""
    content = sorted((name, values) for name, values in data.lists() if name not in NOT_CONTENT)
    return hashlib.sha256(json.dumps(content).encode()).hexdigest()


# What an autosaved draft may hold. Twice the form's limits for the note and the
# goals, so a note a little over its limit is still kept while the peer trims it;
# a draft can never grow past what a check-in could be (a 2,000,000-character
# "note" was once stored).
DRAFT_TEXT_MAX = {"note": 2 * NOTE_MAX, "goals": 2 * GOALS_MAX}
DRAFT_VALUE_MAX = 500
DRAFT_MAX_NAMES = 300
DRAFT_MAX_VALUES = 100


def draft_problem(data: dict[str, list[str]]) -> str | None:
    """Why an autosave is too big to keep as a draft, in words for the peer; None if it fits."""
    if len(data) > DRAFT_MAX_NAMES or any(len(values) > DRAFT_MAX_VALUES for values in data.values()):
        return gettext("Not kept as a draft: the form sent more than a check-in can hold. "
                       "Reload the page to start again.")
    for name, values in data.items():
        limit = DRAFT_TEXT_MAX.get(name, DRAFT_VALUE_MAX)
        if len(name) > DRAFT_VALUE_MAX or any(len(value) > limit for value in values):
            # Whole sentences, one per field: "the note" is not the same word in every language.
            what = {
                "note": gettext("Not kept as a draft: the note is longer than %(limit)s characters. "
                                "Please shorten it: it is still here on the page."),
                "goals": gettext("Not kept as a draft: their goals are longer than %(limit)s characters. "
                                 "Please shorten them: they are still here on the page."),
            }.get(name) or gettext("Not kept as a draft: one of the fields is longer than %(limit)s characters. "
                                   "Please shorten it: it is still here on the page.")
            return what % {"limit": number_format(limit, force_grouping=True)}
    return None


# Participant codes are known across the organization (a person meets peers of
# several teams), so a peer may log a check-in with any code a person gives them.
# Guessing codes must stay useless (docs/security.md, "Participant codes"): a
# code the peer has not met is a lookup, audited; a peer has this many an hour,
# and past it every such code gets the same answer, found or not.
CODE_LOOKUPS_PER_HOUR = 20
CODE_LOOKUP_ACTIONS = ("code lookup", "code not found")
TOO_MANY_LOOKUPS = _(
    "You have looked up many codes that are new to you in the last hour, so this one cannot be "
    "checked now. Save the contact as anonymous (leave the code empty) and add the code later, "
    "or ask your supervisor."
)


@dataclass
class CodeLookup:
    """A code typed that this peer has not met before: the view writes its audit line."""

    code: str
    participant: Participant | None
    refused: bool = False


def code_lookups_left(user) -> int:
    since = timezone.now() - timedelta(hours=1)
    used = AuditEvent.objects.filter(user=user, action__in=CODE_LOOKUP_ACTIONS, at__gte=since).count()
    return CODE_LOOKUPS_PER_HOUR - used


def limit_length(field: forms.CharField, limit: int) -> None:
    """Cap a free-text field on the server with a message that says what to do.

    No `maxlength` on the textarea: a browser would silently cut a pasted
    note; the server says how long it is and keeps every character to trim.
    """
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    # %(show_value)s and %(limit_value)s are filled in by Django's MaxLengthValidator.
    field.error_messages["max_length"] = _(
        "This is %(show_value)s characters long; the limit is %(limit_value)s. "
        "Please shorten it: everything you wrote is still here."
    )


def check_date_range(form: forms.Form, name: str, latest: date) -> None:
    value = form.cleaned_data.get(name)
    if value is not None and not EARLIEST_DATE <= value <= latest:
        form.add_error(name, gettext("Pick a date between %(first)s and %(last)s.") % {
            "first": date_format(EARLIEST_DATE, "DATE_FORMAT"), "last": date_format(latest, "DATE_FORMAT")})


EMS_CHOICES = [("", "—"), ("yes", _("Yes")), ("no", _("No")), ("unknown", _("Not known"))]
EMS_VALUES = {"yes": True, "no": False, "unknown": None}


class ReversalFields(forms.Form):
    """The short overdose-reversal record (OverdoseReversal), no names, every field optional.

    Mixed into the check-in form (where the fields start hidden behind one
    button) and used alone on a participant's page.
    """

    reversal_happened_on = forms.DateField(
        label=_("When it happened"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reversal_area = forms.CharField(
        label=_("Rough area or ZIP"), max_length=40, required=False,
        help_text=_("A neighbourhood, cross streets or a ZIP code: never an address or a name."),
    )
    reversal_naloxone_doses = forms.IntegerField(
        label=_("Naloxone doses used"), min_value=0, max_value=20, required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": 20, "inputmode": "numeric", "class": "count"}),
    )
    reversal_ems = forms.ChoiceField(label=_("911 / EMS called"), choices=EMS_CHOICES, required=False)
    reversal_outcome = forms.ChoiceField(
        label=_("How it ended"), choices=[("", "—"), *OverdoseReversal.Outcome.choices], required=False,
    )

    def clean_reversal_happened_on(self):
        when = self.cleaned_data["reversal_happened_on"]
        if when and not EARLIEST_DATE <= when <= timezone.localdate() + timedelta(days=1):
            raise forms.ValidationError(_("Pick the day it happened: today or before."))
        return when

    def reversal_fields(self):
        return [self[name] for name in REVERSAL_FIELDS]


REVERSAL_FIELDS = list(ReversalFields.base_fields)


def reversal_reported(cleaned: dict) -> bool:
    """Whether any reversal field was filled in: a reversal was told."""
    return any(cleaned.get(name) not in (None, "") for name in REVERSAL_FIELDS)


def fill_reversal(reversal: OverdoseReversal, cleaned: dict) -> None:
    reversal.happened_on = cleaned.get("reversal_happened_on")
    reversal.area = cleaned.get("reversal_area", "").strip()
    reversal.naloxone_doses = cleaned.get("reversal_naloxone_doses")
    reversal.ems_called = EMS_VALUES.get(cleaned.get("reversal_ems") or "unknown")
    reversal.outcome = cleaned.get("reversal_outcome") or OverdoseReversal.Outcome.UNKNOWN


def reversal_initial(reversal: OverdoseReversal) -> dict:
    ems = {True: "yes", False: "no", None: "unknown"}[reversal.ems_called]
    return {
        "reversal_happened_on": reversal.happened_on, "reversal_area": reversal.area,
        "reversal_naloxone_doses": reversal.naloxone_doses, "reversal_ems": ems,
        "reversal_outcome": reversal.outcome,
    }


class ReversalForm(ReversalFields):
    """A reversal told on the participant's page, outside a check-in."""

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not reversal_reported(cleaned):
            raise forms.ValidationError(_("Fill in at least one thing you know about it, even just the day."))
        return cleaned


class CheckInForm(ReversalFields, forms.ModelForm):
    """The check-in: participant by code (or anonymous), then what happened.

    Supplies are one number field per active supply item (`supply_<id>`), so
    the list stays editable in the admin without touching this form.
    """

    participant_code = forms.CharField(
        label=_("Participant code"), required=False, max_length=20,
        help_text=_("Leave empty for an anonymous contact."),
    )
    new_participant = forms.BooleanField(
        label=_("New participant: make a code for them"), required=False
    )
    preferred_name = forms.CharField(
        label=_("What they like to be called (optional)"), required=False, max_length=40
    )
    # Shown when a code built from someone's facts is taken (docs/checkins.md).
    someone_else = forms.BooleanField(
        label=_("This is someone else: add a number to the end of their code"), required=False
    )
    happened_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics talked about"), choices=Card.Category.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CheckIn
        # Short lists: one plain query each (ShortListIterator).
        field_classes = {"method": ShortListField, "program": ShortListField}
        fields = [
            "happened_at", "method", "program", "duration_minutes", "topics", "goals",
            "follow_up_on", "follow_up_note", "note",
        ]
        widgets = {
            "method": forms.RadioSelect,
            "program": forms.RadioSelect,
            "goals": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 4}),
            "follow_up_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "duration_minutes": forms.NumberInput(attrs={"min": 0, "max": 1440, "inputmode": "numeric"}),
        }

    def __init__(self, *args, user, add_referral=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.add_referral = add_referral
        self.code_lookup: CodeLookup | None = None
        self.collision = False
        self.fields["method"].queryset = ContactMethod.objects.filter(active=True)
        self.fields["method"].empty_label = None
        self.fields["method"].error_messages["required"] = _("Choose how you met: everything you wrote is still here.")
        self.fields["happened_at"].error_messages["required"] = _("Say when you met: a date and a time.")
        self.fields["program"].queryset = Program.objects.filter(active=True)
        self.fields["program"].required = False
        # A short list of radio chips, one always chosen: no "---------" choice to skip past.
        self.fields["program"].empty_label = None
        if not self.is_bound and not self.instance.pk and "program" not in self.initial:
            self.initial["program"] = self._usual_program()
        limit_length(self.fields["note"], NOTE_MAX)
        limit_length(self.fields["goals"], GOALS_MAX)
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("happened_at", timezone.localtime().replace(second=0, microsecond=0))
        if self.instance.participant_id:
            self.initial.setdefault("participant_code", self.instance.participant.code)
        given = {s.item_id: s for s in self.instance.supplies.all()} if self.instance.pk else {}
        self.supply_items = list(SupplyItem.objects.filter(active=True))
        for item in self.supply_items:
            saved = given.get(item.pk)
            self.fields[f"supply_{item.pk}"] = forms.IntegerField(
                label=item.name, min_value=0, max_value=999, required=False, initial=saved.count if saved else 0,
                widget=forms.NumberInput(attrs={"min": 0, "max": 999, "inputmode": "numeric", "class": "count"}),
            )
        # Items people bring back for disposal (used syringes): one more stepper each, usually one.
        self.collected_items = [item for item in self.supply_items if item.collected]
        for item in self.collected_items:
            saved = given.get(item.pk)
            self.fields[f"collected_{item.pk}"] = forms.IntegerField(
                label=_("%(item)s collected for disposal") % {"item": item.name},
                min_value=0, max_value=9999, required=False, initial=saved.collected if saved else 0,
                widget=forms.NumberInput(attrs={"min": 0, "max": 9999, "inputmode": "numeric", "class": "count"}),
            )
        self.reversal = self.instance.reversals.first() if self.instance.pk else None
        if self.reversal is not None and not self.is_bound:
            for name, value in reversal_initial(self.reversal).items():
                self.initial.setdefault(name, value)

    def _usual_program(self) -> int | None:
        """The program of this peer's last check-in if it still runs, else the first on the list."""
        active = Program.objects.filter(active=True)
        last = (CheckIn.objects.filter(peer=self.user, program__in=active)
                .order_by("-happened_at", "-id").values_list("program_id", flat=True).first())
        return last if last is not None else active.values_list("pk", flat=True).first()

    @cached_property
    def referral_rows(self) -> list[dict]:
        """The referrals on the form: (service, status) as typed, as drafted, or as saved."""
        if self.is_bound:
            ids = self.data.getlist("referral_service")
            removed = set(self.data.getlist("referral_remove"))
            statuses = self.data
        elif "referral_service" in self.initial:
            ids = self.initial["referral_service"]
            ids = ids if isinstance(ids, list) else [ids]
            removed = self.initial.get("referral_remove", [])
            removed = set(removed if isinstance(removed, list) else [removed])
            statuses = self.initial
        elif self.instance.pk:
            saved = list(self.instance.referrals.all())
            ids = [str(r.service_id) for r in saved]
            removed = set()
            statuses = {f"referral_status_{r.service_id}": r.status for r in saved}
        else:
            ids, removed, statuses = [], set(), {}
        if self.add_referral is not None:
            ids = [*ids, str(self.add_referral)]
        ids = [i for i in dict.fromkeys(ids) if is_id(i) and i not in removed]
        services = Service.objects.visible_to(self.user).select_related("organization").in_bulk(map(int, ids))
        self.unknown_referrals = [i for i in ids if int(i) not in services]
        valid = set(Referral.Status.values)
        rows = []
        for i in ids:
            if int(i) in services:
                status = statuses.get(f"referral_status_{i}", Referral.Status.OFFERED)
                status = status if status in valid else Referral.Status.OFFERED
                rows.append({"service": services[int(i)], "status": status,
                             "choices": Referral.form_choices(status)})
        return rows

    def coached_fields(self):
        """The free-text fields the language coach reads as the peer types."""
        return [self["note"], self["goals"]]

    def supply_fields(self):
        return [self[f"supply_{item.pk}"] for item in self.supply_items]

    def collected_fields(self):
        return [self[f"collected_{item.pk}"] for item in self.collected_items]

    def reversal_shown(self) -> bool:
        """Whether the reversal fields start open: something is in them, or wrong with them."""
        return any(self[name].value() not in (None, "") or self[name].errors for name in REVERSAL_FIELDS)

    def clean_happened_at(self):
        when = self.cleaned_data["happened_at"]
        # A day of slack for a tablet whose clock or time zone is off.
        latest = timezone.now() + timedelta(days=1)
        if not EARLIEST_DATE <= timezone.localdate(when) <= timezone.localdate(latest):
            raise forms.ValidationError(
                gettext("A check-in happens between %(first)s and today. Check the date.")
                % {"first": date_format(EARLIEST_DATE, "DATE_FORMAT")}
            )
        return when

    def clean_follow_up_on(self):
        when = self.cleaned_data["follow_up_on"]
        if when and not EARLIEST_DATE <= when <= timezone.localdate() + timedelta(days=3 * 366):
            raise forms.ValidationError(gettext("Pick a follow-up date in the next three years."))
        return when

    def clean_participant_code(self):
        code = self.cleaned_data["participant_code"].strip()
        if code:
            code_validator(code)
        return code

    def clean(self):
        cleaned = super().clean()
        if self.referral_rows is not None and self.unknown_referrals:
            self.add_error(None, gettext("A service you referred to is no longer in the directory; it was left out. "
                                         "Please check the referrals."))
        code = cleaned.get("participant_code")
        participant = None
        if code:
            participant = Participant.objects.visible_to(self.user).filter(code__iexact=code).first()
            if participant is None:
                # A code new to this peer: a lookup, limited and audited.
                if code_lookups_left(self.user) <= 0:
                    self.code_lookup = CodeLookup(code, None, refused=True)
                    self.add_error(field="participant_code", error=TOO_MANY_LOOKUPS)
                    return cleaned
                participant = Participant.objects.filter(code__iexact=code).first()
                self.code_lookup = CodeLookup(code, participant)
        if cleaned.get("new_participant"):
            if participant is not None and code_recipe.is_built(code):
                # Two people with the same facts: the peer says which this is.
                if cleaned.get("someone_else"):
                    base = code_recipe.code_pattern(code_recipe.recipe()).match(code).group(1)
                    taken = Participant.objects.filter(code__istartswith=f"{base}-").values_list("code", flat=True)
                    cleaned["participant_code"] = code_recipe.with_suffix(code, {c.upper() for c in taken})
                else:
                    self.collision = True
                    self.add_error(field="participant_code", error=gettext(
                        "%(code)s belongs to someone already. If this is them, untick “New participant”. "
                        "If this is someone else with the same answers, tick “This is someone else” and "
                        "their code gets a number at the end.") % {"code": code})
            elif participant is not None:
                self.add_error(field="participant_code",
                               error=gettext("That code is taken. Leave it empty and we will make one."))
        elif code:
            if participant is None:
                self.add_error(
                    field="participant_code",
                    error=gettext("No participant has that code. Check the spelling, or tick "
                            "“New participant” to add them."),
                )
            cleaned["participant"] = participant
        return cleaned

    def supplies(self) -> dict[SupplyItem, tuple[int, int]]:
        """(handed out, collected) per item, for the items with either."""
        rows = {}
        for item in self.supply_items:
            count = self.cleaned_data.get(f"supply_{item.pk}") or 0
            collected = self.cleaned_data.get(f"collected_{item.pk}") or 0
            if count or collected:
                rows[item] = (count, collected)
        return rows

    @transaction.atomic
    def save(self, key: uuid.UUID | None = None) -> CheckIn:
        """Write the check-in, its participant (if new), supplies and referrals in one go.

        Raises ValidationError (for the form) when a new participant's code was
        taken between the form's check and this save.

        A new check-in passes the form's idempotency `key`: it belongs to the
        form's user and keeps the key and the submission's digest (docs/checkins.md).
        An edit passes none and keeps the author, key and digest it has.
        """
        checkin = super().save(commit=False)
        if key is not None:
            checkin.key = key
            checkin.peer = self.user
            checkin.submission_digest = submission_digest(self.data)
        if self.cleaned_data.get("new_participant"):
            code = self.cleaned_data.get("participant_code")
            name = self.cleaned_data.get("preferred_name", "")
            if code:
                try:
                    with transaction.atomic():
                        checkin.participant = Participant.objects.create(
                            code=code, preferred_name=name, created_by=self.user)
                except IntegrityError:
                    # Another peer saved a new participant with this code since the check.
                    raise ValidationError({"participant_code": gettext(
                        "That code was just taken by someone else. Leave it empty and we will make "
                        "one, or choose another.")}) from None
            else:
                checkin.participant = Participant.create_with_code(self.user, name)
        else:
            checkin.participant = self.cleaned_data.get("participant")
        if self.data.get("language_hints_shown") == "1":
            # The coach offered a suggestion while this was typed: a flag for review, never the words.
            checkin.language_hints_shown = True
        checkin.save()
        SupplyGiven.objects.filter(checkin=checkin).delete()
        SupplyGiven.objects.bulk_create(
            SupplyGiven(checkin=checkin, item=item, count=count, collected=collected)
            for item, (count, collected) in self.supplies().items()
        )
        self._save_reversal(checkin)
        wanted = {row["service"].pk: row["status"] for row in self.referral_rows}
        checkin.referrals.exclude(service_id__in=wanted).delete()
        saved = {r.service_id: r for r in checkin.referrals.all()}
        for service_id, status in wanted.items():
            referral = saved.get(service_id)
            if referral is None:
                Referral.offer(checkin, service_id, status, by=self.user)
            elif referral.status != status:
                # Changed on the form: a dated line in its history, like a tap on the participant page.
                referral.move_to(status, by=self.user)
        return checkin

    def _save_reversal(self, checkin: CheckIn) -> None:
        """The reversal told at this check-in: made, changed, or gone when its fields were emptied."""
        if not reversal_reported(self.cleaned_data):
            if self.reversal is not None:
                self.reversal.delete()
            return
        reversal = self.reversal or OverdoseReversal(reported_by=checkin.peer)
        reversal.checkin = checkin
        reversal.participant = checkin.participant
        reversal.reported_on = checkin.happened_on
        fill_reversal(reversal, self.cleaned_data)
        reversal.save()


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Addendum"), widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what you want to add to the check-in.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["text"], 5000)


class CheckInFilterForm(forms.Form):
    participant = forms.CharField(label=_("Participant code"), required=False, max_length=20)
    method = ShortListField(
        label=_("How"), queryset=ContactMethod.objects.all(), required=False, empty_label=_("Any way")
    )
    program = ShortListField(label=_("Program"), queryset=Program.objects.all(), required=False,
                             empty_label=_("Any program"))
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def apply_to(self, queryset):
        """The check-ins that match the filters; all of them while a filter cannot be read."""
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("participant"):
            queryset = queryset.filter(participant__code__iexact=data["participant"].strip())
        if data.get("method"):
            queryset = queryset.filter(method=data["method"])
        if data["program"]:
            queryset = queryset.filter(program=data["program"])
        if data["start"]:
            queryset = queryset.filter(happened_at__date__gte=data["start"])
        if data["end"]:
            queryset = queryset.filter(happened_at__date__lte=data["end"])
        return queryset


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("Feedback or a question"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("What went well, what to try next time. The peer reads this in their feedback inbox."),
    )
    mark_reviewed = forms.BooleanField(label=_("Mark reviewed"), required=False, initial=True)

    def __init__(self, *args, require_text: bool, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self.fields["text"], 4000)
        self.fields["text"].required = require_text
        self.fields["text"].error_messages["required"] = _("Write your reply, then send it.")
        if require_text:
            self.fields["text"].label = _("Reply")
            self.fields["text"].help_text = ""
            del self.fields["mark_reviewed"]


class ReviewFilterForm(CheckInFilterForm):
    peer = ShortListField(label=_("Peer"), queryset=None, required=False, empty_label=_("Everyone on my team"))

    field_order = ["peer", "program", "start", "end"]

    def __init__(self, *args, supervisor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peer"].queryset = User.objects.supervised_by(supervisor).order_by("first_name")
        self.fields["peer"].label_from_instance = lambda u: u.get_short_name() or u.username
        del self.fields["participant"], self.fields["method"]

    def apply_to(self, queryset):
        queryset = super().apply_to(queryset)
        if self.is_valid() and self.cleaned_data["peer"]:
            queryset = queryset.filter(peer=self.cleaned_data["peer"])
        return queryset


class DashboardFilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    program = ShortListField(label=_("Program"), queryset=Program.objects.all(), required=False,
                             empty_label=_("All programs"))
    team = ShortListField(label=_("Team"), queryset=None, required=False, empty_label=_("All teams"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user.has_perm("sessions_app.view_all_dashboard"):
            self.fields["team"].queryset = Team.objects.all()
        else:
            self.fields["team"].queryset = user.supervised_teams.all()
            self.fields["team"].empty_label = _("All my teams")

    def clean(self):
        cleaned = super().clean()
        for name in ("start", "end"):
            check_date_range(self, name, timezone.localdate() + timedelta(days=366))
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error(field="end", error=gettext("The end date comes before the start date."))

        return cleaned

    def scope(self) -> Scope:
        data = self.cleaned_data if self.is_valid() else {}
        return scope_for(self.user, start=data.get("start"), end=data.get("end"),
                         team=data.get("team"), program=data.get("program"))

    def show_range(self, scope: Scope) -> None:
        """Fill the empty date fields with the range the figures cover, so the
        form says what the lede says; a date typed (even a wrong one) stays."""
        data = self.data.copy()
        for name, day in (("start", scope.start), ("end", scope.end)):
            if not data.get(name):
                data[name] = day.isoformat()
        self.data = data


class FunderReportForm(DashboardFilterForm):
    """The funder report's choices: a quarter (or a range), program, team, funders left out."""

    quarter = forms.ChoiceField(label=_("Quarter"), required=False)
    leave_out = forms.ModelMultipleChoiceField(
        label=_("Leave out supplies paid for by"), queryset=FundingSource.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["quarter", "start", "end", "program", "team", "leave_out"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [("", _("A range of dates instead")), *recent_quarters(timezone.localdate())]
        self.fields["start"].help_text = _("Used when no quarter is chosen.")

    def clean(self):
        cleaned = super().clean()
        quarter = cleaned.get("quarter")
        if quarter:
            year, number = quarter.split("-Q")
            cleaned["start"], cleaned["end"] = quarter_range(int(year), int(number))
        return cleaned

    def left_out(self) -> list:
        return list(self.cleaned_data.get("leave_out") or []) if self.is_valid() else []
