import io
from datetime import datetime
from typing import NamedTuple

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from harmreduction.app_shell import offline_copy
from harmreduction.models import AuditEvent
from resources import search
from resources.forms import MAX_QUERY, DirectoryFilterForm
from resources.language import find_terms, split_at_matches
from resources.listing import offline_rows, result_rows
from resources.models import (
    CARD_LANGUAGE,
    Card,
    SearchSynonym,
    Service,
    ServiceAtLocation,
    Term,
    directory_chips,
    directory_languages,
    directory_vocabulary,
    synonym_phrases,
)
from resources.search import did_you_mean

# The "check a sentence" box on the Words page: a few sentences, not a document.
MAX_CHECK = 2000


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _with_query(params: QueryDict, words: str, **more: str) -> str:
    """The same search with other words: what a "Did you mean" link asks for."""
    params = params.copy()
    params["q"] = words
    for name, value in more.items():
        if value:
            params[name] = value
    return params.urlencode()


@require_GET
@offline_copy
@permission_required("resources.view_card", raise_exception=True)
def library(request: HtmxHttpRequest) -> HttpResponse:
    # A NUL cannot be sent to PostgreSQL in a query, and no one types one.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY]
    category = request.GET.get("category", "")
    problem = ""
    if category and category not in Card.Category.values:
        problem = "There is no such category, so all cards are shown."
        category = ""

    cards = Card.objects.all()
    if category:
        cards = cards.filter(category=category)
    # Best match first; a category comes where its best card does (reading order with no words).
    cards = cards.search(query)
    labels = dict(Card.Category.choices)
    by_category: dict[str, list[Card]] = {}
    for card in cards:
        by_category.setdefault(card.category, []).append(card)
    groups = [{"value": value, "label": labels[value], "cards": group} for value, group in by_category.items()]
    suggestion = ""
    if query and not cards:
        everything = list(Card.objects.only("title", "summary", "tags", "body", "category"))
        words = search.vocabulary(
            *(f"{c.title} {c.summary} {c.tags} {c.body_text}" for c in everything),
            *labels.values(),
            *synonym_phrases(),
        )
        suggestion = did_you_mean(query, words)
    context = {
        "suggestion": suggestion,
        "suggestion_query": _with_query(QueryDict("", mutable=True), suggestion, category=category),
        "q": query,
        "category": category,
        "categories": Card.Category.choices,
        "groups": groups,
        "count": sum(len(group["cards"]) for group in groups),
        "problem": problem,
    }
    template = "resources/library.html#results" if request.htmx else "resources/library.html"
    response = render(request, template, context)
    # One URL answers with the page or the fragment: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@offline_copy
@permission_required("resources.view_card", raise_exception=True)
def card_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    card = get_object_or_404(Card, slug=slug)
    previous, following = card.neighbours()
    return render(
        request,
        "resources/card_detail.html",
        {"card": card, "previous": previous, "following": following},
    )


@require_GET
@offline_copy
@permission_required("resources.view_card", raise_exception=True)
def card_show(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    # Only cards written to be shown: a peers-only card has no show screen.
    card = get_object_or_404(Card.objects.showable(), slug=slug)
    language = _content_language(request)
    translated = card.translation(language) if language != CARD_LANGUAGE else None
    return render(request, "resources/card_show.html", {
        "card": card,
        "content_language": language,
        # What is on the screen: the translation, or the English card (never a blank).
        "shown": translated or card,
        "shown_language": translated.language if translated else CARD_LANGUAGE,
        "not_translated": language != CARD_LANGUAGE and translated is None,
        "not_reviewed": translated is not None and not translated.is_reviewed,
        "switches": _language_switches(language),
    })


class LanguageSwitch(NamedTuple):
    code: str
    name: str
    url: str
    current: bool


def _content_language(request: HttpRequest) -> str:
    """The language of what the participant reads: `?lang=` if it is one of ours, else the interface's.

    Only the content: the peer's interface language (their preference, the
    browser's) is never changed by it.
    """
    codes = [code for code, _ in settings.LANGUAGES]
    asked = request.GET.get("lang", "")
    if asked in codes:
        return asked
    return translation.get_supported_language_variant(translation.get_language())


def _language_switches(current: str) -> list[LanguageSwitch]:
    """One plain link per language, named in that language ("Español", "English"): no JavaScript needed."""
    return [
        # Django's own name for it, capitalized as a button label: "español" → "Español".
        LanguageSwitch(code, capfirst(translation.get_language_info(code)["name_local"]), f"?lang={code}",
                       code == current)
        for code, _ in settings.LANGUAGES
    ]


@require_http_methods(["GET", "POST"])
@offline_copy
@permission_required("resources.view_term", raise_exception=True)
def terms(request: HtmxHttpRequest) -> HttpResponse:
    """The term list, and a box to check a sentence against it.

    The sentence comes by POST so it stays out of URLs and logs, and it is
    never stored: a peer may paste words about a real person.
    """
    terms = list(Term.objects.all())
    text, problem, pieces, matches = "", "", [], []
    if request.method == "POST":
        text = request.POST.get("text", "")
        if not text.strip():
            problem = "Type or paste a sentence to check."
        elif len(text) > MAX_CHECK:
            problem = f"That is {len(text)} characters; check at most {MAX_CHECK} at a time."
        else:
            matches = find_terms(text, terms)
            pieces = split_at_matches(text, matches)
    return render(
        request,
        "resources/terms.html",
        {
            "terms": terms,
            "text": text,
            "problem": problem,
            "checked": request.method == "POST" and not problem,
            "pieces": pieces,
            "matches": matches,
            "max_check": MAX_CHECK,
        },
    )


# Referral directory ---------------------------------------------------------


RESULTS_PER_PAGE = 20


class _Listed(NamedTuple):
    """What the directory's list needs of a ranked match: the row cache's key, and a name."""

    pk: int
    name: str
    updated_at: datetime | None = None


def _get_service_for_user(request: HttpRequest, pk: int) -> Service:
    # Inactive and defunct services are a 404 for peers: they must not be referred to.
    services = Service.objects.visible_to(request.user).select_related("organization", "last_verified_by")
    return get_object_or_404(
        services.prefetch_related(
            "terms",
            "schedules",
            "phones",
            "languages",
            "cost_options",
            Prefetch(
                "service_at_locations",
                ServiceAtLocation.objects.select_related("location").prefetch_related("location__addresses"),
            ),
        ),
        pk=pk,
    )


@require_GET
@vary_on_headers("HX-Request")
@permission_required("resources.view_service", raise_exception=True)
def directory(request: HtmxHttpRequest) -> HttpResponse:
    chips = directory_chips()
    languages = directory_languages()
    filters = DirectoryFilterForm(request.GET, chips=chips, languages=languages)
    # The page needs only which services and in what order; each result is drawn
    # from the row cache, or rendered and cached when it changed (resources/listing.py).
    services = filters.apply_to(Service.objects.visible_to(request.user)).only("name", "updated_at")
    services = filters.in_order(services)
    if filters.ranked:
        # Ranking reads every match to sort them, as the count does: one query for all of them
        # in order (ids and names only), counted and paged here, instead of the same work twice;
        # then the page's own updated_at (the row cache's key), not a thousand parsed timestamps.
        page = Paginator(
            [_Listed(pk, name) for pk, name in services.values_list("pk", "name")], RESULTS_PER_PAGE
        ).get_page(request.GET.get("page"))
        updated = dict(Service.objects.filter(pk__in=[m.pk for m in page]).values_list("pk", "updated_at"))
        page.object_list = [m._replace(updated_at=updated[m.pk]) for m in page if m.pk in updated]
    else:
        page = Paginator(services, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = result_rows(page)
    query = request.GET.copy()
    query.pop("page", None)
    suggestion = ""
    if not rows and filters.cleaned_data.get("q"):
        # Only when nothing matched: a typo is the likeliest reason.
        suggestion = did_you_mean(filters.cleaned_data["q"], directory_vocabulary())
    context = {
        "suggestion": suggestion,
        "suggestion_query": _with_query(query, suggestion),
        "filters": filters,
        "chips": chips,
        "languages": languages,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "stale_after_days": settings.DIRECTORY_STALE_AFTER_DAYS,
    }
    template = "resources/directory.html#results" if request.htmx else "resources/directory.html"
    return render(request, template, context)


@require_GET
@offline_copy
@permission_required("resources.view_service", raise_exception=True)
def directory_offline(request: HtmxHttpRequest) -> HttpResponse:
    """The directory's offline copy: the services a peer needs away from signal, on one page.

    Kept on the tablet by the service worker (docs/offline.md) and searched there
    by static/js/offline-directory.js over the rows' normalized words (the
    stored search document, the same words the online search reads).
    """
    kept = list(Service.objects.for_offline_copy().values_list("pk", "updated_at"))
    rows_html = offline_rows(kept)
    synonyms = [
        [" ".join(search.raw_words(phrase)), [search.terms(meaning) for meaning in synonym.meaning_list]]
        for synonym in SearchSynonym.objects.all()
        for phrase in synonym.word_list
    ]
    return render(request, "resources/directory_offline.html", {
        "rows_html": rows_html,
        "row_count": len(kept),
        "chips": directory_chips(),
        "languages": directory_languages(),
        "taken": timezone.now(),
        "offline": True,
        "search_words": {
            "synonyms": synonyms,
            "stop": sorted(search.STOP_WORDS),
            "acronyms": sorted(search.ACRONYMS),
        },
    })


@require_GET
@permission_required("resources.view_service", raise_exception=True)
def service_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    service = _get_service_for_user(request, pk)
    return render(
        request,
        "resources/service_detail.html",
        {
            "service": service,
            "checkin_url": reverse("sessions_app:checkin_new") + f"?referral={service.pk}"
            if request.user.has_perm("sessions_app.add_checkin") else None,
            "can_verify": request.user.has_perm("resources.verify_service"),
        },
    )


@require_GET
@permission_required("resources.view_service", raise_exception=True)
def service_slip(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    service = _get_service_for_user(request, pk)
    language = _content_language(request)
    return render(request, "resources/service_slip.html", {
        "service": service,
        # The slip's own words, hours and dates in this language; the page around it stays the interface's.
        "content_language": language,
        "switches": _language_switches(language),
        "printed_on": timezone.localdate(),
        "referred_by": request.user.get_short_name() or request.user.get_username(),
        "team": request.user.team,
        "organization_name": settings.ORGANIZATION_NAME,
        "organization_contact": settings.ORGANIZATION_CONTACT,
    })


def service_qr_svg(service: Service) -> str:
    # Low error correction keeps the code coarse enough to scan from a small printout.
    qr = segno.make(service.plain_text(), error="l", micro=False)
    buffer = io.BytesIO()
    # A standalone SVG document (with its namespace), so <img> can show it.
    title = _("Details of %(name)s") % {"name": service.name}
    qr.save(buffer, kind="svg", scale=3, border=2, xmldecl=False, title=title)
    return buffer.getvalue().decode()


@require_GET
@permission_required("resources.view_service", raise_exception=True)
def service_qr(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The slip's QR code: the service's details as plain text, never a link into this app."""
    service = _get_service_for_user(request, pk)
    # In the slip's language (its img asks with ?lang=): the day names and hours the phone keeps.
    with translation.override(_content_language(request)):
        svg = service_qr_svg(service)
    return HttpResponse(svg, content_type="image/svg+xml")


@require_GET
@permission_required("resources.verify_service", raise_exception=True)
def directory_stale(request: HtmxHttpRequest) -> HttpResponse:
    services = Service.objects.stale().select_related("organization", "last_verified_by")
    page = Paginator(services.order_by(F("last_verified_on").asc(nulls_first=True), "name"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "resources/directory_stale.html",
        {
            "page": page,
            "stale_after_days": settings.DIRECTORY_STALE_AFTER_DAYS,
        },
    )


@require_POST
@permission_required("resources.verify_service", raise_exception=True)
def service_verified(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    service = get_object_or_404(Service, pk=pk)
    service.mark_verified(by=request.user)
    AuditEvent.record(request, "directory verified", service)
    messages.success(request, f"{service.name}: marked as verified today.")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("resources:service_detail", args=[service.pk])
    # A URL, never a view name: redirect() would try to reverse a bare word like "x".
    return HttpResponseRedirect(next_url)
