import csv
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Length
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from harmreduction.app_shell import offline_copy, wants_copy
from harmreduction.models import AuditEvent, User
from resources.language import find_terms
from resources.models import Service, Term
from resources.views import HtmxHttpRequest
from sessions_app import code_recipe
from sessions_app import funder_report as funder
from sessions_app.charts import bar_chart, column_chart
from sessions_app.dashboard import cached_figures, figures, suppress
from sessions_app.forms import (
    AddendumForm,
    CheckInFilterForm,
    CheckInForm,
    DashboardFilterForm,
    FeedbackForm,
    FunderReportForm,
    ReversalForm,
    ReviewFilterForm,
    draft_problem,
    fill_reversal,
    is_id,
    submission_digest,
)
from sessions_app.models import (
    Addendum,
    CheckIn,
    Draft,
    Feedback,
    OverdoseReversal,
    Participant,
    Referral,
    ReturnedCheckIn,
    merge_participants,
    part2_notice,
)
from sessions_app.sealed import SEALED_MAX_BYTES, SealError, open_sealed

COACHED_FIELDS = {"note", "goals"}

TOTAL_LABELS = [
    ("contacts", gettext_lazy("Contacts")),
    ("participants", gettext_lazy("Unique participants")),
    ("new_participants", gettext_lazy("New participants")),
    ("anonymous", gettext_lazy("Anonymous contacts")),
    ("overdoses_reversed", gettext_lazy("Overdoses reversed")),
    ("naloxone_used", gettext_lazy("Naloxone doses used")),
    ("follow_ups_done", gettext_lazy("Follow-ups completed")),
]


# A spreadsheet runs a cell that starts with one of these as a formula (CSV
# injection, OWASP): a note typed as "=HYPERLINK(...)" must open as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _get_checkin_for_user(request, pk: int) -> CheckIn:
    """The check-in if this user may see it; anyone else's is a 404, not a 403."""
    return get_object_or_404(
        CheckIn.objects.visible_to(request.user).select_related("participant", "method", "program", "peer"),
        pk=pk,
    )


def _get_own_checkin(request, pk: int) -> CheckIn:
    """The check-in if this user wrote it: another one they may read (their team's) is a 403,
    one they may not read a 404, as in _get_checkin_for_user."""
    checkin = _get_checkin_for_user(request, pk)
    if checkin.peer_id != request.user.pk:
        raise PermissionDenied(_("Only the peer who wrote a check-in can change it or add to it."))
    return checkin


def _draft_initial(data: dict) -> dict:
    # Stored as lists (a form can send a field several times); single values back to scalars.
    multi = {"topics", "referral_service", "referral_remove"}
    return {k: (v if k in multi else v[-1]) for k, v in data.items() if v}


def _known_participants(user) -> list[str]:
    """Codes of the people this peer met lately, newest first, for the code field's suggestions."""
    # The peer's last 300 contacts, read newest first down the (peer, happened_at) index.
    recent = (
        CheckIn.objects.filter(peer=user, participant__isnull=False)
        .order_by("-happened_at", "-id")
        .values_list("participant__code", flat=True)[:300]
    )
    return list(dict.fromkeys(recent))[:100]


@require_http_methods(["GET", "POST"])
@offline_copy
@permission_required("sessions_app.add_checkin", raise_exception=True)
def checkin_new(request):
    draft = Draft.objects.filter(user=request.user).first()
    if draft and _saved_key(draft.data):
        # An autosave that reached the server after its check-in was saved: that
        # check-in is stored, so this is no draft to bring back.
        draft.delete()
        draft = None
    if request.method == "POST":
        key = _form_key(request.POST) or uuid.uuid4()
        round_trip = _referral_round_trip(request)
        if round_trip is not None:
            # Without JavaScript: find or add a referral, the form coming back as typed.
            form, extra = round_trip
            data = _draft_data(request.POST)
            if draft_problem(data) is None and not _saved_key(data):
                # Kept as a draft too, as JavaScript's autosave would have.
                draft, _created = Draft.objects.update_or_create(user=request.user, defaults={"data": data})
            return _render_checkin_form(request, form, key, draft, **extra)
        existing = CheckIn.objects.filter(key=key, peer=request.user).first()
        form = CheckInForm(request.POST, user=request.user)
        if existing is not None and existing.submission_digest in ("", submission_digest(request.POST)):
            # The same form submitted again: the first submit already saved it.
            messages.info(request, _("This check-in was already saved."))
            return redirect(existing)
        if existing is not None:
            # Another check-in typed on a form that was already saved once: never
            # dropped as "already saved". Shown back as typed, with a key of its own.
            key = uuid.uuid4()
            messages.warning(request, format_html(
                _('A check-in from this form was already saved (<a href="{url}">open it</a>). What is here now '
                  "is different and is not saved yet: check it and tap Save check-in to keep it as a new one."),
                url=existing.get_absolute_url(),
            ))
            return _render_checkin_form(request, form, key, draft)
        valid = form.is_valid()
        _audit_code_lookup(request, form)
        if valid:
            try:
                checkin = _save_checkin_and_audit(request, form, key)
            except ValidationError as error:
                # A new participant's code, taken by another peer since the form's check.
                form.add_error(None, error)
            else:
                Draft.objects.filter(user=request.user).delete()
                messages.success(request, _("Check-in saved. Thank you for showing up for people."))
                # The check-in's page offers the next one, and a new participant's code to read out.
                is_new = checkin.participant and form.cleaned_data.get("new_participant")
                new_code = checkin.participant.code if is_new else ""
                request.session["just_saved"] = {"pk": checkin.pk, "new_code": new_code}
                if form.cleaned_data.get("someone_else") and checkin.participant:
                    messages.info(request, _(
                        "Their code is %(code)s. The number at the end is theirs to remember: the facts "
                        "alone lead to someone else.") % {"code": checkin.participant.code})
                return redirect(checkin)
        messages.error(request, _("A few things need another look. Everything you typed is still here."))
    else:
        if wants_copy(request):
            # The copy the service worker keeps for use without signal (docs/offline.md):
            # a blank form, no draft, no codes of people met, no message used up.
            form = CheckInForm(user=request.user)
            return _render_checkin_form(request, form, uuid.uuid4(), None, offline_copy=True)
        initial = _draft_initial(draft.data) if draft else {}
        key = initial.pop("key", None) or uuid.uuid4()
        # "Add to check-in" on a directory page lands here with ?referral=<service id>.
        referral = request.GET.get("referral", "")
        # "New check-in with <code>" on a participant's page lands here with ?participant=<code>.
        code = request.GET.get("participant", "").strip()
        if code and Participant.objects.visible_to(request.user).filter(code__iexact=code).exists():
            initial["participant_code"] = code
            initial.pop("new_participant", None)
        form = CheckInForm(initial=initial, user=request.user,
                           add_referral=int(referral) if is_id(referral) else None)
        if draft:
            messages.info(request, _("We brought back the check-in you were writing."))
    return _render_checkin_form(request, form, key, draft)


def _save_checkin_and_audit(request, form: CheckInForm, key: uuid.UUID) -> CheckIn:
    """Save a valid new check-in with its audit lines, online, sent sealed or returned.

    The audit lines in the same transaction: if the database goes away between the
    two, nothing is stored, the peer sees an error and the retry (same key) saves
    both; never a check-in without its "create" line (docs/reliability.md). If a
    racing submit holds the key, that check-in is this one. Raises ValidationError
    when a new participant's code was taken since the form's check.
    """
    try:
        with transaction.atomic():
            checkin = form.save(key=key)
            AuditEvent.record(request, "create", checkin)
            if checkin.participant and form.cleaned_data.get("new_participant"):
                AuditEvent.record(request, "create", checkin.participant)
    except IntegrityError:
        checkin = get_object_or_404(CheckIn, key=key, peer=request.user)
    return checkin


# A burst of codes not found in this window is flagged to the peer's supervisor.
CODE_MISS_WINDOW = timedelta(minutes=10)
CODE_MISSES_FLAGGED = 5


def _audit_code_lookup(request, form: CheckInForm) -> None:
    """The audit line of a code new to this peer (docs/security.md, "Participant codes")."""
    lookup = form.code_lookup
    if lookup is None:
        return
    if lookup.refused:
        AuditEvent.record(request, "code lookup refused", detail=lookup.code)
    elif lookup.participant is not None:
        AuditEvent.record(request, "code lookup", lookup.participant)
    else:
        AuditEvent.record(request, "code not found", detail=lookup.code)
        since = timezone.now() - CODE_MISS_WINDOW
        recent = AuditEvent.objects.filter(user=request.user, at__gte=since)
        misses = recent.filter(action="code not found").count()
        if misses >= CODE_MISSES_FLAGGED and not recent.filter(action="code misses flagged").exists():
            AuditEvent.record(request, "code misses flagged", detail=f"{misses} codes not found in 10 minutes")


def _render_checkin_form(request, form: CheckInForm, key, draft: Draft | None, offline_copy: bool = False, **extra):
    parts = code_recipe.recipe()
    return render(request, "sessions_app/checkin_form.html", {
        "form": form,
        "code_parts": parts,
        "code_parts_json": code_recipe.as_json(parts),
        "key": key,
        "known_participants": [] if offline_copy else _known_participants(request.user),
        "draft_saved_at": draft.updated_at if draft else None,
        "offline_copy": offline_copy,
        "blank_referral": {"service": {"pk": 0, "name": ""}, "status": Referral.Status.OFFERED,
                           "choices": Referral.form_choices()},
        **extra,
    })


def _draft_data(data) -> dict[str, list[str]]:
    """A posted form as a draft keeps it: lists of values, no CSRF token, no NUL characters
    (PostgreSQL's jsonb cannot hold one; no one types one)."""
    return {
        k.replace("\x00", ""): [v.replace("\x00", "") for v in values]
        for k, values in data.lists() if k != "csrfmiddlewaretoken"
    }


def _referral_matches(user, query: str) -> list[Service]:
    """The services a referral search offers: best match first, then open now (as the directory ranks)."""
    return list(
        Service.objects.visible_to(user).listed().search(query).by_relevance(query, timezone.now())
        .select_related("organization").prefetch_related("schedules")[:8]
    )


def _referral_round_trip(request, instance: CheckIn | None = None):
    """The check-in form's referral search without JavaScript: "Find" and "Add" post the
    whole form, which comes back as typed, with the matches or the added row.

    Returns (form, extra context), or None when this post is a save: "Find" with an
    empty box is what Enter in any other field presses (it is the form's first button).
    """
    query = request.POST.get("referral_q", "").strip()[:100]
    add = request.POST.get("add_referral", "")
    if not is_id(add) and not ("find_referral" in request.POST and query):
        return None
    initial = _draft_initial(_draft_data(request.POST))
    initial.pop("key", None)
    form = CheckInForm(initial=initial, instance=instance, user=request.user,
                       add_referral=int(add) if is_id(add) else None)
    if is_id(add):
        return form, {"referral_q": query}
    return form, {"services": _referral_matches(request.user, query), "q": query, "referral_q": query}


def _form_key(data) -> uuid.UUID | None:
    """The idempotency key a check-in form carries, if it is a well-formed one."""
    try:
        return uuid.UUID(str(data.get("key", "")))
    except ValueError:
        return None


def _saved_key(draft_data: dict) -> bool:
    """Whether a draft (as stored: lists of values) carries the key of a saved check-in."""
    values = draft_data.get("key") or [""]
    key = _form_key({"key": values[-1]})
    return key is not None and CheckIn.objects.filter(key=key).exists()


@require_POST
@permission_required("sessions_app.add_checkin", raise_exception=True)
def checkin_draft(request):
    """Autosave: keep what the form holds right now (htmx posts it while the peer types)."""
    data = _draft_data(request.POST)
    problem = draft_problem(data)
    if problem:
        response = render(request, "sessions_app/checkin_form.html#draft-status", {"draft_problem": problem})
        response.status_code = 413
        return response
    if _saved_key(data):
        # This form's check-in is already saved (the autosave left before Save and
        # arrived after it): keeping it would bring the saved check-in back as a draft.
        return HttpResponse(status=204)
    Draft.objects.update_or_create(user=request.user, defaults={"data": data})
    return render(request, "sessions_app/checkin_form.html#draft-status", {"draft_saved_at": timezone.now()})


@require_POST
@permission_required("sessions_app.add_checkin", raise_exception=True)
def checkin_coach(request):
    """Gentle, person-first suggestions for what is being typed in the note or goals.

    A hint beside the field, never a block, and nothing of it is stored: the
    text is read, matched and forgotten.
    """
    field = request.POST.get("coach_field")
    if field not in COACHED_FIELDS:
        return HttpResponse(status=400)
    text = request.POST.get(field, "")[:10000]
    matches = find_terms(text, Term.objects.all())
    seen, hints = set(), []
    for match in matches:
        key = (match.text.lower(), match.suggestion)
        if key not in seen:
            seen.add(key)
            hints.append(match)
    return render(request, "sessions_app/checkin_form.html#coach", {"coach_field": field, "hints": hints})


@require_GET
@permission_required("sessions_app.add_checkin", raise_exception=True)
def checkin_referral_search(request):
    """Services matching what the peer types in the check-in's referral box (an htmx fragment)."""
    # "referral_q" from the check-in form's box; "q" as the URL was first written.
    query = (request.GET.get("referral_q") or request.GET.get("q", "")).strip()[:100]
    services = _referral_matches(request.user, query) if query else []
    return render(request, "sessions_app/checkin_form.html#referral-results", {"services": services, "q": query})


@require_GET
@permission_required("sessions_app.add_checkin", raise_exception=True)
def checkin_referral_row(request):
    """One referral row for the check-in form, added by the "Add" button of a search result."""
    service_id = request.GET.get("service", "")
    service = get_object_or_404(Service.objects.visible_to(request.user).listed().select_related("organization"),
                                pk=int(service_id) if is_id(service_id) else 0)
    response = render(request, "sessions_app/checkin_form.html#referral-row", {
        "row": {"service": service, "status": Referral.Status.OFFERED, "choices": Referral.form_choices()},
    })
    # The form hears this and keeps its draft (the new row is not typed, so no input event).
    response["HX-Trigger"] = "referral-added"
    return response


@require_POST
@permission_required("sessions_app.add_checkin", raise_exception=True)
def checkin_draft_discard(request):
    Draft.objects.filter(user=request.user).delete()
    messages.info(request, _("Started a fresh check-in."))
    return redirect("sessions_app:checkin_new")


@require_GET
@permission_required("sessions_app.view_checkin", raise_exception=True)
def checkin_list(request):
    filters = CheckInFilterForm(request.GET)
    checkins = filters.apply_to(
        CheckIn.objects.visible_to(request.user).select_related("participant", "method", "program", "peer")
    )
    page = Paginator(checkins, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "sessions_app/checkin_list.html", {
        "filters": filters, "page": page, "query": query.urlencode(),
    })


@require_GET
@permission_required("sessions_app.view_checkin", raise_exception=True)
def checkin_detail(request, pk: int):
    checkin = _get_checkin_for_user(request, pk)
    AuditEvent.record(request, "view", checkin)
    just_saved = request.session.pop("just_saved", None)
    if not just_saved or just_saved.get("pk") != checkin.pk:
        just_saved = None
    return _render_detail(request, checkin, AddendumForm(), just_saved=just_saved)


def _checkin_context(request, checkin: CheckIn) -> dict:
    """What the check-in page and the review page both show; opening either reads the feedback."""
    thread = list(checkin.feedback.select_related("author"))
    unread = [f.pk for f in thread if f.author_id != request.user.pk and f.read_at is None]
    if unread:
        Feedback.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return {
        "checkin": checkin,
        "supplies": checkin.supplies.select_related("item").order_by("item__order"),
        "referrals": checkin.referrals.select_related("service"),
        "reversals": checkin.reversals.all(),
        "addenda": checkin.addenda.select_related("author"),
        "thread": thread,
    }


def _render_detail(request, checkin: CheckIn, addendum_form: AddendumForm, status: int = 200, reply_form=None,
                   just_saved: dict | None = None):
    return render(request, "sessions_app/checkin_detail.html", {
        "just_saved": just_saved,
        **_checkin_context(request, checkin),
        "can_edit": checkin.can_edit(request.user),
        "can_add_addendum": checkin.peer_id == request.user.pk,
        "addendum_form": addendum_form,
        "reply_form": reply_form or FeedbackForm(require_text=True),
    }, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("sessions_app.change_checkin", raise_exception=True)
def checkin_edit(request, pk: int):
    checkin = _get_own_checkin(request, pk)
    if not checkin.can_edit(request.user):
        raise PermissionDenied(_("This check-in has been reviewed: add an addendum instead."))
    if request.method == "POST":
        round_trip = _referral_round_trip(request, instance=checkin)
        if round_trip is not None:
            form, extra = round_trip
            return render(request, "sessions_app/checkin_form.html", {
                "form": form, "checkin": checkin, "known_participants": _known_participants(request.user),
                "referral_statuses": Referral.Status.choices, **extra,
            })
        form = CheckInForm(request.POST, instance=checkin, user=request.user)
        valid = form.is_valid()
        _audit_code_lookup(request, form)
        if valid:
            try:
                form.save()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                AuditEvent.record(request, "edit", checkin)
                messages.success(request, _("Changes saved."))
                return redirect(checkin)
        messages.error(request, _("A few things need another look. Everything you typed is still here."))
    else:
        form = CheckInForm(instance=checkin, user=request.user)
        # The form shows the whole note: a view like the check-in page's.
        AuditEvent.record(request, "view for edit", checkin)
    return render(request, "sessions_app/checkin_form.html", {
        "form": form, "checkin": checkin, "known_participants": _known_participants(request.user),
    })


@require_POST
@permission_required("sessions_app.view_checkin", raise_exception=True)
def checkin_addendum(request, pk: int):
    checkin = _get_own_checkin(request, pk)
    form = AddendumForm(request.POST)
    if form.is_valid():
        addendum = Addendum.objects.create(checkin=checkin, author=request.user, text=form.cleaned_data["text"])
        AuditEvent.record(request, "addendum", checkin)
        messages.success(request, _("Addendum added."))
        return redirect(f"{checkin.get_absolute_url()}#addendum-{addendum.pk}")
    AuditEvent.record(request, "view", checkin)
    return _render_detail(request, checkin, form, status=400)


def _get_participant_for_user(request, pk: int) -> Participant:
    """The participant if this user or their team has met them; anyone else's is a 404."""
    return get_object_or_404(Participant.objects.visible_to(request.user).select_related("created_by__team"), pk=pk)


@require_GET
@permission_required("sessions_app.view_participant", raise_exception=True)
def participant_detail(request, pk: int):
    participant = _get_participant_for_user(request, pk)
    AuditEvent.record(request, "view", participant)
    return _render_participant(request, participant, ReversalForm())


def _render_participant(request, participant: Participant, reversal_form: ReversalForm, status: int = 200):
    checkins = list(
        CheckIn.objects.visible_to(request.user)
        .filter(participant=participant)
        .select_related("method", "program", "peer")
    )
    by_pk = {c.pk: c for c in checkins}
    referrals = list(Referral.objects.filter(checkin__in=list(by_pk)).select_related("service"))
    for referral in referrals:
        referral.checkin = by_pk[referral.checkin_id]  # already fetched: no query per row
    return render(request, "sessions_app/participant_detail.html", {
        "participant": participant,
        "show_name": participant.name_shown_to(request.user),
        "checkins": checkins,
        "referrals": sorted(referrals, key=lambda r: r.checkin.happened_at, reverse=True),
        "reasons": Referral.Reason.choices,
        "can_move": request.user.has_perm("sessions_app.change_referral"),
        "goals": [c for c in checkins if c.goals],
        "reversals": OverdoseReversal.objects.visible_to(request.user).filter(participant=participant),
        "reversal_form": reversal_form,
        "can_report_reversal": request.user.has_perm("sessions_app.add_overdosereversal"),
    }, status=status)


@require_POST
@permission_required("sessions_app.add_overdosereversal", raise_exception=True)
def participant_reversal(request, pk: int):
    """An overdose reversal the participant tells a peer about outside a check-in."""
    participant = _get_participant_for_user(request, pk)
    form = ReversalForm(request.POST)
    if form.is_valid():
        reversal = OverdoseReversal(participant=participant, reported_by=request.user,
                                    reported_on=timezone.localdate())
        fill_reversal(reversal, form.cleaned_data)
        reversal.save()
        AuditEvent.record(request, "create", reversal)
        messages.success(request, _("Reversal noted. Thank them for being there for someone."))
        return redirect(f"{participant.get_absolute_url()}#reversals")
    AuditEvent.record(request, "view", participant)
    messages.error(request, _(_("A few things need another look. Everything you typed is still here.")))
    return _render_participant(request, participant, form, status=400)


@require_GET
@permission_required("sessions_app.merge_participant", raise_exception=True)
def participant_duplicates(request):
    """People who may have two codes: the same name they like to be called, or codes one letter apart."""
    pairs = Participant.objects.possible_duplicates()
    AuditEvent.record(request, "view possible duplicates", detail=f"{len(pairs)} pairs")
    return render(request, "sessions_app/participant_duplicates.html", {"pairs": pairs})


@require_POST
@permission_required("sessions_app.merge_participant", raise_exception=True)
def participant_merge(request):
    """Merge `merge` into `keep`: first a page saying what will move, then, confirmed, the merge."""
    ids = [request.POST.get(name, "") for name in ("keep", "merge")]
    people = Participant.objects.in_bulk([int(i) for i in ids if is_id(i)])
    # Compared as numbers: "01" and "1" are the same participant.
    if not all(is_id(i) and int(i) in people for i in ids) or int(ids[0]) == int(ids[1]):
        messages.error(request, _("Choose two different participants to merge."))
        return render(request, "sessions_app/participant_duplicates.html",
                      {"pairs": Participant.objects.possible_duplicates()}, status=400)
    keep, other = people[int(ids[0])], people[int(ids[1])]
    if request.POST.get("confirm") != "yes":
        counts = dict(CheckIn.objects.filter(participant__in=[keep, other]).values_list("participant")
                      .annotate(n=Count("pk")).order_by())
        return render(request, "sessions_app/participant_merge.html", {
            "keep": keep, "other": other,
            "keep_checkins": counts.get(keep.pk, 0), "other_checkins": counts.get(other.pk, 0),
        })
    other_code = other.code
    moved = merge_participants(keep, other)
    what = ", ".join(f"{n} {label}" for label, n in moved.items() if n)
    AuditEvent.record(request, "merge participants", keep,
                      detail=f"{other_code} merged into {keep.code} (moved: {what or 'nothing'})")
    messages.success(request, _("%(other)s is now part of %(keep)s.") % {"other": other_code, "keep": keep.code})
    return redirect("sessions_app:participant_duplicates")


def _next_url(request, default: str) -> str:
    """Where a small form sends the person back: a path on this site, or `default`."""
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return default
    return next_url


@require_POST
@permission_required("sessions_app.change_referral", raise_exception=True)
def referral_status(request: HtmxHttpRequest, pk: int):
    """Move a referral on (accepted, connected, not connected and why, engaged, declined) in one tap.

    A peer moves their own check-ins' referrals, a supervisor their team's; any
    other is a 404. An htmx post gets the referral's status block back; a plain
    post goes back to the page it came from.
    """
    referral = get_object_or_404(
        Referral.objects.visible_to(request.user).select_related("service", "checkin__participant"), pk=pk)
    status, reason = request.POST.get("status", ""), request.POST.get("reason", "")
    error = ""
    if status not in Referral.Status.values:
        error = _("Choose where the referral stands now.")
    elif status == Referral.Status.NOT_CONNECTED and reason not in Referral.Reason.values:
        error = _("Choose why it did not connect.")
    elif status != referral.status or reason != referral.reason:
        referral.move_to(status, by=request.user, reason=reason)
        AuditEvent.record(request, "referral status", referral, detail=status)
    if request.htmx:
        response = render(request, "sessions_app/_referral_status.html", {
            "referral": referral, "reasons": Referral.Reason.choices, "can_move": True, "error": error,
            "next": request.POST.get("next", ""),
        }, status=400 if error else 200)
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(service)s: %(status)s.") % {
            "service": referral.service.name, "status": referral.get_status_display()})
    default = reverse("sessions_app:participant_detail", args=[referral.checkin.participant_id]) \
        if referral.checkin.participant_id else reverse("sessions_app:follow_ups")
    return HttpResponseRedirect(_next_url(request, default))


# Review, feedback and follow-ups --------------------------------------------------


def _get_checkin_to_review(request, pk: int) -> CheckIn:
    """A check-in by someone on a team this user supervises; anything else is a 404."""
    return get_object_or_404(
        CheckIn.objects.filter(peer__in=User.objects.supervised_by(request.user)).select_related(
            "participant", "method", "program", "peer"
        ),
        pk=pk,
    )


@require_GET
@permission_required("sessions_app.review_checkin", raise_exception=True)
def review_queue(request):
    filters = ReviewFilterForm(request.GET, supervisor=request.user)
    # The team's ids as a list, not a subquery: with a subquery PostgreSQL cannot
    # tell how many rows match and reads the whole table (45 ms at 100,000 check-ins).
    team = list(User.objects.supervised_by(request.user).values_list("pk", flat=True))
    # A page of ids first, from the partial index alone (index-only, about 1 ms),
    # then those 25 rows: sorting whole rows to find the oldest 25 cost far more.
    ids = filters.apply_to(CheckIn.objects.filter(peer__in=team, reviewed_at__isnull=True))
    page = Paginator(ids.order_by("created_at", "pk").values_list("pk", flat=True), 25).get_page(
        request.GET.get("page")
    )
    page.object_list = list(
        CheckIn.objects.filter(pk__in=list(page.object_list))
        .select_related("participant", "method", "program", "peer")
        .annotate(note_length=Length("note"),
                  overdose_reported=Exists(OverdoseReversal.objects.filter(checkin=OuterRef("pk"))))
        .order_by("created_at", "pk")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "sessions_app/review_queue.html", {
        "filters": filters, "page": page, "query": query.urlencode(),
    })


@require_http_methods(["GET", "POST"])
@permission_required("sessions_app.review_checkin", raise_exception=True)
def review_checkin(request, pk: int):
    checkin = _get_checkin_to_review(request, pk)
    form = FeedbackForm(request.POST or None, require_text=False)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"].strip()
        if text:
            Feedback.objects.create(checkin=checkin, author=request.user, text=text)
        if form.cleaned_data["mark_reviewed"] and not checkin.is_reviewed:
            checkin.mark_reviewed(by=request.user)
            AuditEvent.record(request, "review", checkin)
            messages.success(request, _("Marked reviewed. %(peer)s will see your feedback in their inbox.") % {
                "peer": checkin.peer.get_short_name() or checkin.peer})
            return redirect("sessions_app:review_queue")
        if not text:
            form.add_error(field="text", error=_("Write some feedback or a question, or tick “Mark reviewed”."))
        else:
            messages.success(request, _("Sent. It is in their feedback inbox."))
            return redirect("sessions_app:review_checkin", pk=checkin.pk)
    AuditEvent.record(request, "view from review", checkin)
    return render(request, "sessions_app/review_checkin.html", {
        **_checkin_context(request, checkin), "form": form,
    }, status=400 if form.errors else 200)


@require_POST
@permission_required("sessions_app.view_checkin", raise_exception=True)
def checkin_reply(request, pk: int):
    """The peer answers feedback or a question on their own check-in."""
    checkin = _get_own_checkin(request, pk)
    form = FeedbackForm(request.POST, require_text=True)
    if form.is_valid():
        Feedback.objects.create(checkin=checkin, author=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Reply sent."))
        return redirect(f"{checkin.get_absolute_url()}#feedback")
    AuditEvent.record(request, "view", checkin)
    return _render_detail(request, checkin, AddendumForm(), status=400, reply_form=form)


@require_GET
@login_required
def feedback_inbox(request):
    items = list(
        Feedback.objects.for_user(request.user)
        .select_related("author", "checkin", "checkin__participant")
        .order_by("-created_at")[:100]
    )
    return render(request, "sessions_app/feedback_inbox.html", {"items": items})


@require_GET
@permission_required("sessions_app.view_checkin", raise_exception=True)
def follow_ups(request):
    today = timezone.localdate()
    checkins = (
        CheckIn.objects.visible_to(request.user)
        .filter(follow_up_on__isnull=False)
        .filter(Q(follow_up_done_at__isnull=True) | Q(follow_up_done_at__date__gte=today - timedelta(days=30)))
        .select_related("participant", "peer")
        .order_by("follow_up_on", "pk")
    )
    groups = {"overdue": [], "due": [], "upcoming": [], "done": []}
    by_peer = {}
    for checkin in checkins:
        state = checkin.follow_up_state
        groups[state].append(checkin)
        if state != "done":
            by_peer.setdefault(checkin.peer, {"overdue": 0, "due": 0, "upcoming": 0})[state] += 1
    # Referrals still waiting for an outcome, each with its day to check back (a page's worth).
    referrals = list(
        Referral.objects.visible_to(request.user).to_check_back()
        .select_related("service", "checkin__participant", "checkin__peer")
        .order_by("check_back_on", "pk")[:200]
    )
    if any(checkin.follow_up_note for group in groups.values() for checkin in group):
        # "What for" is written about a person, like a note: one line for the list.
        AuditEvent.record(request, "view follow-ups")
    return render(request, "sessions_app/follow_ups.html", {
        "groups": groups, "by_peer": by_peer if request.user.has_perm("sessions_app.review_checkin") else {},
        "referrals": referrals, "reasons": Referral.Reason.choices,
        "can_move": request.user.has_perm("sessions_app.change_referral"),
    })


@require_POST
@permission_required("sessions_app.change_checkin", raise_exception=True)
def follow_up_done(request, pk: int):
    checkin = _get_own_checkin(request, pk)
    if checkin.follow_up_on and not checkin.follow_up_done_at:
        checkin.follow_up_done_at = timezone.now()
        checkin.save(update_fields=["follow_up_done_at", "updated_at"])
        AuditEvent.record(request, "follow-up done", checkin)
        messages.success(request, _("Follow-up marked done."))
    # A URL, never a view name: redirect() would try to reverse a bare word.
    return HttpResponseRedirect(_next_url(request, reverse("sessions_app:follow_ups")))


# Program figures -------------------------------------------------------------


@require_GET
@permission_required("sessions_app.view_dashboard", raise_exception=True)
def dashboard(request):
    filters = DashboardFilterForm(request.GET, user=request.user)
    scope = filters.scope()
    filters.show_range(scope)
    data = cached_figures(scope)
    return render(request, "sessions_app/dashboard.html", {
        "filters": filters,
        "scope": scope,
        "data": data,
        "method_chart": bar_chart(data["by_method"]),
        "supply_chart": bar_chart(data["supplies"]),
        "weekly_chart": column_chart(data["weekly"]),
        "referral_chart": bar_chart(data["referrals"]),
        "query": request.GET.urlencode(),
    })


@require_GET
@permission_required("sessions_app.view_dashboard", raise_exception=True)
def dashboard_csv(request):
    filters = DashboardFilterForm(request.GET, user=request.user)
    scope = filters.scope()
    data = figures(scope)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="program-figures-{scope.start}-{scope.end}.csv"'
    # Every word in the reader's language (docs/checkins.md); the columns and rows keep their order.
    writer = csv.writer(response)
    writer.writerow([pgettext("figures CSV", "section"), pgettext("figures CSV", "item"),
                     pgettext("figures CSV", "value")])
    writer.writerow([pgettext("figures CSV", "range"), pgettext("figures CSV", "from"), scope.start.isoformat()])
    writer.writerow([pgettext("figures CSV", "range"), pgettext("figures CSV", "to"), scope.end.isoformat()])
    for key, label in TOTAL_LABELS:
        writer.writerow([pgettext("figures CSV", "totals"), label, suppress(data["totals"][key])])
    for section, rows in ((pgettext("figures CSV", "how we met"), data["by_method"]),
                          (pgettext("figures CSV", "supplies"), data["supplies"]),
                          (pgettext("figures CSV", "referrals"), data["referrals"]),
                          (pgettext("figures CSV", "contacts per week"), data["weekly"])):
        for label, value in rows:
            writer.writerow([section, _cell(label), suppress(value)])
    steps = {"offered": pgettext("figures CSV", "offered"), "accepted": pgettext("figures CSV", "accepted"),
             "connected": pgettext("figures CSV", "connected"), "engaged": pgettext("figures CSV", "engaged")}
    for row in data["referral_funnel"]:
        section = _cell(pgettext("figures CSV", "referrals: %(kind)s") % {"kind": row["kind"]})
        for key, step in steps.items():
            writer.writerow([section, step, suppress(row[key])])
        # A share and a median are not counts of people: shown as they are, or empty when none.
        for key, label in (("connection_rate", pgettext("figures CSV", "connection rate (%)")),
                           ("median_days", pgettext("figures CSV", "median days to connection"))):
            writer.writerow([section, label, "" if row[key] is None else row[key]])
    AuditEvent.record(request, "export figures")
    return response


@require_GET
@permission_required("sessions_app.export_notes", raise_exception=True)
def notes_csv(request):
    """Every check-in in the range with its note, for admins; audited, with the Part 2 notice first."""
    filters = DashboardFilterForm(request.GET, user=request.user)
    scope = filters.scope()
    checkins = scope.checkins().select_related("participant", "method", "program", "peer").order_by("happened_at")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="check-in-notes-{scope.start}-{scope.end}.csv"'
    writer = csv.writer(response)
    writer.writerow([part2_notice()])
    writer.writerow([pgettext("notes CSV", "id"), pgettext("notes CSV", "when"), pgettext("notes CSV", "peer"),
                     pgettext("notes CSV", "participant"), pgettext("notes CSV", "how"),
                     pgettext("notes CSV", "program"), pgettext("notes CSV", "goals"), pgettext("notes CSV", "note")])
    for checkin in checkins.iterator(chunk_size=2000):
        writer.writerow([
            checkin.pk, timezone.localtime(checkin.happened_at).isoformat(timespec="minutes"),
            *map(_cell, [
                checkin.peer.username, checkin.participant.code if checkin.participant_id else "",
                checkin.method.name, checkin.program.name if checkin.program_id else "", checkin.goals, checkin.note,
            ]),
        ])
    AuditEvent.record(request, "export notes")
    return response


@require_GET
@permission_required("sessions_app.view_dashboard", raise_exception=True)
def funder_report(request):
    """The figures funders and the SSP survey ask for (docs/checkins.md, "The funder report").

    Counts only, no notes; supervisors see their teams, content admins everyone.
    """
    filters = FunderReportForm(request.GET, user=request.user)
    report = funder.build(filters.scope(), filters.left_out())
    return render(request, "sessions_app/funder_report.html", {
        "filters": filters, "report": report, "people": funder.PEOPLE, "definitions": funder.DEFINITIONS,
        "query": request.GET.urlencode(),
    }, status=400 if filters.errors else 200)


@require_GET
@permission_required("sessions_app.view_dashboard", raise_exception=True)
def funder_report_csv(request):
    filters = FunderReportForm(request.GET, user=request.user)
    if not filters.is_valid():
        return HttpResponse(_("These report choices cannot be read: ") + " ".join(
            str(e) for errors in filters.errors.values() for e in errors), status=400, content_type="text/plain")
    scope = filters.scope()
    report = funder.build(scope, filters.left_out())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="funder-report-{scope.start}-{scope.end}.csv"'
    writer = csv.writer(response)
    writer.writerow(funder.csv_header())
    for row in funder.csv_rows(report, suppress):
        writer.writerow([_cell(value) for value in row])
    AuditEvent.record(request, "export funder report", detail=f"{scope.start} to {scope.end}")
    return response


# Check-ins saved without signal (docs/offline.md, issue 11). The browser seals
# them (static/js/offline-queue.js); these views open, save or return them.


def _over_sync_limit(user) -> bool:
    """OFFLINE_SYNC_LIMIT sealed check-ins per person per window, counted in the cache."""
    name = f"offline-sync:{user.pk}:{int(time.time()) // settings.OFFLINE_SYNC_WINDOW}"
    cache.add(name, 0, settings.OFFLINE_SYNC_WINDOW)
    return cache.incr(name) > settings.OFFLINE_SYNC_LIMIT


def _form_data(fields) -> QueryDict:
    """A check-in form's fields, as sealed or as returned, in the shape a form reads."""
    data = QueryDict(mutable=True)
    for name, value in fields:
        # PostgreSQL's jsonb cannot hold a NUL (a returned check-in is kept as JSON).
        data.appendlist(name.replace("\x00", ""), value.replace("\x00", ""))
    return data


@require_POST
@permission_required("sessions_app.add_checkin", raise_exception=True)
def checkin_offline(request):
    """A check-in saved without signal, sent sealed when the signal is back.

    Idempotent by the check-in's key: the same sealed check-in sent again stores
    nothing new and gets the first answer again. 201 saved; 200 already saved, or
    returned to its author to fix (kept here, never dropped); 4xx refused with
    nothing stored. JSON every time, for the queue's script.
    """

    def refused(status: int, message: str):
        AuditEvent.record(request, "offline check-in refused")
        return JsonResponse({"status": "refused", "message": message}, status=status)

    if _over_sync_limit(request.user):
        return refused(429, _("Many check-ins arrived at once; the rest will be sent in a few minutes."))
    length = request.META.get("CONTENT_LENGTH", "")
    if (is_id(length) and int(length) > SEALED_MAX_BYTES) or len(request.body) > SEALED_MAX_BYTES:
        return refused(413, _("This is larger than any check-in can be."))
    try:
        sealed = open_sealed(request.body)
    except SealError as error:
        return refused(400, str(error))
    if sealed["author"] != request.user.pk:
        # Sealed by someone else on a shared tablet: theirs to send (the 403 is audited as refused).
        return JsonResponse({"status": "refused", "message": _("This check-in belongs to someone else.")}, status=403)
    data = _form_data(sealed["fields"])
    problem = draft_problem(dict(data.lists()))
    if problem:
        return refused(413, problem)
    key = _form_key(data)
    if key is None:
        return refused(400, _("This sealed check-in has no key."))
    try:
        captured_at = parse_datetime(str(sealed.get("captured_at", "")))
    except ValueError:
        captured_at = None

    returned = ReturnedCheckIn.objects.filter(user=request.user, sealed_key=key).first()
    if returned is not None:
        return JsonResponse({"status": "returned", "url": returned.get_absolute_url()})
    existing = CheckIn.objects.filter(key=key).first()
    if (existing is not None and existing.peer_id == request.user.pk
            and existing.submission_digest in ("", submission_digest(data))):
        return JsonResponse({"status": "already saved", "url": existing.get_absolute_url()})
    form = CheckInForm(data, user=request.user)
    if existing is None and form.is_valid():
        _audit_code_lookup(request, form)
        try:
            checkin = _save_checkin_and_audit(request, form, key)
        except ValidationError as error:
            form.add_error(None, error)  # A new code taken meanwhile: returned to fix, below.
        else:
            # The draft autosaved from this same form before the signal dropped is this check-in now.
            draft = Draft.objects.filter(user=request.user).first()
            if draft is not None and (draft.data.get("key") or [""])[-1] == str(key):
                draft.delete()
            return JsonResponse({"status": "saved", "url": checkin.get_absolute_url()}, status=201)
    elif existing is None:
        _audit_code_lookup(request, form)

    # Invalid after all (a mistyped participant code), or another check-in under a
    # key already saved: back to its author, kept on the server, not on the tablet.
    if ReturnedCheckIn.objects.waiting_for(request.user).count() >= settings.OFFLINE_RETURNED_MAX:
        return refused(429, _("Many check-ins are waiting for another look; please fix those first."))
    try:
        with transaction.atomic():
            returned = ReturnedCheckIn.objects.create(
                user=request.user, sealed_key=key, data=dict(data.lists()), captured_at=captured_at
            )
    except IntegrityError:
        returned = get_object_or_404(ReturnedCheckIn, user=request.user, sealed_key=key)
    AuditEvent.record(request, "returned to author", returned)
    messages.warning(request, format_html(
        _('A check-in saved without signal needs another look before it is kept: <a href="{url}">open it</a>.'),
        url=returned.get_absolute_url(),
    ))
    return JsonResponse({"status": "returned", "url": returned.get_absolute_url()})


@require_GET
@permission_required("sessions_app.add_checkin", raise_exception=True)
def checkin_saved(request, key: uuid.UUID):
    """Where the check-in form's script goes once its save is answered: the check-in this
    person saved under that key, or the form (with its draft) if none was saved."""
    checkin = CheckIn.objects.filter(key=key, peer=request.user).first()
    return redirect(checkin if checkin is not None else "sessions_app:checkin_new")


@require_http_methods(["GET", "POST"])
@permission_required("sessions_app.add_checkin", raise_exception=True)
def checkin_returned(request, pk: int):
    """A check-in sent without signal that could not be kept as it was, opened by its author to fix."""
    returned = get_object_or_404(ReturnedCheckIn, pk=pk, user=request.user)
    if returned.checkin_id is not None:
        return redirect(returned.checkin)
    if request.method == "POST":
        form = CheckInForm(request.POST, user=request.user)
        valid = form.is_valid()
        _audit_code_lookup(request, form)
        if valid:
            try:
                with transaction.atomic():
                    checkin = _save_checkin_and_audit(request, form, returned.key)
                    returned.checkin, returned.data = checkin, {}
                    returned.save(update_fields=["checkin", "data"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Check-in saved. Thank you for showing up for people."))
                return redirect(checkin)
        messages.error(request, _("A few things need another look. Everything you typed is still here."))
    else:
        AuditEvent.record(request, "view", returned)
        form = CheckInForm(_form_data((k, v) for k, values in returned.data.items() for v in values),
                           user=request.user)
        valid = form.is_valid()
        _audit_code_lookup(request, form)
        if valid:
            messages.warning(request, _("A check-in from the same form was already saved, and this one is "
                                        "different. Save it to keep it as a check-in of its own."))
        else:
            messages.warning(request, _("You saved this check-in without signal. It is not kept yet: "
                                        "please look at what is marked below, then save it."))
    return render(request, "sessions_app/checkin_form.html", {
        "form": form,
        "key": returned.key,
        "known_participants": _known_participants(request.user),
        "returned": returned,
    })
