"""The test builder itself: a typo in a term code must fail loudly, not build a service without it."""

import pytest

from tests.resources.conftest import make_service


def test_it_gives_a_service_the_terms_it_names(db):
    service = make_service("Division Street Syringe Exchange", terms=["PC-SSP"])
    assert [term.code for term in service.terms.all()] == ["PC-SSP"]


def test_it_refuses_an_unknown_term_code(db):
    with pytest.raises(ValueError, match="PC-NOPE"):
        make_service("Misspelled Exchange", terms=["PC-SSP", "PC-NOPE"])
