"""A small builder for directory services: each test says only what it needs."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from resources.models import (
    Address,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from resources.service_kinds import load_service_kinds


def _time(text):
    hour, minute = text.split(":")
    return time(int(hour), int(minute))


def make_service(
    name,
    *,
    terms=(),
    hours=(),
    languages=(),
    access="",
    status="active",
    time_zone="America/Los_Angeles",
    verified_days_ago=0,
    description="",
    city="Portland",
    phone="503-555-0199",
    **extra,
):
    organization, _ = Organization.objects.get_or_create(name="Test Health Collective")
    service = Service.objects.create(
        organization=organization,
        name=name,
        access=access,
        status=status,
        time_zone=time_zone,
        description=description,
        last_verified_on=None
        if verified_days_ago is None
        else timezone.localdate() - timedelta(days=verified_days_ago),
        **extra,
    )
    location = Location.objects.create(organization=organization, name=f"{name} site")
    Address.objects.create(location=location, address_1="100 SE Example St", city=city, postal_code="97214")
    ServiceAtLocation.objects.create(service=service, location=location)
    if phone:
        Phone.objects.create(service=service, number=phone)
    for byday, opens, closes in hours:
        Schedule.objects.create(service=service, byday=byday, opens_at=_time(opens), closes_at=_time(closes))
    for code, language in languages:
        Language.objects.create(service=service, code=code, name=language)
    found = list(TaxonomyTerm.objects.filter(code__in=terms))
    unknown = set(terms) - {term.code for term in found}
    if unknown:
        # A typo here would silently build a service without the term and let a filter test pass for nothing.
        raise ValueError(f"No taxonomy term with code {', '.join(sorted(unknown))}")
    service.set_terms(found)
    service.refresh_search_document()
    return service


@pytest.fixture(autouse=True)
def _service_kinds(request):
    """The vocabulary comes from a data migration; a transactional test elsewhere may have emptied it."""
    if "db" in request.fixturenames:
        request.getfixturevalue("db")
        if not TaxonomyTerm.objects.exists():
            load_service_kinds()
