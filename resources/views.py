from itertools import groupby

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.middleware import HtmxDetails

from resources.language import find_terms, split_at_matches
from resources.library_content import LANGUAGE_SOURCES
from resources.models import Card, Term

# The search box's maxlength; a longer ?q= (typed into the address bar) is cut here.
MAX_QUERY = 100
# The "check a sentence" box on the Words page: a few sentences, not a document.
MAX_CHECK = 2000


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_GET
@permission_required("resources.view_card", raise_exception=True)
def library(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    category = request.GET.get("category", "")
    problem = ""
    if category and category not in Card.Category.values:
        problem = "There is no such category, so all cards are shown."
        category = ""

    cards = Card.objects.search(query).in_reading_order()
    if category:
        cards = cards.filter(category=category)
    labels = dict(Card.Category.choices)
    groups = [
        {"value": value, "label": labels[value], "cards": list(group)}
        for value, group in groupby(cards, key=lambda card: card.category)
    ]
    context = {
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
@permission_required("resources.view_card", raise_exception=True)
def card_show(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    # Only cards written to be shown: a peers-only card has no show screen.
    showable = Card.objects.filter(audience=Card.Audience.PARTICIPANT).exclude(plain_language="")
    card = get_object_or_404(showable, slug=slug)
    return render(request, "resources/card_show.html", {"card": card})


@require_http_methods(["GET", "POST"])
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
            "sources": LANGUAGE_SOURCES,
            "text": text,
            "problem": problem,
            "checked": request.method == "POST" and not problem,
            "pieces": pieces,
            "matches": matches,
            "max_check": MAX_CHECK,
        },
    )
