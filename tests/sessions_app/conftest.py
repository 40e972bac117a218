import uuid

import pytest

from sessions_app.models import CheckIn, ContactMethod, Participant, SupplyItem


@pytest.fixture
def outreach(db):
    return ContactMethod.objects.get(name="Street outreach")


@pytest.fixture
def naloxone(db):
    return SupplyItem.objects.get(name="Naloxone kits")


@pytest.fixture
def cedar(peer):
    return Participant.objects.create(code="Cedar-101", preferred_name="Cee", created_by=peer)


@pytest.fixture
def checkin(peer, cedar, outreach):
    return CheckIn.objects.create(
        peer=peer, participant=cedar, method=outreach, note="Talked about the weekend.", goals="Stay warm."
    )


def form_data(method, **extra):
    data = {"key": str(uuid.uuid4()), "happened_at": "2026-11-20T14:30", "method": str(method.pk)}
    data.update(extra)
    return data
