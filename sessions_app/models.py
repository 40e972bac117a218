import re
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from harmreduction.models import User

# Short, plain words that are easy to say aloud across a noisy street and hard
# to mishear; a code is one of them and three digits ("Cedar-482").
CODE_WORDS = (
    "Amber Aspen Basil Birch Brook Cedar Clay Clover Coral Creek Dawn Delta Dune Elm Fern Field "
    "Finch Flint Frost Glade Grove Harbor Hazel Heron Hill Iris Ivy Jade Juniper Kelp Lake Lark "
    "Laurel Lilac Maple Meadow Mesa Mint Moss Oak Ocean Olive Orchid Pebble Pine Plum Quill Rain "
    "Reed Ridge River Robin Rowan Sage Sky Sparrow Spruce Stone Sun Thistle Tide Willow Wren"
).split()

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9-]{1,19}$",
    _("Use 2 to 20 letters, digits or hyphens, starting with a letter or digit."),
)


def generate_code() -> str:
    return f"{secrets.choice(CODE_WORDS)}-{secrets.randbelow(900) + 100}"


# A code drawn by generate_code: two of them a digit apart are two people, drawn apart on purpose.
RANDOM_CODE = re.compile(rf"^(?:{'|'.join(CODE_WORDS)})-\d{{3}}$", re.IGNORECASE)


def one_letter_apart(a: str, b: str) -> bool:
    """Whether two codes differ by one letter changed, added or dropped, or two side by side swapped."""
    a, b = a.upper(), b.upper()
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


# Names shared by more people than this are not listed as possible duplicates.
SHARED_NAME_LIMIT = 4


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Participants this user has met, or whom their team has met if they supervise it."""
        return self.filter(
            Q(created_by=user) | Q(checkins__in=CheckIn.objects.visible_to(user))
        ).distinct()

    def possible_duplicates(self, limit: int = 100) -> list[tuple["Participant", "Participant", str]]:
        """Pairs that may be one person: the same preferred name, or codes one letter apart.

        Two queries whatever the data: every (id, code, name), then the pairs found.
        A name more than SHARED_NAME_LIMIT people go by is left out.
        Codes one letter apart are looked for among codes not drawn at random
        (typed or built from someone's answers), through their one-letter-dropped
        forms: two codes one letter apart share one of them.
        """
        rows = list(self.values_list("pk", "code", "preferred_name").order_by("pk"))
        pairs: dict[tuple[int, int], str] = {}
        by_name: dict[str, list[int]] = {}
        for pk, _code, name in rows:
            if name.strip():
                by_name.setdefault(name.strip().casefold(), []).append(pk)
        for pks in by_name.values():
            # A name many people go by ("Mike") says little, and would list every pair of them.
            if len(pks) > SHARED_NAME_LIMIT:
                continue
            for i, a in enumerate(pks):
                for b in pks[i + 1:]:
                    pairs[(a, b)] = "name"
        codes = {pk: code for pk, code, _name in rows if not RANDOM_CODE.match(code)}
        by_key: dict[str, list[int]] = {}
        for pk, code in codes.items():
            upper = code.upper()
            for key in {upper, *(upper[:i] + upper[i + 1:] for i in range(len(upper)))}:
                by_key.setdefault(key, []).append(pk)
        for pks in by_key.values():
            for i, a in enumerate(pks):
                for b in pks[i + 1:]:
                    pair = (min(a, b), max(a, b))
                    if pair not in pairs and one_letter_apart(codes[a], codes[b]):
                        pairs[pair] = "code"
        chosen = sorted(pairs.items())[:limit]
        people = Participant.objects.in_bulk({pk for pair, _why in chosen for pk in pair})
        return [(people[a], people[b], why) for (a, b), why in chosen]


class Participant(models.Model):
    """A person we support, known only by a pseudonymous code.

    No legal name, date of birth or address: if a note leaks, it must not say who.
    """

    code = models.CharField(max_length=20, unique=True, validators=[code_validator])
    preferred_name = models.CharField(
        _("what they like to be called"), max_length=40, blank=True,
        help_text=_("Optional. A first name or nickname they chose, never a legal name."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        permissions = [("merge_participant", _("Can merge two participants into one"))]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("sessions_app:participant_detail", args=[self.pk])

    @classmethod
    def create_with_code(cls, created_by, preferred_name: str = "") -> "Participant":
        for _attempt in range(20):
            code = generate_code()
            if not cls.objects.filter(code__iexact=code).exists():
                try:
                    with transaction.atomic():
                        return cls.objects.create(code=code, preferred_name=preferred_name, created_by=created_by)
                except IntegrityError:
                    continue  # Made by another save since the check: draw again.
        raise RuntimeError("Could not find a free participant code.")

    def name_shown_to(self, user) -> bool:
        """Whether `user` sees the name this person likes to be called.

        It stays with the team that added them: whoever added them, their team,
        and that team's supervisor. A peer of another team who meets the person
        by their code sees the code only (docs/security.md, "Participant codes").
        """
        creator = self.created_by
        if creator.pk == user.pk:
            return True
        team = creator.team
        return team is not None and (team.pk == user.team_id or team.supervisor_id == user.pk)


class ChoiceList(models.Model):
    """An admin-editable list entry (how we met, program, supply item)."""

    name = models.CharField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class ContactMethod(ChoiceList):
    class Meta(ChoiceList.Meta):
        verbose_name = _("how we met")
        verbose_name_plural = _("how we met")


class Program(ChoiceList):
    class Meta(ChoiceList.Meta):
        verbose_name = _("program")
        verbose_name_plural = _("programs")


class FundingSource(ChoiceList):
    """Who pays for a supply item (a grant, a county's opioid-settlement fund).

    Reports split supplies by it, or leave a funder's items out: some funders
    no longer pay for fentanyl test strips, and their report must not count them.
    """

    class Meta(ChoiceList.Meta):
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")


class SupplyItem(ChoiceList):
    """Something handed out, and how funders count it.

    A peer counts what they hand over ("2 naloxone kits"); a funder counts in
    `unit` ("4 doses"): `units_per_handout` converts, so figures give both
    (a naloxone kit with two doses counts two doses: docs/checkins.md).
    """

    handed_out_as = models.CharField(
        _("handed out as"), max_length=30, default="items",
        help_text=_("What a peer counts when handing it over, plural: kits, boxes, packs, syringes."),
    )
    unit = models.CharField(
        _("unit funders count"), max_length=30, default="items",
        help_text=_("What reports count, plural: doses, strips, syringes, kits."),
    )
    units_per_handout = models.PositiveSmallIntegerField(
        _("units per handout"), default=1, validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("How many units one handout holds: 2 for a naloxone kit with two doses."),
    )
    naloxone = models.BooleanField(
        _("is naloxone"), default=False, help_text=_("Its units count as naloxone doses distributed."),
    )
    collected = models.BooleanField(
        _("also collected back"), default=False,
        help_text=_("People return these to us for disposal (used syringes): the check-in asks how many."),
    )
    funding_source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, null=True, blank=True, related_name="items",
        verbose_name=_("funding source"),
        help_text=_("Who pays for it. Reports can split by funder or leave a funder's items out."),
    )

    class Meta(ChoiceList.Meta):
        verbose_name = _("supply item")
        verbose_name_plural = _("supply items")


class CheckInQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.happened_on = timezone.localdate(obj.happened_at)
        return super().bulk_create(objs, *args, **kwargs)

    def visible_to(self, user):
        """A peer sees their own check-ins; a supervisor also sees their team's."""
        # One IN over the people whose notes this user may read, so the index
        # on (peer, happened_at) serves it; an OR across a join would not.
        readable = (User.objects.filter(pk=user.pk) | User.objects.supervised_by(user)).values("pk")
        return self.filter(peer__in=readable)


class CheckIn(models.Model):
    """One contact between a peer and a person they support (or an anonymous contact)."""

    # The form carries this key from the moment it is opened: submitting the
    # same form twice (double tap, a retry after a dropped connection) finds
    # the check-in the first submit made instead of making another.
    key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    # A fingerprint of the form as it was submitted (forms.submission_digest): the
    # same key with the same content is a repeated submit; the same key with other
    # content is another check-in typed on a stale form, never "already saved".
    submission_digest = models.CharField(max_length=64, blank=True, editable=False)
    peer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkins"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="checkins",
        verbose_name=_("participant"), help_text=_("Leave empty for an anonymous contact."),
    )
    happened_at = models.DateTimeField(_("when"), default=timezone.now)
    # The local calendar day of `happened_at`, kept so program figures can
    # group and filter by day with a plain index instead of per-row date maths.
    happened_on = models.DateField(editable=False, db_index=True)
    method = models.ForeignKey(ContactMethod, on_delete=models.PROTECT, verbose_name=_("how"))
    program = models.ForeignKey(Program, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("program"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )
    topics = models.JSONField(_("topics talked about"), default=list, blank=True)
    goals = models.TextField(_("their goals, in their own words"), blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_note = models.CharField(_("what for"), max_length=200, blank=True)
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Whether the language coach offered a suggestion while this was written:
    # a flag for the supervisor's queue, never the words themselves.
    language_hints_shown = models.BooleanField(default=False)

    objects = CheckInQuerySet.as_manager()

    # A note this long is flagged in the review queue: it may carry more than a check-in should.
    LONG_NOTE = 1200

    class Meta:
        ordering = ["-happened_at", "-pk"]
        # Lists walk these backwards, newest first, and stop after a page.
        indexes = [
            models.Index(fields=["peer", "-happened_at", "-id"]),
            models.Index(fields=["-happened_at", "-id"]),
            models.Index(fields=["happened_on", "peer"]),
            # The review queue: unreviewed, oldest first. With id in it, the queue's page
            # of ids and its count are index-only scans (sessions_app.views.review_queue).
            models.Index(
                fields=["peer", "created_at", "id"], condition=Q(reviewed_at__isnull=True),
                name="checkin_unreviewed",
            ),
        ]
        permissions = [
            ("review_checkin", _("Can review the team's check-ins")),
            ("view_dashboard", _("Can see program figures")),
            ("view_all_dashboard", _("Can see the whole organization's figures")),
            ("export_notes", _("Can export check-in notes (42 CFR Part 2)")),
        ]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        when = date_format(timezone.localtime(self.happened_at), "SHORT_DATETIME_FORMAT")
        if self.participant_id:
            return _("Check-in with %(code)s, %(when)s") % {"code": self.participant.code, "when": when}
        return _("Check-in with an anonymous contact, %(when)s") % {"when": when}

    def save(self, *args, **kwargs):
        self.happened_on = timezone.localdate(self.happened_at)
        if kwargs.get("update_fields") is not None and "happened_at" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "happened_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("sessions_app:checkin_detail", args=[self.pk])

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    def can_edit(self, user) -> bool:
        """Like a clinical note: the author edits until review, then only adds addenda."""
        return self.peer_id == user.pk and not self.is_reviewed

    @property
    def follow_up_state(self) -> str:
        """"done", "overdue", "due" (today), "upcoming" or "" when none was asked for."""
        if not self.follow_up_on:
            return ""
        if self.follow_up_done_at:
            return "done"
        today = timezone.localdate()
        if self.follow_up_on < today:
            return "overdue"
        return "due" if self.follow_up_on == today else "upcoming"

    def mark_reviewed(self, by) -> None:
        self.reviewed_at = timezone.now()
        self.reviewed_by = by
        self.save(update_fields=["reviewed_at", "reviewed_by", "updated_at"])


class FeedbackQuerySet(models.QuerySet):
    def for_user(self, user):
        """Messages on check-ins this user wrote or supervises, written by someone else."""
        return self.filter(
            Q(checkin__peer=user) | Q(checkin__peer__in=User.objects.supervised_by(user))
        ).exclude(author=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Feedback(models.Model):
    """Supportive feedback from a supervisor, or a question and its answer, on one check-in.

    Written by either side; it is "to" the other one, who sees it unread until they open it.
    """

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return _("Feedback on check-in %(id)s") % {"id": self.checkin_id}


@transaction.atomic
def merge_participants(keep: Participant, other: Participant) -> dict[str, int]:
    """Make `other` part of `keep`: everything that points at `other` (check-ins, and with them
    their referrals and supplies) moves to `keep`, then `other` goes. Returns what moved, per kind.

    Every relation to Participant is followed, so a record added later moves too.
    """
    if keep.pk == other.pk:
        raise ValueError("A participant cannot be merged into themselves.")
    moved = {}
    for relation in Participant._meta.related_objects:
        if relation.one_to_many:
            count = relation.related_model._base_manager.filter(**{relation.field.name: other}).update(
                **{relation.field.name: keep})
            moved[relation.related_model._meta.label_lower] = count
    if not keep.preferred_name and other.preferred_name:
        keep.preferred_name = other.preferred_name
        keep.save(update_fields=["preferred_name"])
    other.delete()
    return moved


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Referrals made in check-ins this user may read: a peer's own, a supervisor's team's."""
        return self.filter(checkin__in=CheckIn.objects.visible_to(user))

    def to_check_back(self):
        """Referrals still waiting for an outcome, with a day to ask how it went."""
        return self.filter(check_back_on__isnull=False, status__in=Referral.OPEN)


class Referral(models.Model):
    """A service from the directory offered during a check-in, and how far it got.

    The status is the latest line of its history (ReferralStatusChange): offered,
    accepted, then connected or not connected (with a reason), then engaged; or
    declined. `move_to` keeps the two in step (docs/checkins.md, "Referrals").
    """

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        CONNECTED = "connected", _("Connected")
        NOT_CONNECTED = "not_connected", _("Not connected")
        ENGAGED = "engaged", _("Engaged")
        DECLINED = "declined", _("Declined")

    class Reason(models.TextChoices):
        # Why a referral did not connect: short, countable, never a story about the person.
        WAITLIST = "waitlist", _("Waitlist or no opening")
        NOT_ELIGIBLE = "not_eligible", _("Turned away or not eligible")
        TRANSPORT = "transport", _("No way to get there")
        COST = "cost", _("Cost or insurance")
        CHANGED_MIND = "changed_mind", _("Changed their mind")
        LOST_CONTACT = "lost_contact", _("We lost touch")
        OTHER = "other", _("Something else")

    # Still waiting for an outcome: these stay on the follow-ups list.
    OPEN = (Status.OFFERED, Status.ACCEPTED)
    # What a check-in form can say at the time; outcomes come later, from the participant page.
    FORM_STATUSES = (Status.OFFERED, Status.ACCEPTED, Status.CONNECTED, Status.DECLINED)
    # The next steps offered as buttons for each status (any change is allowed; these are the usual ones).
    NEXT = {
        Status.OFFERED: (Status.ACCEPTED, Status.CONNECTED, Status.NOT_CONNECTED, Status.DECLINED),
        Status.ACCEPTED: (Status.CONNECTED, Status.NOT_CONNECTED, Status.DECLINED),
        Status.CONNECTED: (Status.ENGAGED, Status.NOT_CONNECTED),
        Status.NOT_CONNECTED: (Status.CONNECTED, Status.ACCEPTED),
        Status.ENGAGED: (),
        Status.DECLINED: (Status.ACCEPTED,),
    }
    # Reached at some point, whatever came after (the funnel on the dashboard).
    REACHED_ACCEPTED = (Status.ACCEPTED, Status.CONNECTED, Status.ENGAGED)
    REACHED_CONNECTED = (Status.CONNECTED, Status.ENGAGED)

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="referrals")
    service = models.ForeignKey("resources.Service", on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(max_length=13, choices=Status.choices, default=Status.OFFERED)
    reason = models.CharField(max_length=13, choices=Reason.choices, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # "Check back on": set when offered (REFERRAL_CHECK_BACK_DAYS later), cleared by an outcome.
    check_back_on = models.DateField(null=True, blank=True, db_index=True)
    # Whole days from the check-in to the first "connected" (for the median on the dashboard).
    days_to_connect = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["checkin", "service"], name="one_referral_per_service")]

    def __str__(self) -> str:
        return f"{self.service} ({self.get_status_display()})"

    @classmethod
    def offer(cls, checkin: CheckIn, service_id: int, status: str, by) -> "Referral":
        """A referral made in a check-in: offered then, and moved on at once if the form said so."""
        referral = cls(checkin=checkin, service_id=service_id)
        referral.move_to(cls.Status.OFFERED, by=by, when=checkin.happened_at)
        if status != cls.Status.OFFERED:
            referral.move_to(status, by=by, when=checkin.happened_at)
        return referral

    @classmethod
    def form_choices(cls, current: str = "") -> list[tuple[str, str]]:
        """The statuses a check-in form offers, and the one a referral has now if it moved on since."""
        return [(s.value, s.label) for s in cls.Status if s in cls.FORM_STATUSES or s == current]

    @property
    def next_statuses(self):
        return [(s, s.label) for s in self.NEXT.get(self.status, ())]

    @property
    def check_back_state(self) -> str:
        """"overdue", "due" (today), "upcoming", or "" when there is nothing to check."""
        if not self.check_back_on or self.status not in self.OPEN:
            return ""
        today = timezone.localdate()
        if self.check_back_on < today:
            return "overdue"
        return "due" if self.check_back_on == today else "upcoming"

    @transaction.atomic
    def move_to(self, status: str, *, by, reason: str = "", when=None) -> "ReferralStatusChange":
        """Record a new status (a dated line in the history) and keep the referral in step."""
        when = when or timezone.now()
        status = self.Status(status)
        reason = reason if status == self.Status.NOT_CONNECTED else ""
        self.status, self.reason, self.status_changed_at = status, reason, when
        if status in self.OPEN:
            days = getattr(settings, "REFERRAL_CHECK_BACK_DAYS", 7)
            self.check_back_on = timezone.localdate(when) + timedelta(days=days)
        else:
            self.check_back_on = None
        if status in self.REACHED_CONNECTED and self.days_to_connect is None:
            self.days_to_connect = max(0, (timezone.localdate(when) - self.checkin.happened_on).days)
        self.save()
        return ReferralStatusChange.objects.create(referral=self, status=status, reason=reason, at=when, by=by)


class ReferralStatusChange(models.Model):
    """One dated step of a referral: who moved it to which status, and why not, if it did not connect."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(max_length=13, choices=Referral.Status.choices)
    reason = models.CharField(max_length=13, choices=Referral.Reason.choices, blank=True)
    at = models.DateTimeField(default=timezone.now)
    # Null for lines carried over from before the history was kept.
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+")

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["referral", "status"])]

    def __str__(self) -> str:
        return _("%(status)s on %(day)s") % {
            "status": self.get_status_display(), "day": date_format(timezone.localtime(self.at), "MONTH_DAY_FORMAT")}


class SupplyGiven(models.Model):
    """One supply item at one check-in: how many handed out and, for items we
    take back (used syringes), how many collected for disposal. One of the two
    may be 0, never both."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="supplies")
    item = models.ForeignKey(SupplyItem, on_delete=models.PROTECT)
    count = models.PositiveSmallIntegerField(_("handed out"), default=0, validators=[MaxValueValidator(999)])
    collected = models.PositiveIntegerField(
        _("collected for disposal"), default=0, validators=[MaxValueValidator(9999)]
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checkin", "item"], name="one_row_per_supply")]

    def __str__(self) -> str:
        if self.collected and not self.count:
            return _("%(n)s × %(item)s collected") % {"n": self.collected, "item": self.item}
        if self.collected:
            return _("%(n)s × %(item)s, %(collected)s collected") % {
                "n": self.count, "item": self.item, "collected": self.collected}
        return f"{self.count} × {self.item}"


class OverdoseReversalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reversals reported by this user, or by their team if they supervise it."""
        readable = (User.objects.filter(pk=user.pk) | User.objects.supervised_by(user)).values("pk")
        return self.filter(reported_by__in=readable)


class OverdoseReversal(models.Model):
    """An overdose a participant reversed (or tried to), told to a peer: a short record, no names.

    Reported at a check-in (`checkin` set) or on the participant's page. Every
    field but the report itself may be unknown: a count from before these
    records existed came over with nothing but its check-in's day.
    """

    class Outcome(models.TextChoices):
        ALIVE = "alive", _("Survived")
        HOSPITAL = "hospital", _("Survived, went to hospital")
        DIED = "died", _("Died")
        UNKNOWN = "unknown", _("Not known")

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="reversals",
        verbose_name=_("participant"),
        help_text=_("Who told us (they gave the naloxone); empty for an anonymous contact."),
    )
    checkin = models.ForeignKey(
        CheckIn, on_delete=models.CASCADE, null=True, blank=True, related_name="reversals"
    )
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The day it was told to us: what reports count by (a quarter's "reversals reported").
    reported_on = models.DateField(db_index=True)
    happened_on = models.DateField(_("when"), null=True, blank=True)
    area = models.CharField(
        _("rough area or ZIP"), max_length=40, blank=True,
        help_text=_("A neighbourhood, a cross street or a ZIP code. Never an address or a name."),
    )
    naloxone_doses = models.PositiveSmallIntegerField(
        _("naloxone doses used"), null=True, blank=True, validators=[MaxValueValidator(20)]
    )
    ems_called = models.BooleanField(_("911 / EMS called"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.UNKNOWN)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OverdoseReversalQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("overdose reversal")
        verbose_name_plural = _("overdose reversals")

    def __str__(self) -> str:
        return _("Overdose reversal reported %(day)s") % {"day": date_format(self.reported_on, "DATE_FORMAT")}


class Addendum(models.Model):
    """Added to a reviewed check-in; the original is never overwritten."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")

    def __str__(self) -> str:
        return _("Addendum to check-in %(id)s") % {"id": self.checkin_id}


class Draft(models.Model):
    """The check-in form as last typed, kept on the server so nothing is lost.

    One per user: a reload, a tablet waking from sleep or signing in again
    after the session ran out brings it back. Deleted when the check-in is saved.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return _("Check-in draft for user %(id)s") % {"id": self.user_id}



class ReturnedCheckInQuerySet(models.QuerySet):
    def waiting_for(self, user):
        """What this person sent without signal and still has to look at again, oldest first."""
        return self.filter(user=user, checkin__isnull=True).order_by("created_at", "pk")


class ReturnedCheckIn(models.Model):
    """A check-in saved without signal that the server could not keep as it was
    (a mistyped participant code, a date out of range, a form already saved
    with other content): it comes back to its author to fix, never dropped.

    `sealed_key` is the key the form carried when it was sealed, so the same
    sealed check-in sent twice is one row; `key` is the one the fixed check-in
    gets. Once fixed, `checkin` points at it and `data` is emptied.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sealed_key = models.UUIDField(editable=False)
    key = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    data = models.JSONField(default=dict)
    captured_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    checkin = models.OneToOneField(CheckIn, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = ReturnedCheckInQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "sealed_key"], name="one_return_per_sealed_checkin")]

    def __str__(self) -> str:
        return _("Check-in returned to user %(id)s") % {"id": self.user_id}

    def get_absolute_url(self) -> str:
        return reverse("sessions_app:checkin_returned", args=[self.pk])


# 42 CFR § 2.32(a)(1), "Statement 1", as amended by the final rule of
# 16 February 2024 (89 FR 12472). Every export or print of notes carries it:
# pages and note exports in the reader's language (part2_notice), the
# organization's archive (harmreduction.org_export) in the regulation's English.
PART2_NOTICE = gettext_noop(
    "This record which has been disclosed to you is protected by Federal confidentiality rules "
    "(42 CFR part 2). These rules prohibit you from using or disclosing this record, or testimony "
    "that describes the information contained in this record, in any civil, criminal, "
    "administrative, or legislative proceedings by any Federal, State, or local authority, against "
    "the patient, unless authorized by the consent of the patient, except as provided at 42 CFR "
    "2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. In addition, the "
    "Federal rules prohibit you from making any other use or disclosure of this record unless at "
    "least one of the following applies: (i) Further use or disclosure is expressly permitted by the "
    "written consent of the individual whose information is being disclosed in this record or as "
    "otherwise permitted by 42 CFR part 2. (ii) You are a covered entity or business associate and "
    "have received the record for treatment, payment, or health care operations, or (iii) You have "
    "received the record from a covered entity or business associate as permitted by 45 CFR part "
    "164, subparts A and E. A general authorization for the release of medical or other information "
    "is NOT sufficient to meet the required elements of written consent to further use or redisclose "
    "the record (see 42 CFR 2.31)."
)


def part2_notice() -> str:
    """The Part 2 notice in the reader's language; its translation keeps the regulation's name and numbers."""
    return gettext(PART2_NOTICE)
