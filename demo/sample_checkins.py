"""Sample check-ins for the demo and for benchmarks (never used in production)."""

import random
from datetime import timedelta

from django.utils import timezone

from resources.models import Service
from sessions_app.models import (
    CODE_WORDS,
    CheckIn,
    ContactMethod,
    FundingSource,
    OverdoseReversal,
    Participant,
    Program,
    Referral,
    SupplyGiven,
    SupplyItem,
)

NOTES = [
    "Stopped by the tent, talked about the weekend. Took two naloxone kits for friends.",
    "Wanted to talk about methadone; shared what an OTP intake looks like and the take-home rules.",
    "Drop-in coffee. They are thinking about getting a wound looked at; gave a wound care kit.",
    "Asked about fentanyl test strips and how to read them. Walked through the steps together.",
    "Quiet visit. They said it helps to be heard without having to explain themselves.",
    "Talked about housing paperwork and a ride to the clinic next week.",
]
GOALS = [
    "Keep my friends safe this winter.",
    "Get on buprenorphine before my court date.",
    "See someone about my arm.",
    "Find a place to sleep that lets me keep my dog.",
    "",
    "",
]


# Made-up funders for the demo: who pays for what (a funder that stopped paying
# for fentanyl test strips is why reports can leave a funder's items out).
DEMO_FUNDERS = {
    "State harm reduction grant": ["Naloxone kits", "Syringes", "Sharps containers"],
    "County opioid settlement fund": ["Wound care kits", "Safer smoking supplies", "Hygiene kits"],
    "Community donations": ["Fentanyl test strips", "Safer sex supplies"],
}
AREAS = ["Old Town", "97214", "Under the Burnside bridge", "Gateway", "97233", "Lents park", ""]


def set_demo_funders() -> None:
    """Give the demo's supply items a funding source each, where an admin has not set one."""
    for order, (name, items) in enumerate(DEMO_FUNDERS.items()):
        source, _ = FundingSource.objects.get_or_create(name=name, defaults={"order": order})
        SupplyItem.objects.filter(name__in=items, funding_source__isnull=True).update(funding_source=source)


def load_sample_checkins(peers, count: int, *, days: int = 90, seed: int = 7) -> int:
    """Add `count` check-ins spread over the last `days` days across `peers`. Returns how many were made."""
    rng = random.Random(seed)
    methods = list(ContactMethod.objects.filter(active=True))
    programs = list(Program.objects.filter(active=True)) + [None]
    supplies = list(SupplyItem.objects.filter(active=True))
    per_peer = max(3, count // (len(peers) * 4))
    participants = {
        peer.pk: [
            Participant.objects.get_or_create(
                code=f"{CODE_WORDS[n % len(CODE_WORDS)]}-{100 + i * per_peer + n}", defaults={"created_by": peer}
            )[0]
            for n in range(per_peer)
        ]
        for i, peer in enumerate(peers)
    }
    now = timezone.now()
    batch = []
    for _ in range(count):
        peer = rng.choice(peers)
        happened_at = now - timedelta(minutes=rng.randrange(days * 24 * 60))
        # Supervisors keep up: what is older than two weeks has been reviewed.
        reviewer = peer.team.supervisor if peer.team_id and happened_at < now - timedelta(days=14) else None
        batch.append(CheckIn(
            peer=peer,
            participant=rng.choice(participants[peer.pk] + [None]),
            happened_at=happened_at,
            reviewed_at=happened_at + timedelta(days=2) if reviewer else None,
            reviewed_by=reviewer,
            method=rng.choice(methods),
            program=rng.choice(programs),
            duration_minutes=rng.choice([5, 10, 15, 20, 30, 45]),
            note=rng.choice(NOTES),
            goals=rng.choice(GOALS),
        ))
    made = CheckIn.objects.bulk_create(batch, batch_size=2000)
    SupplyGiven.objects.bulk_create(
        (
            SupplyGiven(checkin=checkin, item=item, count=rng.randint(1, 10),
                        collected=rng.choice([0, 0, 5, 10, 20, 40]) if item.collected else 0)
            for checkin in made
            for item in rng.sample(supplies, rng.randint(0, 3))
        ),
        batch_size=5000,
    )
    # About one contact in 25 brings news of an overdose they reversed.
    OverdoseReversal.objects.bulk_create(
        (
            OverdoseReversal(
                checkin=checkin, participant=checkin.participant, reported_by=checkin.peer,
                reported_on=checkin.happened_on,
                happened_on=checkin.happened_on - timedelta(days=rng.randint(0, 6)),
                area=rng.choice(AREAS), naloxone_doses=rng.choice([1, 2, 2, 3, None]),
                ems_called=rng.choice([True, False, None]),
                outcome=rng.choice(["alive", "alive", "alive", "hospital", "unknown"]),
            )
            for checkin in made
            if rng.random() < 0.04
        ),
        batch_size=5000,
    )
    services = list(Service.objects.filter(is_sample=True).listed().values_list("pk", flat=True)[:60])
    if services:
        statuses = [Referral.Status.OFFERED] * 4 + [Referral.Status.ACCEPTED] * 3 + [
            Referral.Status.CONNECTED] * 2 + [Referral.Status.DECLINED]
        Referral.objects.bulk_create(
            (
                Referral(checkin=checkin, service_id=rng.choice(services), status=rng.choice(statuses))
                for checkin in made
                if rng.random() < 0.15
            ),
            batch_size=5000,
        )
    return len(made)
