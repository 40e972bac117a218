"""Fictional, realistic sample services around Portland, Oregon, for demos and benchmarks.

Every organization, address and phone number here is made up (phone numbers
use the 555-01xx range reserved for fiction); every service is marked as a
sample and shows a "Sample" badge. Both loaders are idempotent: ids derive
from names, so running them again changes nothing.
"""

import random
import uuid
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from resources import search
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
    forget_directory_languages,
    rebuild_weekly_openings,
)
from resources.service_kinds import NAMESPACE, TERMS

WEEKDAYS = "MO,TU,WE,TH,FR"
EVERY_DAY = "MO,TU,WE,TH,FR,SA,SU"
LANGUAGES = {
    "en": "English",
    "es": "Spanish",
    "vi": "Vietnamese",
    "ru": "Russian",
    "zh": "Chinese",
    "so": "Somali",
    "ase": "American Sign Language",
}

# Organizations: name, street, city, ZIP
ORGANIZATIONS = {
    "rose": ("Rose City Harm Reduction Collective", "2231 SE Division St", "Portland", "97202"),
    "willamette": ("Willamette Recovery Clinic", "1510 NE Sandy Blvd", "Portland", "97232"),
    "eastside": ("Eastside Outreach Project", "18420 SE Stark St", "Portland", "97233"),
    "gresham": ("Gresham Community Health Cooperative", "455 NE Burnside Rd", "Gresham", "97030"),
    "tualatin": ("Tualatin Valley Wellness Center", "12650 SW Canyon Rd", "Beaverton", "97005"),
    "hillsboro": ("Hillsboro Family Health Partners", "230 SE Oak St", "Hillsboro", "97123"),
    "riverside": ("Riverside Opioid Treatment Program", "3308 N Interstate Ave", "Portland", "97227"),
    "clackamas": ("Clackamas Care Network", "10102 SE Main St", "Milwaukie", "97222"),
    "harbor": ("Harbor Light Shelter Alliance", "615 NW Everett St", "Portland", "97209"),
    "cascade": ("Cascade Withdrawal Care", "7900 SW Barbur Blvd", "Portland", "97219"),
    "testing": ("Open Door Testing Collaborative", "1225 N Killingsworth St", "Portland", "97217"),
    "mobile": ("Street Level Mobile Health", "5020 NE 42nd Ave", "Portland", "97218"),
}

# key, organization, service name, term codes, access, hours [(byday, opens, closes)], languages,
# payment codes, description, what to bring, peer notes
SAMPLES = [
    (
        "rose-ssp",
        "rose",
        "Division Street Syringe Exchange",
        ["PC-SYR", "NOE", "PC-SHARPS", "PC-SAFERSEX", "PC-REFER"],
        "walk-in",
        [(WEEKDAYS, "10:00", "14:00"), (WEEKDAYS, "16:00", "19:00")],
        ["en", "es"],
        ["NP"],
        "Sterile syringes and injection equipment, sharps containers, naloxone kits and safer sex supplies. "
        "No ID or names needed.",
        "",
        "Closed for lunch 2–4 pm; the side door on 23rd is quieter.",
    ),
    (
        "rose-wound",
        "rose",
        "Rose City Wound Care Drop-in",
        ["PC-WOUND", "PC-RRC"],
        "walk-in",
        [("TU,TH", "11:00", "15:00")],
        ["en"],
        ["NP"],
        "A nurse cleans and dresses wounds and abscesses, including xylazine-related wounds, and "
        "helps decide when a wound needs a clinic.",
        "",
        "Nurse is there Tuesdays and Thursdays only.",
    ),
    (
        "rose-dc",
        "rose",
        "Rose City Drug Checking",
        ["PC-DC", "PC-RRC"],
        "walk-in",
        [("WE,FR", "12:00", "18:00")],
        ["en", "es"],
        ["NP"],
        "Fentanyl and xylazine test strips to take away, and FTIR spectrometer checks on site "
        "while you wait.",
        "A small amount of the substance in its bag",
        "Results are shared only with the person who brought it.",
    ),
    (
        "rose-naloxone",
        "rose",
        "Naloxone Window",
        ["NOE"],
        "walk-in",
        [(EVERY_DAY, "00:00", "00:00")],
        ["en"],
        ["NP"],
        "Naloxone kits and a two-minute how-to, any hour: ring the bell at the window.",
        "",
        "",
    ),
    (
        "will-otp",
        "willamette",
        "Willamette Opioid Treatment Program",
        ["OTP", "MM", "BU", "PC-BUSL", "PEER"],
        "either",
        [(WEEKDAYS, "05:30", "13:00"), ("SA,SU", "07:00", "10:00")],
        ["en", "es", "ru"],
        ["MD", "MC", "SS"],
        "Methadone and buprenorphine, with same-day intake for most people. "
        "Counselling and peer support on site.",
        "Photo ID if you have one\nOregon Health Plan card\nA list of medicines you take",
        "Intake is first come first served from 5:30 am; arrive before 9 for same-day dosing.",
    ),
    (
        "will-bup",
        "willamette",
        "Bridge Clinic: Buprenorphine Same-Day Start",
        ["BU", "PC-BUSL", "BERI"],
        "walk-in",
        [(WEEKDAYS, "08:00", "17:00")],
        ["en", "es"],
        ["MD", "PI", "SS"],
        "Same-day buprenorphine starts, including the monthly injection. Bridge prescriptions "
        "until a regular clinic is found.",
        "Oregon Health Plan card if you have one",
        "Ask for the bridge nurse by name.",
    ),
    (
        "will-nal",
        "willamette",
        "Willamette Naltrexone Clinic",
        ["NU", "PC-NUTAB", "VTRL"],
        "appointment",
        [("MO,WE", "09:00", "16:00")],
        ["en"],
        ["MD", "PI"],
        "Naltrexone tablets and the monthly extended-release injection. Needs an opioid-free period first: "
        "staff explain how long.",
        "Photo ID\nInsurance card",
        "",
    ),
    (
        "east-van",
        "eastside",
        "Eastside Mobile Exchange Van",
        ["PC-SYR", "NOE", "PC-SHARPS", "PC-WOUND"],
        "walk-in",
        [("MO,WE,FR", "18:00", "23:00")],
        ["en", "es", "vi"],
        ["NP"],
        "The van parks at SE 122nd and Stark: syringes, naloxone, sharps disposal and basic wound care.",
        "",
        "Parks in the lot behind the grocery store when it rains.",
    ),
    (
        "east-night",
        "eastside",
        "Eastside Night Outreach",
        ["PC-SYR", "NOE", "PC-SAFERSEX", "PC-REFER"],
        "walk-in",
        [("FR,SA", "22:00", "04:00")],
        ["en", "es"],
        ["NP"],
        "Late-night outreach on foot along 82nd Avenue: supplies, naloxone, and a ride to shelter "
        "when beds are open.",
        "",
        "Call the outreach line and they will come to you.",
    ),
    (
        "east-peer",
        "eastside",
        "Eastside Peer Support Drop-in",
        ["PEER", "PC-REFER", "PC-RRC"],
        "walk-in",
        [("TU,TH,SA", "13:00", "17:00")],
        ["en"],
        ["NP"],
        "Peers with lived experience: coffee, a phone charger, and help with whatever is next.",
        "",
        "",
    ),
    (
        "gresham-ssp",
        "gresham",
        "Gresham Syringe Services",
        ["PC-SYR", "NOE", "PC-SHARPS", "PC-TEST"],
        "walk-in",
        [("TU,TH", "09:00", "12:00"), ("TU,TH", "13:00", "16:00")],
        ["en", "es", "ru"],
        ["NP"],
        "Syringe exchange, naloxone, and rapid HIV and hepatitis C testing.",
        "",
        "",
    ),
    (
        "gresham-mat",
        "gresham",
        "Gresham Community MAT Clinic",
        ["BU", "PC-BUSL", "NU", "VTRL"],
        "appointment",
        [(WEEKDAYS, "08:30", "17:00")],
        ["en", "es"],
        ["MD", "MC", "PI", "SS"],
        "Buprenorphine and naltrexone in primary care, with a counsellor in the same building.",
        "Photo ID\nInsurance card, if you have one",
        "",
    ),
    (
        "tv-ssp",
        "tualatin",
        "Beaverton Harm Reduction Hub",
        ["PC-SYR", "NOE", "PC-SAFERSEX", "PC-DC"],
        "walk-in",
        [("MO,WE", "12:00", "18:00"), ("SA", "10:00", "14:00")],
        ["en", "es", "zh"],
        ["NP"],
        "Supplies, naloxone, test strips and a quiet room to talk.",
        "",
        "",
    ),
    (
        "tv-bup",
        "tualatin",
        "Tualatin Valley Buprenorphine Program",
        ["BU", "PC-BUSL", "BERI", "PEER"],
        "either",
        [(WEEKDAYS, "07:00", "19:00")],
        ["en", "es", "vi"],
        ["MD", "SS"],
        "Buprenorphine starts and follow-up, telehealth visits after the first.",
        "Oregon Health Plan card",
        "",
    ),
    (
        "hills-health",
        "hillsboro",
        "Hillsboro Family Health: Testing and Vaccines",
        ["PC-TEST", "PC-WOUND"],
        "either",
        [("MO,TU,WE,TH", "08:00", "18:00")],
        ["en", "es"],
        ["MD", "SS", "NP"],
        "HIV, hepatitis C and STI testing, hepatitis vaccines, and wound care.",
        "",
        "",
    ),
    (
        "hills-mat",
        "hillsboro",
        "Hillsboro MAT Services",
        ["BU", "PC-BUSL", "NU", "PC-NUTAB"],
        "appointment",
        [("TU,TH", "09:00", "17:00")],
        ["en", "es"],
        ["MD", "PI"],
        "Medication for opioid use disorder in a family clinic.",
        "Photo ID\nInsurance card",
        "",
    ),
    (
        "river-otp",
        "riverside",
        "Riverside Methadone Clinic",
        ["OTP", "MM", "PEER"],
        "either",
        [(WEEKDAYS, "05:00", "11:30"), ("SA", "06:00", "09:00")],
        ["en", "es", "so"],
        ["MD", "MC", "SF"],
        "A certified opioid treatment program. Take-home doses for people who qualify.",
        "Photo ID\nOregon Health Plan card",
        "Guest dosing possible with a call from the home clinic.",
    ),
    (
        "river-bup",
        "riverside",
        "Riverside Buprenorphine Injection Clinic",
        ["BERI", "BU"],
        "appointment",
        [("WE", "10:00", "15:00")],
        ["en"],
        ["MD", "PI"],
        "Weekly and monthly extended-release buprenorphine injections.",
        "Insurance card",
        "",
    ),
    (
        "clack-ssp",
        "clackamas",
        "Milwaukie Syringe Services",
        ["PC-SYR", "NOE", "PC-SHARPS"],
        "walk-in",
        [("MO,TH", "11:00", "16:00")],
        ["en"],
        ["NP"],
        "Syringes, sharps containers and naloxone in Clackamas County.",
        "",
        "",
    ),
    (
        "clack-detox",
        "clackamas",
        "Clackamas Withdrawal Support Unit",
        ["PC-DETOX", "BU"],
        "either",
        [(EVERY_DAY, "00:00", "00:00")],
        ["en", "es"],
        ["MD", "MC", "PI", "SS"],
        "Medically supported withdrawal with buprenorphine available, and a plan for what comes after.",
        "Photo ID if you have one\nMedications you take",
        "Call first: beds fill by mid-morning.",
    ),
    (
        "clack-test",
        "clackamas",
        "Oregon City Testing Clinic",
        ["PC-TEST"],
        "walk-in",
        [("TU", "12:00", "19:00")],
        ["en", "es"],
        ["NP"],
        "Free rapid HIV and hepatitis C tests with results in 20 minutes.",
        "",
        "",
    ),
    (
        "harbor-shelter",
        "harbor",
        "Harbor Light Low-Barrier Shelter",
        ["PC-SHELTER", "NOE"],
        "walk-in",
        [(EVERY_DAY, "19:00", "08:00")],
        ["en", "es"],
        ["NP"],
        "Low-barrier overnight shelter: pets and partners welcome, lockers, naloxone on every floor.",
        "",
        "Line forms at 6:30 pm; beds held until 9 pm for people referred by outreach.",
    ),
    (
        "harbor-women",
        "harbor",
        "Harbor Light Women's Shelter",
        ["PC-SHELTER"],
        "appointment",
        [(EVERY_DAY, "00:00", "00:00")],
        ["en", "es", "ase"],
        ["NP"],
        "Shelter for women and nonbinary people, open around the clock. Call for a bed.",
        "",
        "",
    ),
    (
        "harbor-day",
        "harbor",
        "Harbor Day Center",
        ["PC-SHELTER", "PC-REFER", "PEER"],
        "walk-in",
        [(WEEKDAYS, "07:00", "11:00"), (WEEKDAYS, "13:00", "17:00")],
        ["en"],
        ["NP"],
        "Showers, laundry, mail and a warm room in the day.",
        "",
        "",
    ),
    (
        "cascade-detox",
        "cascade",
        "Cascade Withdrawal Care Center",
        ["PC-DETOX", "BU", "NU"],
        "either",
        [(EVERY_DAY, "00:00", "00:00")],
        ["en", "es", "ru"],
        ["MD", "MC", "PI", "SS"],
        "24-hour medically monitored withdrawal management, with MAT starts before discharge.",
        "Photo ID if you have one\nInsurance card, if you have one\nMedications you take",
        "",
    ),
    (
        "cascade-out",
        "cascade",
        "Cascade Outpatient Withdrawal Clinic",
        ["PC-DETOX", "BU", "PC-BUSL"],
        "appointment",
        [("MO,WE,FR", "09:00", "15:00")],
        ["en"],
        ["MD", "PI"],
        "Outpatient withdrawal support for people who can stay at home.",
        "Insurance card",
        "",
    ),
    (
        "test-north",
        "testing",
        "North Portland Testing Van",
        ["PC-TEST", "PC-SAFERSEX"],
        "walk-in",
        [("WE", "16:00", "20:00"), ("SA", "11:00", "15:00")],
        ["en", "es"],
        ["NP"],
        "Rapid HIV, syphilis and hepatitis C testing in the van, with PrEP referrals.",
        "",
        "",
    ),
    (
        "test-clinic",
        "testing",
        "Open Door Testing Clinic",
        ["PC-TEST", "PC-REFER"],
        "either",
        [(WEEKDAYS, "09:00", "17:00")],
        ["en", "vi", "zh"],
        ["NP", "MD"],
        "Testing, hepatitis C treatment referrals and hepatitis vaccines.",
        "",
        "",
    ),
    (
        "mobile-mat",
        "mobile",
        "Street Level Mobile MAT",
        ["BU", "PC-BUSL", "NOE", "PEER"],
        "walk-in",
        [("TU,TH", "10:00", "14:00")],
        ["en", "es"],
        ["MD", "NP"],
        "Buprenorphine starts from a clinic on wheels, at the same corner every week.",
        "",
        "",
    ),
    (
        "mobile-wound",
        "mobile",
        "Street Level Wound Care",
        ["PC-WOUND", "PC-SHARPS", "NOE"],
        "walk-in",
        [("MO,WE", "09:00", "13:00"), ("FR", "17:00", "01:00")],
        ["en"],
        ["NP"],
        "Wound and abscess care on the street; the Friday evening run goes past midnight.",
        "",
        "",
    ),
    (
        "mobile-dc",
        "mobile",
        "Street Level Drug Checking",
        ["PC-DC"],
        "walk-in",
        [("SA", "20:00", "02:00")],
        ["en", "es"],
        ["NP"],
        "Test strips and on-the-spot checks at weekend events and camps.",
        "",
        "",
    ),
    (
        "gresham-shelter",
        "gresham",
        "Gresham Warming Center",
        ["PC-SHELTER"],
        "walk-in",
        [(EVERY_DAY, "20:00", "07:00")],
        ["en", "es"],
        ["NP"],
        "Seasonal warming center on cold nights.",
        "",
        "Opens only when the forecast is below 32°F.",
    ),
    (
        "tv-detox",
        "tualatin",
        "Washington County Withdrawal Center",
        ["PC-DETOX"],
        "either",
        [(EVERY_DAY, "00:00", "00:00")],
        ["en", "es"],
        ["MD", "SS"],
        "Around-the-clock withdrawal management in Washington County.",
        "Photo ID if you have one",
        "",
    ),
    (
        "eastside-test",
        "eastside",
        "Eastside Testing and Vaccines",
        ["PC-TEST"],
        "walk-in",
        [("WE", "10:00", "16:00")],
        ["en", "ru"],
        ["NP"],
        "Testing and vaccines without an appointment.",
        "",
        "",
    ),
    (
        "will-peer",
        "willamette",
        "Willamette Recovery Peer Line",
        ["PEER", "PC-REFER"],
        "either",
        [(EVERY_DAY, "08:00", "22:00")],
        ["en", "es"],
        ["NP"],
        "Peers answer the phone and meet in person; no treatment needed to call.",
        "",
        "",
    ),
    (
        "rose-sexhealth",
        "rose",
        "Rose City Safer Sex Supplies",
        ["PC-SAFERSEX", "PC-TEST"],
        "walk-in",
        [("TH", "15:00", "19:00")],
        ["en", "es"],
        ["NP"],
        "Condoms, lube, and testing on Thursdays.",
        "",
        "",
    ),
    (
        "clack-mat",
        "clackamas",
        "Clackamas Methadone and Buprenorphine Clinic",
        ["OTP", "MM", "BU", "PC-BUSL"],
        "either",
        [(WEEKDAYS, "05:30", "12:00"), ("SA", "07:00", "09:00")],
        ["en", "es"],
        ["MD", "MC", "SF"],
        "Certified opioid treatment program in Milwaukie.",
        "Photo ID\nOregon Health Plan card",
        "",
    ),
    (
        "hills-ssp",
        "hillsboro",
        "Hillsboro Syringe Services",
        ["PC-SYR", "NOE", "PC-SHARPS", "PC-RRC"],
        "walk-in",
        [("MO,WE,FR", "13:00", "17:00")],
        ["en", "es"],
        ["NP"],
        "Syringe services with Spanish-speaking staff.",
        "",
        "",
    ),
    (
        "cascade-vivitrol",
        "cascade",
        "Cascade Naltrexone Injection Clinic",
        ["VTRL", "NU"],
        "appointment",
        [("TH", "09:00", "15:00")],
        ["en"],
        ["PI", "MD", "SF"],
        "Monthly naltrexone injections.",
        "Insurance card",
        "",
    ),
    (
        "mobile-naloxone",
        "mobile",
        "Pharmacy Naloxone Program",
        ["NOE"],
        "walk-in",
        [(WEEKDAYS, "09:00", "21:00"), ("SA,SU", "10:00", "18:00")],
        ["en", "es", "vi", "zh"],
        ["NP", "MD"],
        "Any pharmacist in Oregon can give naloxone; this partner pharmacy keeps kits at the counter.",
        "",
        "",
    ),
    (
        "testing-closed",
        "testing",
        "Old Town Testing Site",
        ["PC-TEST"],
        "walk-in",
        [("MO", "10:00", "14:00")],
        ["en"],
        ["NP"],
        "Closed for renovation; testing moved to the Open Door clinic.",
        "",
        "",
    ),
]
# Shown to peers with a notice; the other statuses hide a service from peers.
TEMPORARILY_CLOSED = {"testing-closed"}


def sample_id(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"sample:{kind}:{key}")


def _time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@transaction.atomic
def load_sample_directory() -> int:
    """Create or update the ~40 sample services (idempotent). Returns how many there are."""
    terms = {t.code: t for t in TaxonomyTerm.objects.filter(code__in=[code for code, *_ in TERMS])}
    today = timezone.localdate()
    organizations, locations = {}, {}
    for key, (name, street, city, zip_code) in ORGANIZATIONS.items():
        organizations[key], _ = Organization.objects.update_or_create(
            hsds_id=sample_id("organization", key),
            defaults={"name": name, "description": f"{name} (sample organization)."},
        )
        locations[key], _ = Location.objects.update_or_create(
            hsds_id=sample_id("location", key),
            defaults={
                "organization": organizations[key],
                "name": name,
                "transportation": "TriMet buses stop nearby.",
            },
        )
        Address.objects.update_or_create(
            hsds_id=sample_id("address", key),
            defaults={"location": locations[key], "address_1": street, "city": city, "postal_code": zip_code},
        )
    for index, sample in enumerate(SAMPLES):
        (key, org, name, codes, access, hours, languages, payments, description, bring, notes) = sample
        service, _ = Service.objects.update_or_create(
            hsds_id=sample_id("service", key),
            defaults={
                "organization": organizations[org],
                "name": name,
                "description": description,
                "access": access,
                "what_to_bring": bring,
                "peer_notes": notes,
                "eligibility_description": "Adults 18 and over." if "MAT" in name or "OTP" in codes else "",
                "fees_description": "Free." if payments == ["NP"] else "",
                "status": Service.Status.TEMPORARILY_CLOSED
                if key in TEMPORARILY_CLOSED
                else Service.Status.ACTIVE,
                "alert": "Temporarily closed for renovation." if key in TEMPORARILY_CLOSED else "",
                "is_sample": True,
                # Spread over the freshness window so the stale list has something in it.
                "last_verified_on": today - timedelta(days=(index * 7) % 140),
            },
        )
        ServiceAtLocation.objects.update_or_create(
            hsds_id=sample_id("sal", key), defaults={"service": service, "location": locations[org]}
        )
        Phone.objects.update_or_create(
            hsds_id=sample_id("phone", key),
            defaults={"service": service, "number": f"503-555-01{index:02d}", "type": Phone.Type.VOICE},
        )
        keep = []
        for row, (byday, opens, closes) in enumerate(hours):
            schedule, _ = Schedule.objects.update_or_create(
                hsds_id=sample_id("schedule", f"{key}:{row}"),
                defaults={
                    "service": service,
                    "byday": byday,
                    "opens_at": _time(opens),
                    "closes_at": _time(closes),
                },
            )
            keep.append(schedule.pk)
        service.schedules.exclude(pk__in=keep).delete()
        keep = []
        for code in languages:
            language, _ = Language.objects.update_or_create(
                hsds_id=sample_id("language", f"{key}:{code}"),
                defaults={"service": service, "name": LANGUAGES[code], "code": code},
            )
            keep.append(language.pk)
        service.languages.exclude(pk__in=keep).delete()
        service.set_terms([terms[c] for c in codes + payments])
        service.refresh_search_document()
    return len(SAMPLES)


PLACES = [
    "Northside",
    "Southeast",
    "Gateway",
    "Lents",
    "St. Johns",
    "Cully",
    "Foster",
    "Rockwood",
    "Aloha",
    "Tigard",
    "Sellwood",
    "Hollywood",
    "Montavilla",
    "Parkrose",
    "Woodstock",
    "Kenton",
]
KIND_SETS = [
    ("Syringe Services", ["PC-SYR", "NOE", "PC-SHARPS"], ["NP"]),
    ("Buprenorphine Clinic", ["BU", "PC-BUSL"], ["MD", "SS"]),
    ("Methadone Program", ["OTP", "MM"], ["MD", "MC"]),
    ("Naltrexone Clinic", ["NU", "VTRL"], ["MD", "PI"]),
    ("Drug Checking", ["PC-DC"], ["NP"]),
    ("Testing Site", ["PC-TEST"], ["NP"]),
    ("Shelter", ["PC-SHELTER"], ["NP"]),
    ("Withdrawal Center", ["PC-DETOX"], ["MD", "SS"]),
    ("Wound Care", ["PC-WOUND"], ["NP"]),
]
HOUR_SETS = [
    [(WEEKDAYS, "09:00", "17:00")],
    [(WEEKDAYS, "08:00", "12:00"), (WEEKDAYS, "13:00", "17:00")],
    [(EVERY_DAY, "00:00", "00:00")],
    [("FR,SA", "21:00", "03:00")],
    [("TU,TH", "10:00", "14:00"), ("SA", "10:00", "13:00")],
    [(EVERY_DAY, "19:00", "07:00")],
]


@transaction.atomic
def generate_services(count: int, seed: int = 4) -> int:
    """Add `count` generated sample services for benchmarks (bulk inserts; idempotent by id).

    Returns how many were created this time.
    """
    rng = random.Random(seed)
    terms = {t.code: t for t in TaxonomyTerm.objects.all()}
    organization, _ = Organization.objects.get_or_create(
        hsds_id=sample_id("organization", "generated"), defaults={"name": "Sample Benchmark Network"}
    )
    wanted = {sample_id("service", f"generated:{i}"): i for i in range(count)}
    existing = set(Service.objects.filter(hsds_id__in=wanted).values_list("hsds_id", flat=True))
    today = timezone.localdate()
    services, plans = [], []
    for hsds_id, i in wanted.items():
        if hsds_id in existing:
            continue
        place = rng.choice(PLACES)
        label, codes, payments = rng.choice(KIND_SETS)
        hours = rng.choice(HOUR_SETS)
        languages = ["en"] + rng.sample(["es", "vi", "ru", "zh", "so"], rng.randint(0, 2))
        tagged = {a.pk: a for code in codes + payments for a in terms[code].with_ancestors()}
        name = f"{place} {label} {i + 1}"
        kinds = [t.name for t in tagged.values() if t.facet in ("kind", "medication")]
        access = rng.choice(["walk-in", "appointment", "either"])
        # What Service.refresh_search_document would store, without a query per service.
        document = search.document(
            name, organization.name, *[t.name for t in tagged.values()], *[LANGUAGES[c] for c in languages],
            place, "walk-in appointment" if access == "either" else access,
        )
        services.append(
            Service(
                hsds_id=hsds_id,
                organization=organization,
                name=name,
                is_sample=True,
                access=access,
                search_document=document,
                search_name=search.document(name),
                search_kinds=search.document(*kinds),
                description=f"A generated sample service in {place}.",
                last_verified_on=today - timedelta(days=rng.randint(0, 200)),
            )
        )
        plans.append((hours, languages, tagged, place, i))
    Service.objects.bulk_create(services, batch_size=500)
    # bulk_create returns primary keys on PostgreSQL and SQLite alike.
    schedules, languages_rows, links, locations, sals, phones = [], [], [], [], [], []
    Through = Service.terms.through
    for service, (hours, languages, tagged, place, i) in zip(services, plans, strict=True):
        schedules += [
            Schedule(service=service, byday=b, opens_at=_time(o), closes_at=_time(c)) for b, o, c in hours
        ]
        languages_rows += [Language(service=service, code=c, name=LANGUAGES[c]) for c in languages]
        links += [Through(service_id=service.pk, taxonomyterm_id=pk) for pk in tagged]
        locations.append(Location(organization=organization, name=f"{place} site {i + 1}"))
        phones.append(Phone(service=service, number=f"503-555-01{i % 100:02d}"))
    Location.objects.bulk_create(locations, batch_size=500)
    for service, location in zip(services, locations, strict=True):
        sals.append(ServiceAtLocation(service=service, location=location))
    Address.objects.bulk_create(
        [
            Address(location=loc, address_1=f"{1000 + n} SE Sample St", city="Portland", postal_code="97214")
            for n, loc in enumerate(locations)
        ],
        batch_size=500,
    )
    ServiceAtLocation.objects.bulk_create(sals, batch_size=500)
    Schedule.objects.bulk_create(schedules, batch_size=1000)
    Language.objects.bulk_create(languages_rows, batch_size=1000)
    Through.objects.bulk_create(links, batch_size=1000)
    Phone.objects.bulk_create(phones, batch_size=1000)
    # bulk_create sends no signals: the language filter's cache must hear of the new rows,
    # and open now needs the new schedules' weekly ranges.
    forget_directory_languages()
    rebuild_weekly_openings([service.pk for service in services])
    return len(services)
