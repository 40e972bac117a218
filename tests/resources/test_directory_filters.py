"""DirectoryFilterForm: whatever the URL says, the directory answers with what it can read."""

from django.http import QueryDict

from resources.forms import MAX_QUERY, DirectoryFilterForm
from resources.models import TaxonomyTerm

CHIPS = {
    "kind": [TaxonomyTerm(code="PC-SSP", name="Syringe services")],
    "medication": [TaxonomyTerm(code="MAT-BUP", name="Buprenorphine")],
    "payment": [TaxonomyTerm(code="NP", name="No cost")],
}
LANGUAGES = [("es", "Spanish"), ("vi", "Vietnamese")]


def form(query: str) -> DirectoryFilterForm:
    return DirectoryFilterForm(QueryDict(query), chips=CHIPS, languages=LANGUAGES)


def cleaned(query: str) -> dict:
    filters = form(query)
    # Never invalid: a value it cannot read is dropped, so the rest of the search still runs.
    assert filters.is_valid()
    return filters.cleaned_data


def test_it_keeps_known_chips_and_drops_the_rest():
    data = cleaned("kind=PC-SSP&kind=DROP+TABLE&pay=nope&lang=xx&lang=vi&medication=MAT-BUP")
    assert (data["kind"], data["pay"], data["lang"], data["medication"]) == (["PC-SSP"], [], ["vi"], ["MAT-BUP"])


def test_it_ticks_open_now_and_walk_in_only_for_1():
    data = cleaned("open=1&walkin=1")
    assert (data["open"], data["walkin"]) == (True, True)
    for value in ("0", "yes", "true", ""):
        data = cleaned(f"open={value}&walkin={value}")
        assert (data["open"], data["walkin"]) == (False, False)


def test_it_trims_and_cuts_the_search_words():
    assert cleaned("q=++metha++")["q"] == "metha"
    assert cleaned("q=" + "a" * 500)["q"] == "a" * MAX_QUERY
    assert cleaned("q=metha%00done")["q"] == "metha done"


def test_it_is_active_only_when_something_narrows_the_list():
    assert not form("").active
    assert not form("kind=unknown&open=0&q=+").active
    assert form("lang=es").active and form("walkin=1").active and form("q=clinic").active
