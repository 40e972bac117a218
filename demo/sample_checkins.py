"""Sample check-ins for the demo and for benchmarks (never used in production)."""

import random
from datetime import timedelta

from django.conf import settings
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
    ReferralStatusChange,
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
        _sample_referrals(rng, made, services, now)
    return len(made)


# How demo referrals go, as the statuses they pass through, with how often (out of 20).
REFERRAL_PATHS = [
    (("offered",), 4),
    (("offered", "accepted"), 3),
    (("offered", "accepted", "connected"), 4),
    (("offered", "connected", "engaged"), 2),
    (("offered", "accepted", "connected", "engaged"), 3),
    (("offered", "not_connected"), 2),
    (("offered", "declined"), 2),
]


def _sample_referrals(rng, checkins, services, now) -> None:
    """About one check-in in seven refers somewhere; each referral gets a dated history.

    A step comes 0 to 10 days after the one before; a step that would fall after
    now has not happened yet, so the referral stops before it (still offered or
    accepted, with a day to check back on).
    """
    days = getattr(settings, "REFERRAL_CHECK_BACK_DAYS", 7)
    paths = [path for path, weight in REFERRAL_PATHS for _ in range(weight)]
    referrals, steps = [], []
    for checkin in checkins:
        if rng.random() >= 0.15:
            continue
        when, path = checkin.happened_at, []
        for n, status in enumerate(rng.choice(paths)):
            if n:
                when = when + timedelta(days=rng.choice([0, 1, 1, 2, 3, 4, 6, 8, 10]), hours=rng.randrange(8))
                if when > now:
                    break
            path.append((status, when))
        status, last = path[-1]
        connected = next((w for s, w in path if s == "connected"), None)
        referrals.append(Referral(
            checkin=checkin, service_id=rng.choice(services), status=status, status_changed_at=last,
            reason=rng.choice(Referral.Reason.values) if status == "not_connected" else "",
            check_back_on=timezone.localdate(last) + timedelta(days=days) if status in Referral.OPEN else None,
            days_to_connect=(timezone.localdate(connected) - checkin.happened_on).days if connected else None,
        ))
        steps.append(path)
    made = Referral.objects.bulk_create(referrals, batch_size=5000)
    ReferralStatusChange.objects.bulk_create(
        (
            ReferralStatusChange(referral=referral, status=status, at=when, by_id=referral.checkin.peer_id,
                                 reason=referral.reason if status == "not_connected" else "")
            for referral, path in zip(made, steps, strict=True)
            for status, when in path
        ),
        batch_size=5000,
    )


def load_possible_duplicates(peers) -> None:
    """One person met by two teams under two built codes a letter apart (a misheard answer),
    so the content admin's "possible duplicates" page has something to show. Idempotent."""
    method = ContactMethod.objects.filter(active=True).first()
    for peer, code, name in ((peers[0], "GAM17", ""), (peers[-1], "GAN17", "Gabi")):
        participant, made = Participant.objects.get_or_create(
            code=code, defaults={"created_by": peer, "preferred_name": name})
        if made:
            CheckIn.objects.create(peer=peer, participant=participant, method=method,
                                   happened_at=timezone.now() - timedelta(days=3), note="Coffee and a chat.")
