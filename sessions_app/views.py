import uuid

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from harmreduction.models import AuditEvent
from sessions_app.forms import AddendumForm, CheckInFilterForm, CheckInForm
from sessions_app.models import Addendum, CheckIn, Draft, Participant, SupplyGiven


def _get_checkin_for_user(request, pk: int) -> CheckIn:
    """The check-in if this user may see it; anyone else's is a 404, not a 403."""
    return get_object_or_404(
        CheckIn.objects.visible_to(request.user).select_related("participant", "method", "program", "peer"),
        pk=pk,
    )


def _draft_initial(data: dict) -> dict:
    # Stored as lists (a form can send a field several times); single values back to scalars.
    multi = {"topics"}
    return {k: (v if k in multi else v[-1]) for k, v in data.items() if v}


@transaction.atomic
def _save_checkin(form: CheckInForm, peer, key: uuid.UUID | None) -> CheckIn:
    """Write the check-in, its participant (if new) and supplies in one go."""
    checkin = form.save(commit=False)
    if key is not None:
        checkin.key = key
        checkin.peer = peer
    if form.cleaned_data.get("new_participant"):
        code = form.cleaned_data.get("participant_code")
        name = form.cleaned_data.get("preferred_name", "")
        if code:
            checkin.participant = Participant.objects.create(code=code, preferred_name=name, created_by=peer)
        else:
            checkin.participant = Participant.create_with_code(peer, name)
    else:
        checkin.participant = form.cleaned_data.get("participant")
    checkin.save()
    SupplyGiven.objects.filter(checkin=checkin).delete()
    SupplyGiven.objects.bulk_create(
        SupplyGiven(checkin=checkin, item=item, count=count) for item, count in form.supplies().items()
    )
    return checkin


def _known_participants(user):
    return Participant.objects.visible_to(user).values_list("code", flat=True)[:500]


@require_http_methods(["GET", "POST"])
@permission_required("sessions_app.add_checkin", raise_exception=True)
def checkin_new(request):
    draft = Draft.objects.filter(user=request.user).first()
    if request.method == "POST":
        try:
            key = uuid.UUID(request.POST.get("key", ""))
        except ValueError:
            key = uuid.uuid4()
        existing = CheckIn.objects.filter(key=key, peer=request.user).first()
        if existing is not None:
            # The same form submitted again: the first submit already saved it.
            messages.info(request, "This check-in was already saved.")
            return redirect(existing)
        form = CheckInForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                checkin = _save_checkin(form, request.user, key)
            except IntegrityError:
                # Two submits raced; the other one won and holds the key.
                checkin = get_object_or_404(CheckIn, key=key, peer=request.user)
            else:
                AuditEvent.record(request, "create", checkin)
                if checkin.participant and form.cleaned_data.get("new_participant"):
                    AuditEvent.record(request, "create", checkin.participant)
            Draft.objects.filter(user=request.user).delete()
            messages.success(request, "Check-in saved. Thank you for showing up for people.")
            return redirect(checkin)
        messages.error(request, "A few things need another look. Everything you typed is still here.")
    else:
        initial = _draft_initial(draft.data) if draft else {}
        key = initial.pop("key", None) or str(uuid.uuid4())
        form = CheckInForm(initial=initial, user=request.user)
        if draft:
            messages.info(request, "We brought back the check-in you were writing.")
    return render(request, "sessions_app/checkin_form.html", {
        "form": form,
        "key": request.POST.get("key") if request.method == "POST" else key,
        "known_participants": _known_participants(request.user),
        "draft_saved_at": draft.updated_at if draft else None,
    })


@require_POST
@permission_required("sessions_app.add_checkin", raise_exception=True)
def checkin_draft(request):
    """Autosave: keep what the form holds right now (htmx posts it while the peer types)."""
    data = {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
    Draft.objects.update_or_create(user=request.user, defaults={"data": data})
    return render(request, "sessions_app/checkin_form.html#draft-status", {"draft_saved_at": timezone.now()})


@require_POST
@permission_required("sessions_app.add_checkin", raise_exception=True)
def checkin_draft_discard(request):
    Draft.objects.filter(user=request.user).delete()
    messages.info(request, "Started a fresh check-in.")
    if request.htmx:
        return HttpResponseClientRedirect("/checkins/new/")
    return redirect("sessions_app:checkin_new")


@require_GET
@permission_required("sessions_app.view_checkin", raise_exception=True)
def checkin_list(request):
    filters = CheckInFilterForm(request.GET)
    checkins = filters.filter(
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
    return _render_detail(request, checkin, AddendumForm())


def _render_detail(request, checkin: CheckIn, addendum_form: AddendumForm, status: int = 200):
    return render(request, "sessions_app/checkin_detail.html", {
        "checkin": checkin,
        "supplies": checkin.supplies.select_related("item").order_by("item__order"),
        "addenda": checkin.addenda.select_related("author"),
        "can_edit": checkin.can_edit(request.user),
        "can_add_addendum": checkin.peer_id == request.user.pk,
        "addendum_form": addendum_form,
    }, status=status)


@require_http_methods(["GET", "POST"])
@permission_required("sessions_app.change_checkin", raise_exception=True)
def checkin_edit(request, pk: int):
    checkin = _get_checkin_for_user(request, pk)
    if not checkin.can_edit(request.user):
        if checkin.is_reviewed and checkin.peer_id == request.user.pk:
            raise PermissionDenied("This check-in has been reviewed: add an addendum instead.")
        raise PermissionDenied("Only the peer who wrote a check-in can edit it.")
    if request.method == "POST":
        form = CheckInForm(request.POST, instance=checkin, user=request.user)
        if form.is_valid():
            _save_checkin(form, request.user, key=None)
            AuditEvent.record(request, "edit", checkin)
            messages.success(request, "Changes saved.")
            return redirect(checkin)
        messages.error(request, "A few things need another look. Everything you typed is still here.")
    else:
        form = CheckInForm(instance=checkin, user=request.user)
    return render(request, "sessions_app/checkin_form.html", {
        "form": form, "checkin": checkin, "known_participants": _known_participants(request.user),
    })


@require_POST
@permission_required("sessions_app.view_checkin", raise_exception=True)
def checkin_addendum(request, pk: int):
    checkin = _get_checkin_for_user(request, pk)
    if checkin.peer_id != request.user.pk:
        raise PermissionDenied("Only the peer who wrote a check-in can add to it.")
    form = AddendumForm(request.POST)
    if form.is_valid():
        addendum = Addendum.objects.create(checkin=checkin, author=request.user, text=form.cleaned_data["text"])
        AuditEvent.record(request, "addendum", checkin)
        messages.success(request, "Addendum added.")
        return redirect(f"{checkin.get_absolute_url()}#addendum-{addendum.pk}")
    AuditEvent.record(request, "view", checkin)
    return _render_detail(request, checkin, form, status=400)


@require_GET
@permission_required("sessions_app.view_participant", raise_exception=True)
def participant_detail(request, pk: int):
    participant = get_object_or_404(Participant.objects.visible_to(request.user), pk=pk)
    AuditEvent.record(request, "view", participant)
    checkins = list(
        CheckIn.objects.visible_to(request.user)
        .filter(participant=participant)
        .select_related("method", "program", "peer")
    )
    return render(request, "sessions_app/participant_detail.html", {
        "participant": participant,
        "checkins": checkins,
        "goals": [c for c in checkins if c.goals],
    })
