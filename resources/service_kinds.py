"""The directory's vocabulary: service kinds, medications and payment options.

Loaded by a data migration (the directory cannot filter without it) and kept
idempotent: each term's HSDS id is derived from its code, so every install,
export and re-import agrees on it. Codes are SAMHSA FindTreatment.gov's where
one fits (OTP, MU, BU, NU, BERI, VTRL, NOE, PEER, MD, NP, SS, …); the others
carry our "PC-" prefix.
"""

import uuid

# One namespace for every id we derive, so the same code always gives the same UUID.
NAMESPACE = uuid.UUID("6f1c1d1e-5b0a-4b8e-9a51-3c0f2a7d9e10")
TAXONOMY_NAME = "Peer companion directory"
TAXONOMY_ID = uuid.uuid5(NAMESPACE, "taxonomy")

KIND, MEDICATION, PAYMENT, OTHER = "kind", "medication", "payment", "other"

# code, name, facet, parent code, offered as a filter chip
TERMS: list[tuple[str, str, str, str, bool]] = [
    # Syringe services programs: the deck's list of what an SSP offers.
    ("PC-SSP", "Syringe services", KIND, "", True),
    ("PC-SYR", "Syringe exchange", KIND, "PC-SSP", False),
    ("NOE", "Naloxone and overdose education", KIND, "PC-SSP", True),
    ("PC-SHARPS", "Sharps containers and disposal", KIND, "PC-SSP", False),
    ("PC-RRC", "Risk-reduction counselling", KIND, "PC-SSP", False),
    ("PC-SAFERSEX", "Safer sex supplies", KIND, "PC-SSP", False),
    ("PC-WOUND", "Wound and abscess care", KIND, "PC-SSP", True),
    ("PC-REFER", "Referrals", KIND, "PC-SSP", False),
    # Medications for opioid use disorder (MAT / MOUD).
    ("PC-MAT", "MAT / MOUD", KIND, "", True),
    ("OTP", "Opioid treatment program (OTP)", KIND, "PC-MAT", False),
    ("MU", "Methadone", MEDICATION, "PC-MAT", True),
    ("MM", "Methadone maintenance", MEDICATION, "MU", False),
    ("BU", "Buprenorphine", MEDICATION, "PC-MAT", True),
    ("PC-BUSL", "Buprenorphine film or tablet", MEDICATION, "BU", False),
    ("BERI", "Buprenorphine extended-release injection", MEDICATION, "BU", False),
    ("NU", "Naltrexone", MEDICATION, "PC-MAT", True),
    ("PC-NUTAB", "Naltrexone tablet", MEDICATION, "NU", False),
    ("VTRL", "Naltrexone extended-release injection", MEDICATION, "NU", False),
    # Other kinds a peer refers to.
    ("PC-DC", "Drug checking", KIND, "", True),
    ("PC-TEST", "HIV and hepatitis C testing", KIND, "", True),
    ("PC-SHELTER", "Shelter", KIND, "", True),
    ("PC-DETOX", "Withdrawal management (detox)", KIND, "", True),
    ("PEER", "Peer support", KIND, "", False),
    # Payment (FindTreatment codes).
    ("NP", "Free", PAYMENT, "", True),
    ("MD", "Oregon Health Plan (Medicaid)", PAYMENT, "", True),
    ("MC", "Medicare", PAYMENT, "", False),
    ("PI", "Private insurance", PAYMENT, "", False),
    ("SS", "Sliding fee scale", PAYMENT, "", False),
    ("SF", "Self-pay", PAYMENT, "", False),
    # Carried in HSDS exports as attributes with a value (resources/hsds.py), never tagged.
    ("PC-ACCESS", "Access: walk-in or appointment", OTHER, "", False),
    ("PC-TZ", "Time zone of the service's hours (IANA name)", OTHER, "", False),
]


def term_id(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"term:{code}")


def load_service_kinds(apps=None) -> None:
    """Create or update the vocabulary (idempotent). `apps` is a migration's registry."""
    if apps is None:
        from django.apps import apps
    Taxonomy = apps.get_model("resources", "Taxonomy")
    TaxonomyTerm = apps.get_model("resources", "TaxonomyTerm")
    taxonomy, _ = Taxonomy.objects.update_or_create(
        hsds_id=TAXONOMY_ID,
        defaults={
            "name": TAXONOMY_NAME,
            "description": "Service kinds, medications and payment options for SSP and MAT referrals. "
            "Codes follow SAMHSA FindTreatment.gov where one fits.",
        },
    )
    by_code = {}
    for position, (code, name, facet, parent_code, is_filter) in enumerate(TERMS):
        by_code[code], _ = TaxonomyTerm.objects.update_or_create(
            hsds_id=term_id(code),
            defaults={
                "taxonomy": taxonomy,
                "code": code,
                "name": name,
                "facet": facet,
                "parent": by_code.get(parent_code),
                "is_filter": is_filter,
                "position": position,
                "language": "en",
            },
        )
