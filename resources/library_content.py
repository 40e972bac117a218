"""The library's starting content: the training deck's substance and field facts as cards, and the
term list from our language guide.

`load(apps)` is called by the data migration 0002_library_content (with the
migration's app registry) and by the browser tests (with the real one), whose
live server empties the tables after each test. It is idempotent: rows are
matched by slug (cards) or by their first flag (terms) and brought back to
this text, so calling it again restores the seed without duplicates.

Sources: shared/seed/peer-support-harm-reduction-deck.txt (the deck),
shared/domain/field-facts.md and shared/domain/language.md. The deck's
figures are quoted exactly; its wording about people is made person-first
(the cards say so), and where it is out of date the card says what changed
and cites the source.
"""

from datetime import date

from django.utils import timezone

REVIEWED = date(2026, 11, 25)

DECK = "MHAAO peer-support harm-reduction training deck"
PERSON_FIRST = "Wording adapted to person-first language (see Words that matter)."
PORTUGAL_URL = (
    "http://www.drugpolicy.org/sites/default/files/"
    "dpa-drug-decriminalization-portugal-health-human-centered-approach_0.pdf"
)


def slide(name: str) -> str:
    return f"{DECK}, slide “{name}”"


def _card(category, slug, title, summary, body, *, sources, tags, plain="", order=0):
    return {
        "category": category,
        "slug": slug,
        "title": title,
        "summary": summary,
        "body": body.strip(),
        "audience": "participant" if plain else "peers",
        "plain_language": plain.strip(),
        "sources": "\n".join(sources),
        "tags": tags,
        "order": order,
        "last_reviewed": REVIEWED,
    }


PRINCIPLES = [
    (
        "accepts",
        "Accepts that drug use is part of our world",
        "For better and for worse, licit and illicit drug use is part of our world: we work to minimize "
        "its harmful effects rather than simply ignore or condemn them.",
    ),
    (
        "understands-drug-use",
        "Understands drug use",
        "Drug use is a complex, multi-faceted phenomenon: a continuum of behaviours from severe, harmful "
        "use to total abstinence. Some ways of using drugs are clearly safer than others.",
    ),
    (
        "redefines-success",
        "Redefines successful intervention",
        "Success is the quality of individual and community life and well-being – not necessarily "
        "stopping all drug use.",
    ),
    (
        "non-judgement",
        "Comes from a place of non-judgement",
        "Services and resources are offered without coercion to people who use drugs and the "
        "communities they live in, to help them reduce the harms that come with use.",
    ),
    (
        "real-voice",
        "A real voice for people who use drugs",
        "People who use drugs, and people with a history of drug use, routinely have a real voice in "
        "creating the programs and policies designed to serve them.",
    ),
    (
        "gives-back-power",
        "Gives back power",
        "People who use drugs are the primary agents of reducing the harms of their own use; they are "
        "encouraged to share information and support each other in strategies that fit their actual "
        "conditions of use.",
    ),
    (
        "recognizes-hurdles",
        "Recognizes hurdles",
        "Poverty, class, racism, social isolation, past trauma, sex-based discrimination and other "
        "social inequalities affect both how vulnerable people are to drug-related harm and their "
        "capacity to deal with it.",
    ),
    (
        "does-not-sugar-coat",
        "Does not sugar-coat reality",
        "Harm reduction does not attempt to minimize or ignore the real and tragic harm and danger "
        "associated with licit and illicit drug use.",
    ),
]


def _principle_cards():
    cards = [
        _card(
            "principles",
            "harm-reduction-defined",
            "What harm reduction is",
            "Practical strategies and ideas to reduce the negative consequences of drug use – and a "
            "movement for social justice built on respect for the rights of people who use drugs.",
            """
The Harm Reduction Coalition defines harm reduction as

> “a set of practical strategies and ideas aimed at reducing negative consequences associated with
> drug use. Harm reduction is also a movement for social justice built on a belief in, and respect
> for, the rights of people who use drugs.”

Harm reduction covers a **spectrum of strategies, from safer use, to managed use, to abstinence**, to
meet people who use drugs “where they’re at”, addressing the conditions of use along with the use
itself.

Because harm reduction asks that interventions and policies reflect specific individual and community
needs, **there is no universal definition of, or formula for, implementing harm reduction.**

As a peer-run organization, MHAAO’s focus is on meeting people where they are at.
""",
            plain="""
**Harm reduction** means practical ways to make drug use less harmful.

It is also about respect: people who use drugs have rights.

It can mean safer use, managed use, or stopping – whatever fits **you**, where you are now.
""",
            sources=[slide("Harm Reduction Defined"), slide("Harm Reduction Defined, cont."), PERSON_FIRST],
            tags="definition, where they're at, social justice",
            order=0,
        )
    ]
    for i, (slug, title, text) in enumerate(PRINCIPLES, start=1):
        cards.append(
            _card(
                "principles",
                f"principle-{slug}",
                title,
                text,
                f"**Principle {i} of 8.** {text}\n\nOne of the eight harm-reduction principles in the deck.",
                sources=[slide("Harm Reduction Principles"), PERSON_FIRST],
                tags="principle",
                order=i,
            )
        )
    return cards


PEER_PRACTICES = [
    (
        "respecting-where-they-are",
        "Respecting where they are",
        "Someone in active use expects the systems around them to shame and punish their use. Peers can "
        "come from a place of non-bias, without judgement, and open the conversation about safer "
        "practices.",
    ),
    (
        "talking-about-reality",
        "Talking about reality",
        "Assure the person that they do not need to make any promises about staying sober.",
    ),
    ("listening", "Listening", "Let them be heard without having to defend themselves."),
    ("not-taking-sides", "Not taking sides", "Be the unbiased person who sees the whole situation."),
    (
        "redirecting",
        "Redirecting the conversation",
        "Help them stay on track with making the best decisions for them and their situation.",
    ),
]


def _peer_cards():
    cards = [
        _card(
            "peer-practices",
            "where-peers-fit-in",
            "Where peers fit in",
            "Peer support is understanding another’s situation through shared experience, without the "
            "constraints of expert/patient relationships.",
            """
> “Peer support is about understanding another’s situation empathically through the shared experience
> of emotional and psychological pain. When people find affiliation with others whom they feel are
> ‘like’ them, they feel a connection. This connection, or affiliation, is a deep, holistic
> understanding based on mutual experience where people are able to ‘be’ with each other without the
> constraints of traditional (expert/patient) relationships.”
>
> – Mings & Cramp (2014)
""",
            sources=[slide("Where do Peers fit in?"), "Mings & Cramp (2014), as quoted in the deck"],
            tags="peer support, lived experience, connection",
            order=0,
        )
    ]
    for i, (slug, title, text) in enumerate(PEER_PRACTICES, start=1):
        cards.append(
            _card(
                "peer-practices",
                slug,
                title,
                text,
                f"{text}\n\nOne of the five peer-support practices in the deck.",
                sources=[slide("Peer Support")],
                tags="peer support, practice",
                order=i,
            )
        )
    cards.append(
        _card(
            "peer-practices",
            "mhaao-programs",
            "Peer-run harm-reduction programs",
            "MHAAO brings peer support into harm-reduction programs in hospitals and the community.",
            """
As a peer-run organization, MHAAO focuses on meeting people where they are at. Its programs include:

- Oregon Health and Sciences University **Project IMPACT**
- Providence Milwaukie **Project Nurture**
- **Opioid Overdose Survivor Program**
- and many more.
""",
            sources=[slide("MHAAO and Harm Reduction Programs")],
            tags="MHAAO, programs, Oregon",
            order=len(PEER_PRACTICES) + 1,
        )
    )
    return cards


SSP_SERVICES = """
- **Needle exchange**: safe disposal of used syringes in exchange for new syringes, one for one
- **Overdose rescue kits** including naloxone, a drug used to reverse opioid overdose
- **Sharps containers** for safe storage of used syringes
- **Risk reduction counseling**
- **Safer sex supplies**
- **Wound and abscess care**
- **Referrals** to medical and mental health care, shelter services, and alcohol and drug treatment
"""


def _managed_use_cards():
    return [
        _card(
            "managed-use",
            "sterile-equipment",
            "Why sterile equipment matters",
            "Injecting with a needle that isn’t sterile, or that is shared, raises the risk of HIV, viral "
            "hepatitis and other bloodborne infections.",
            """
Intravenous (IV) drug use can increase the risk of getting and transmitting **HIV, viral hepatitis and
other bloodborne infections** if the needle isn’t sterile, or if it’s being shared with other people.

A new, sterile syringe and equipment for every use, not shared, removes most of that risk. Syringe
services programs (SSPs) give them out free and take used ones back.
""",
            plain="""
Using a **new, sterile needle every time**, and not sharing, protects you from HIV and hepatitis.

Syringe services programs give them out for free.
""",
            sources=[slide("Harm Reduction Strategies – Managed Use")],
            tags="syringes, HIV, hepatitis, injection, SSP",
            order=1,
        ),
        _card(
            "managed-use",
            "syringe-services-programs",
            "What syringe services programs offer",
            "SSPs are in clinics and pharmacies, no prescription needed: needle exchange, naloxone kits, "
            "sharps containers, counseling, safer sex supplies, wound care and referrals.",
            f"""
Syringe services programs (SSPs) are available in various clinics and through pharmacies without a
prescription. The deck lists these services:
{SSP_SERVICES}
CDC adds: access to and disposal of sterile syringes and injection equipment, linkage to substance use
treatment, naloxone, vaccination, and testing and linkage to care for infectious diseases.
""",
            plain="""
A **syringe services program** can give you, free:

- new syringes, and take your used ones
- naloxone, to reverse an overdose
- a sharps container
- someone to talk to about staying safer
- safer sex supplies
- care for wounds and abscesses
- help finding health care, mental health care, shelter or treatment – if you want it
""",
            sources=[slide("Harm Reduction Strategies – Managed Use"), "CDC: syringe services programs"],
            tags="SSP, needle exchange, naloxone, sharps, wound care, referrals",
            order=2,
        ),
        _card(
            "managed-use",
            "finding-an-ssp",
            "Finding a syringe services program",
            "NASEN’s national map lists syringe services programs. In Oregon adults can also buy syringes "
            "at a pharmacy without a prescription.",
            """
- **National map of syringe services programs:** NASEN, <https://nasen.org/map/> (link to it; its data
  carries no reuse licence, so we don’t copy it).
- **Oregon:** adults may buy syringes without a prescription, and syringes are exempt from the
  paraphernalia law (ORS 475.525).
""",
            plain="""
You can find a syringe services program near you on the **NASEN map**: nasen.org/map

In Oregon, adults can buy syringes at a pharmacy **without a prescription**.
""",
            sources=[
                slide("Harm Reduction Strategies – Managed Use") + ": https://nasen.org/map/",
                "Multnomah County, on ORS 475.525",
            ],
            tags="SSP, map, NASEN, pharmacy, Oregon, syringes",
            order=3,
        ),
        _card(
            "managed-use",
            "ssps-do-not-increase-use",
            "SSPs don’t increase drug use",
            "NIDA: syringe services programs are not associated with increased drug use or crime.",
            """
According to NIDA, syringe services programs **are not associated with increased drug use or crime**.
Useful when someone worries that an SSP “encourages” use: see also *Talking with critics*.
""",
            sources=["NIDA: syringe services programs"],
            tags="SSP, evidence, crime",
            order=4,
        ),
    ]


def _medication_cards():
    return [
        _card(
            "medications",
            "medications-work",
            "Medications for opioid use disorder work",
            "Used effectively, medications for substance use disorder and alcohol use disorder give "
            "successful long-term outcomes; FDA and SAMHSA support the approach.",
            """
Scientific research shows that, **when they are used effectively, medications to treat substance use
disorder and alcohol use disorder are an effective protocol and have provided successful long-term
outcomes.** The approach is supported by the FDA and SAMHSA.

There are **three FDA-approved medications** for opioid use disorder: **methadone** (a full agonist),
**buprenorphine** (a partial agonist) and **naltrexone** (an antagonist).

**MAT or MOUD?** The deck says *MAT* (medication-assisted treatment), as ONDCP recommended in 2017.
Current NIDA and VA guidance prefers *MOUD* (medications for opioid use disorder). Both are fine;
follow the person’s lead.
""",
            plain="""
There are **medicines that help** with opioid use: methadone, buprenorphine and naltrexone.

They are safe, approved treatments, and they work for many people.
""",
            sources=[slide("Medication Assisted Treatment (MAT)"), "Pew (2022): three FDA-approved medications"],
            tags="MAT, MOUD, methadone, buprenorphine, naltrexone, FDA, SAMHSA",
            order=1,
        ),
        _card(
            "medications",
            "methadone",
            "Methadone",
            "An opioid agonist that prevents withdrawal. Only from certified opioid treatment programs; "
            "since 2024 up to 28 days of take-home doses for eligible patients.",
            """
**From the deck:** methadone is an opioid agonist that does not block other narcotics, while
preventing withdrawal while taking it. It is taken daily via regulated clinics.

**Now:** methadone for opioid use disorder is still given only through certified Opioid Treatment
Programs (OTPs). Historically it was dosed daily at the clinic; since the 2024 federal rule (42 CFR
Part 8, compliance from October 2024), **eligible patients may have up to 28 days of take-home doses**,
unless their state is stricter.
""",
            plain="""
**Methadone** is a daily medicine that stops withdrawal.

You get it from a special clinic. After a while, many people can take doses home – up to 4 weeks at a
time.
""",
            sources=[
                slide("Medication Assisted Treatment (MAT)"),
                "Federal Register, 2 Feb 2024: 42 CFR Part 8 (take-home doses)",
            ],
            tags="methadone, MAT, MOUD, OTP, take-home, agonist",
            order=2,
        ),
        _card(
            "medications",
            "buprenorphine",
            "Buprenorphine",
            "Reduces withdrawal and blocks other opioids. Any prescriber with a Schedule III DEA "
            "registration may prescribe it: the X-waiver ended in 2023. The deck’s 6-month implant is out "
            "of date.",
            """
**From the deck:** buprenorphine is an opioid agonist/antagonist that blocks other narcotics while
reducing withdrawal risk. It is taken daily as a dissolving tablet, cheek film, or 6-month implant
under the skin.

**What has changed since the deck:**

- **The “X-waiver” is gone.** The Consolidated Appropriations Act 2023 (section 1262, signed 29 December
  2022) eliminated it: any prescriber with a Schedule III DEA registration may prescribe buprenorphine
  for opioid use disorder.
- **The 6-month implant (Probuphine) is out of date:** it is reported discontinued in the US (not
  verified: check before mentioning it).
- **Forms now:** tablet or film under the tongue or in the cheek (with or without naloxone), or an
  extended-release injection, monthly (Sublocade) or weekly or monthly (Brixadi, 2023).

Buprenorphine is a *partial* agonist (Pew 2022).
""",
            plain="""
**Buprenorphine** is a medicine that eases withdrawal and cravings.

It comes as a tablet or film that melts in your mouth, or as a shot once a week or once a month.

Many doctors, nurse practitioners and clinics can prescribe it.
""",
            sources=[
                slide("Medication Assisted Treatment (MAT)"),
                "Consolidated Appropriations Act, 2023, section 1262 (signed 29 Dec 2022): X-waiver eliminated",
                "Probuphine implant reported discontinued in the US (field facts; not verified)",
                "Pew (2022)",
            ],
            tags="buprenorphine, Suboxone, Sublocade, Brixadi, X-waiver, MAT, MOUD, out of date",
            order=3,
        ),
        _card(
            "medications",
            "naltrexone",
            "Naltrexone",
            "An opioid antagonist: a daily pill or a monthly injection. It needs an opioid-free period "
            "first, and after stopping it overdose risk is higher.",
            """
**From the deck:** naltrexone is an opioid antagonist that blocks the effects of other narcotics. It is
taken as a daily pill or monthly injection (Vivitrol).

**Good to know:**

- It needs an **opioid-free period first**: at least 7 days after short-acting opioids, 10–14 days after
  methadone or buprenorphine.
- **After stopping, tolerance is lower and overdose risk is higher.** Talk about naloxone and not using
  alone.
""",
            plain="""
**Naltrexone** blocks opioids. It is a daily pill or a shot once a month.

You need to be off opioids for 1 to 2 weeks before starting.

**If you stop taking it and use again, a small amount can cause an overdose.** Carry naloxone.
""",
            sources=[slide("Medication Assisted Treatment (MAT)"), "SAMHSA; TIP 63 (opioid-free period, tolerance)"],
            tags="naltrexone, Vivitrol, MAT, MOUD, antagonist, tolerance",
            order=4,
        ),
    ]


INTEGRATING = [
    ("building-trust", "Build a trusting relationship", "Work on building a trusting relationship."),
    (
        "remove-judgement",
        "Set aside bias and judgement",
        "Remove bias and judgement about what the person you support decides to do.",
    ),
    (
        "opportunities-to-educate",
        "Look for openings to share harm reduction",
        "Look for opportunities to educate about harm reduction: needle exchange, changing the way of "
        "using, stability on MAT.",
    ),
    (
        "ask-what-they-know",
        "Ask what they know about harm reduction",
        "Ask the person whether they understand harm reduction, and start from there.",
    ),
    ("stability-in-active-use", "Offer stability, even in active use", "Give them stability even in active use."),
]


def _integrating_cards():
    cards = []
    for i, (slug, title, text) in enumerate(INTEGRATING, start=1):
        cards.append(
            _card(
                "integrating",
                slug,
                title,
                text,
                f"{text}\n\nOne of the five ways the deck gives for integrating harm-reduction principles into "
                "peer support.",
                sources=[slide("Integrating Harm Reduction Principles into Peer Support"), PERSON_FIRST],
                tags="peer support, practice",
                order=i,
            )
        )
    cards.append(
        _card(
            "integrating",
            "peer-support-and-harm-reduction",
            "How peer support and harm reduction fit together",
            "Both open a dialogue, let the person be heard without fear of judgement, and leave them in "
            "control.",
            """
Peer support and harm reduction align. Together they:

- open up a dialogue about substance use;
- give the person the opportunity to be heard without having to fear being judged;
- promote strategies that are proven to reduce health complications and strengthen community
  relationships;
- allow the person to be in control instead of being told how to live;
- educate about alternative options and give the person the opportunity to use their own judgement based
  on what they have learned.
""",
            sources=[slide("Peer Support and Harm Reduction Alignment"), PERSON_FIRST],
            tags="peer support, alignment, autonomy",
            order=len(INTEGRATING) + 1,
        )
    )
    return cards


THREE_ANSWERS = """
- Harm reduction is **not anti-abstinence; nor does it promote use**.
- Harm reduction can be **a very effective part of a person’s recovery process**.
- **Harm reduction saves lives:** not only does it promote health and safety, it can help keep someone
  alive long enough to make decisions about their use and recovery – and to seek out support if desired.
"""

CRITICISMS = [
    (
        "they-could-quit",
        "“They could quit if they wanted to”",
        "The “bootstrap” view. Drug use is complex, and real hurdles shape it; staying alive comes first.",
        "the “bootstrap” mentality: they could quit if they wanted to.",
        """
- Drug use is a complex, multi-faceted phenomenon: a continuum from severe, harmful use to total
  abstinence (principle *Understands drug use*).
- Poverty, racism, isolation and past trauma affect both people’s vulnerability to drug-related harm and
  their capacity to deal with it (principle *Recognizes hurdles*).
- Harm reduction helps keep someone alive long enough to make their own decisions about use and
  recovery.
""",
    ),
    (
        "no-experience-of-it",
        "Criticism from inexperience",
        "Some criticism comes from inexperience with substance use or mental illness; lived experience is "
        "the answer peers bring.",
        "criticism that comes from inexperience with substance use disorders or mental illness.",
        """
- Peer support rests on understanding through shared experience (Mings & Cramp): peers can speak to what
  it is really like.
- Harm reduction gives people who use drugs a real voice in the programs designed to serve them
  (principle *A real voice*). Invite critics to listen to them.
""",
    ),
    (
        "gives-permission",
        "“Harm reduction gives permission to use”",
        "Harm reduction neither promotes use nor ignores its dangers; it meets people where they are.",
        "harm reduction gives permission for use.",
        """
- Harm reduction is not anti-abstinence; nor does it promote use.
- It does not sugar-coat reality: it does not minimize or ignore the real and tragic harm and danger of
  drug use (principle *Does not sugar-coat reality*).
- People already use drugs; the choice is whether they do it with or without information, sterile
  equipment and naloxone.
""",
    ),
    (
        "supervised-sites-increase-use",
        "“Supervised consumption sites increase use”",
        "Insite: millions of supervised visits, thousands of overdose interventions, no deaths – and trust "
        "that leads people to detox and treatment.",
        "safe injection sites increase use.",
        """
- At Insite (Vancouver), the deck reports **6,440 overdose interventions without any deaths** since
  2003 (see *Insite in numbers*).
- There, relationships and trust with health care workers make clients **more likely to pursue
  withdrawal management (detox), addiction counselling and other recovery services**.
- For syringe services programs, NIDA finds no association with increased drug use or crime.
""",
    ),
    (
        "medication-is-just-another-drug",
        "“MAT switches one drug for another”",
        "Medications for opioid use disorder are an effective, FDA- and SAMHSA-supported treatment with "
        "successful long-term outcomes.",
        "MAT switches one drug for another.",
        """
- Used effectively, medications for substance use disorder give **successful long-term outcomes**;
  FDA and SAMHSA support the approach.
- Methadone, buprenorphine and naltrexone treat a medical condition; our language guide lists
  “replacing one drug with another” as a phrase to avoid, and suggests *medication for opioid use
  disorder (MOUD)*.
- Stability on medication is one of the openings the deck names for talking about harm reduction.
""",
    ),
    (
        "responsible-instead-of-help",
        "“It praises people for being responsible instead of getting help”",
        "Safer use is part of getting help: harm reduction can be a very effective part of recovery.",
        "praising people who use drugs for being responsible instead of getting help (the deck words it "
        "with a label we don’t use).",
        """
- Harm reduction can be a very effective part of a person’s recovery process.
- Success is the quality of individual and community life and well-being, not necessarily stopping all
  use (principle *Redefines successful intervention*).
- Trust built through harm reduction leads people to treatment when they are ready (Insite and Onsite).
""",
    ),
]


def _critic_cards():
    cards = [
        _card(
            "critics",
            "three-answers",
            "Three answers to criticism",
            "Harm reduction is not anti-abstinence and does not promote use; it can be part of recovery; "
            "it saves lives.",
            f"The deck’s answers to criticism of harm reduction:\n{THREE_ANSWERS}",
            sources=[slide("Addressing Harm Reduction Criticism")],
            tags="criticism, response, abstinence, recovery",
            order=0,
        )
    ]
    for i, (slug, title, summary, heard, response) in enumerate(CRITICISMS, start=1):
        cards.append(
            _card(
                "critics",
                slug,
                title,
                summary,
                f"**What you may hear:** {heard}\n\n**A response:**\n{response}",
                sources=[slide("Harm Reduction Critics"), slide("Addressing Harm Reduction Criticism")],
                tags="criticism, response",
                order=i,
            )
        )
    cards.append(
        _card(
            "critics",
            "addressing-resistance",
            "Addressing resistance to the harm-reduction philosophy",
            "Some organisations oppose harm reduction outright. The Global Commission on Drug Policy’s core "
            "principle is a clear counterpoint.",
            """
**What you may hear.** The International Task Force on Strategic Drug Policy writes:

> “We oppose so-called ‘harm reduction’ strategies as endpoints that promote the false notion that
> there are safe or responsible ways to use drugs.”

It goes on to say such strategies mislead people about some risks while ignoring others, and tell them
that society has given up on them.

**A response.** Harm reduction does not sugar-coat reality; it names the dangers honestly. And the
Global Commission on Drug Policy’s core principle:

> “End the criminalization, marginalization and stigmatization of people who use drugs but who do no
> harm to others. Challenge rather than reinforce common misconceptions about drug markets, drug use and
> drug dependence.”
""",
            sources=[
                slide("How to Address Resistance to the Harm Reduction Philosophy")
                + " (the Task Force’s statement is quoted in part; its remainder is summarized)",
                slide("Global Commission on Drug Policy Core Principle"),
            ],
            tags="criticism, resistance, Global Commission, International Task Force",
            order=len(CRITICISMS) + 1,
        )
    )
    return cards


def _evidence_cards():
    return [
        _card(
            "evidence",
            "portugal",
            "Success in Portugal",
            "In 2001 Portugal became the 1st country to decriminalize consumption of all drugs. Overdose "
            "deaths decreased by over 80%.",
            """
In 2001, Portugal launched a drug decriminalization program in response to a public health crisis –
becoming the **1st country in the world to decriminalize consumption of all drugs**.

After decriminalization, Drug Policy Alliance provides the following stats:

- **Overdose deaths decreased by over 80%**
- **Prevalence rate of people who use drugs that account for new HIV/AIDS diagnoses fell from 52% to
  6%**
- **Incarceration for drug offenses decreased by over 40%**
- While the above have decreased, **numbers voluntarily accessing treatment has significantly
  increased**
""",
            sources=[
                slide("Success in Portugal"),
                f"Drug Policy Alliance, accessed from: {PORTUGAL_URL}",
            ],
            tags="Portugal, decriminalization, overdose deaths, HIV, incarceration, treatment, Drug Policy Alliance",
            order=1,
        ),
        _card(
            "evidence",
            "insite",
            "Insite: supervised consumption in Vancouver",
            "North America’s first legal supervised consumption site, opened in 2003 in Vancouver’s Downtown "
            "Eastside under a Health Canada exemption.",
            """
**North America’s first legal supervised consumption site.** It opened in 2003 and is located in
Vancouver’s Downtown Eastside, where many people have injected drugs for a long time. The facility
operates under a Health Canada exemption from prosecution under federal drug laws. Insite operates on a
harm-reduction model: it strives to decrease the adverse health, social and economic consequences of
drug use **without requiring abstinence**.

- **Supervised injection.** Insite has injection booths where clients inject pre-obtained drugs under the
  supervision of nurses and health care staff. Sterile injection equipment – syringes, cookers, filters,
  water and tourniquets – is supplied. If an overdose occurs, the team, led by a nurse, can intervene
  immediately. Nurses also provide other care, like wound care and immunizations.
- **Trust leads to treatment.** Clients build relationships and trust with health care workers, which
  makes them more likely to pursue withdrawal management (detox), addiction counselling and other
  recovery services.
- **Onsite.** When people are ready for withdrawal management they can be immediately accommodated at
  Onsite: 12 rooms with private bathrooms, where mental health workers, counsellors, nurses and doctors
  help people stabilize and plan their next steps.
- **Housing.** Once stabilized, clients can move to the 3rd-floor transitional recovery housing for
  further recovery and connection to community support, treatment programs and housing.
""",
            sources=[
                slide("Insite: Safe Injection in Vancouver B.C."),
                slide("Insite"),
                PERSON_FIRST,
            ],
            tags="Insite, Onsite, Vancouver, supervised consumption, Canada",
            order=2,
        ),
        _card(
            "evidence",
            "insite-statistics",
            "Insite in numbers",
            "More than 3.6 million supervised visits since 2003; 6,440 overdose interventions without any "
            "deaths.",
            """
There have been **more than 3.6 million visits** to inject illicit drugs under supervision by nurses at
Insite since 2003. There have been **48,798 clinical treatment visits** and **6,440 overdose
interventions without any deaths**.

| Figure | 2017 | 2018 |
|---|---|---|
| Visits | 175,455 visits by 5,350 individuals | 189,837 visits by 5,436 individuals |
| Injection room visits per day (average) | 356 | 337 |
| Overdose interventions | 1,983 | 1,466 |
| Clinical treatment interventions (such as wound care, pregnancy tests) | 3,402 | 3,725 |
""",
            sources=[slide("Insite Statistics") + " (the deck names no further source for these figures)"],
            tags="Insite, statistics, overdose interventions, Vancouver",
            order=3,
        ),
        _card(
            "evidence",
            "global-commission",
            "The Global Commission on Drug Policy’s core principle",
            "End the criminalization, marginalization and stigmatization of people who use drugs but who do "
            "no harm to others.",
            """
> “End the criminalization, marginalization and stigmatization of people who use drugs but who do no
> harm to others. Challenge rather than reinforce common misconceptions about drug markets, drug use and
> drug dependence.”
>
> – Global Commission on Drug Policy, core principle
""",
            sources=[slide("Global Commission on Drug Policy Core Principle")],
            tags="Global Commission, policy, stigma, decriminalization",
            order=4,
        ),
    ]


def _overdose_cards():
    return [
        _card(
            "overdose",
            "overdose-signs",
            "Signs of an opioid overdose",
            "Can’t be woken; slow, shallow or no breathing, gurgling or snoring; blue or grey lips and nails; "
            "pinpoint pupils; limp body; cold, clammy skin.",
            """
- Cannot be woken up
- Slow, shallow or no breathing, or gurgling or snoring sounds
- Lips and nails blue or grey (ashen on darker skin)
- Pinpoint pupils
- Limp body
- Cold, clammy skin
""",
            plain="""
**Signs of an overdose:**

- can’t wake them up
- slow or no breathing, or snoring or gurgling sounds
- blue or grey lips and nails
- tiny pupils
- limp body, cold clammy skin

**Call 911 and give naloxone.**
""",
            sources=["SAMHSA Opioid Overdose Prevention Toolkit, step 1", "ASAM patient guide (2025)"],
            tags="overdose, opioids, signs, fentanyl",
            order=1,
        ),
        _card(
            "overdose",
            "overdose-five-steps",
            "Responding to an overdose: five steps",
            "Check for a response, call 911, give naloxone, support breathing, stay and watch.",
            """
SAMHSA’s five steps:

1. **Check for a response:** call their name, rub the breastbone.
2. **Call 911.**
3. **Give naloxone.**
4. **Support breathing** (rescue breathing; see *Rescue breathing and the recovery position*).
5. **Stay and watch.** Naloxone can wear off before the opioid does.

The 2023 edition, renamed the *Overdose Prevention and Response Toolkit*, adds the recovery position and
support after an overdose.
""",
            plain="""
1. **Call their name.** Rub their breastbone hard.
2. **Call 911.**
3. **Give naloxone.**
4. **Help them breathe.**
5. **Stay with them.**
""",
            sources=[
                "SAMHSA Opioid Overdose Prevention Toolkit (2018)",
                "SAMHSA Overdose Prevention and Response Toolkit (2023)",
            ],
            tags="overdose, naloxone, 911, steps, SAMHSA",
            order=2,
        ),
        _card(
            "overdose",
            "naloxone-nasal-spray",
            "Giving naloxone nasal spray",
            "Person on their back, nozzle in one nostril, press. No response in 2–3 minutes: a second dose in "
            "the other nostril.",
            """
1. Lay the person **on their back**.
2. Put the nozzle in **one nostril** and **press** the plunger.
3. **No response in 2–3 minutes:** give a second dose in the other nostril.
4. Stay with them: naloxone can wear off in 30–90 minutes, before the opioid does.
""",
            plain="""
1. Lay them **on their back**.
2. Nozzle **in one nostril**. **Press.**
3. No change after 2–3 minutes? **Second dose, other nostril.**
4. **Stay with them.**
""",
            sources=["Harris County Public Health naloxone guidance", "Prevent Overdose Washington"],
            tags="naloxone, Narcan, nasal spray, overdose",
            order=3,
        ),
        _card(
            "overdose",
            "naloxone-wears-off",
            "Naloxone can wear off: stay with the person",
            "Naloxone can wear off in 30–90 minutes, before the opioid does, so the overdose can return.",
            """
Naloxone can wear off in **30–90 minutes**, before the opioid does: the overdose can come back. Stay with
the person, watch their breathing, and give another dose if they stop responding.
""",
            plain="""
Naloxone can **wear off in 30 to 90 minutes** – before the drugs do.

The overdose can come back. **Stay with the person.**
""",
            sources=["Prevent Overdose Washington"],
            tags="naloxone, overdose, aftercare",
            order=4,
        ),
        _card(
            "overdose",
            "rescue-breathing",
            "Rescue breathing and the recovery position",
            "Tilt the head, pinch the nose, 2 breaths, then 1 every 5 seconds. Breathing on their own: "
            "recovery position.",
            """
- **Rescue breathing:** tilt the head back, pinch the nose, give **2 breaths, then 1 breath every 5
  seconds**.
- **Breathing on their own:** put them in the **recovery position** (on their side) so they won’t choke.
""",
            plain="""
**Not breathing?** Tilt the head back, pinch the nose, **2 breaths**, then **1 breath every 5 seconds**.

**Breathing?** Roll them **on their side**.
""",
            sources=["Prevent Overdose Washington", "ASAM patient guide (2025)"],
            tags="rescue breathing, recovery position, overdose",
            order=5,
        ),
        _card(
            "overdose",
            "overdose-donts",
            "What not to do in an overdose",
            "Don’t slap, use a cold shower, inject anything else or make them vomit.",
            """
Don’t:

- slap them;
- put them in a cold shower;
- inject anything else (salt water, milk, other drugs);
- make them vomit.

Call 911, give naloxone, support breathing.
""",
            plain="""
**Don’t** slap them, put them in cold water, inject anything, or make them throw up.

**Do** call 911, give naloxone, and help them breathe.
""",
            sources=["SAMHSA Opioid Overdose Prevention Toolkit: do’s and don’ts"],
            tags="overdose, myths, don'ts",
            order=6,
        ),
        _card(
            "overdose",
            "getting-naloxone",
            "Getting naloxone",
            "Narcan 4 mg nasal spray has been sold over the counter in the US since 2023. In Oregon anyone can "
            "get naloxone from a pharmacist.",
            """
- **Over the counter:** Narcan 4 mg nasal spray has been sold over the counter in the US since 2023 (FDA
  approval, March 2023).
- **Oregon:** anyone can get naloxone from a pharmacist.
- Syringe services programs include naloxone in their overdose rescue kits.
""",
            plain="""
You can **buy naloxone (Narcan) without a prescription** at a pharmacy.

In Oregon, **anyone** can get it from a pharmacist. Syringe services programs give it out too.
""",
            sources=["Pennsylvania Department of Health (FDA OTC approval, March 2023)", "Multnomah County"],
            tags="naloxone, Narcan, over the counter, pharmacy, Oregon",
            order=7,
        ),
        _card(
            "overdose",
            "good-samaritan-law",
            "Oregon’s Good Samaritan law: check current law",
            "Calling for help protects the caller and the person overdosing from arrest for listed possession "
            "offences (ORS 475.898). Check current law: the list changed in 2024.",
            """
**Oregon’s Good Samaritan law (ORS 475.898, 2015):** the person who calls for help and the person
overdosing are protected from arrest and prosecution for listed possession offences when the evidence
was found because help was sought.

**Not covered:** selling, weapons, DUI, federal or out-of-state warrants.

**Check current law.** The list of covered offences after Oregon’s 2024 possession law (HB 4002) has
not been verified.
""",
            plain="""
In Oregon, **calling 911 for an overdose** protects you and the person overdosing from arrest for
having drugs on you – with some exceptions.

Laws change: ask us about the current rules.
""",
            sources=[
                "Portland Police Bureau explainer on ORS 475.898 (September 2024)",
                "Oregon HB 4002 (2024): effect on the list not verified – check current law",
            ],
            tags="Good Samaritan, law, Oregon, 911, overdose",
            order=8,
        ),
    ]


def _drug_checking_cards():
    return [
        _card(
            "drug-checking",
            "fentanyl-test-strips",
            "Using fentanyl test strips",
            "At least 10 mg in water, dip 15 seconds, lay flat 2–5 minutes. One line: fentanyl detected. Two "
            "lines: not detected.",
            """
CDC’s steps:

1. Put **at least 10 mg** of the drug in a clean, dry container.
2. Add **½ teaspoon of water** (1 teaspoon for methamphetamine) and mix.
3. Dip the wavy end of the strip in for **about 15 seconds**.
4. Lay the strip flat for **2–5 minutes**.
5. Read it: **one line – fentanyl detected; two lines – not detected.** Anything else is invalid.

**No test is 100% accurate.** Stimulants can give false positives at low dilution. A negative result does
not mean the drug is safe: don’t use alone, start low, keep naloxone nearby.
""",
            plain="""
1. Put a little of the drug (**at least 10 mg**) in a clean, dry container.
2. Add **½ teaspoon of water** (1 teaspoon for meth). Mix.
3. Dip the wavy end in for **15 seconds**.
4. Lay it flat. Wait **2 to 5 minutes**.
5. **One line: fentanyl is there. Two lines: none found.**

No test is perfect. Don’t use alone, and keep naloxone close.
""",
            sources=["CDC: fentanyl test strips"],
            tags="fentanyl, test strips, drug checking, FTS",
            order=1,
        ),
    ]


def _wound_care_cards():
    return [
        _card(
            "wound-care",
            "xylazine",
            "Xylazine and overdose",
            "A veterinary sedative, not an opioid: naloxone does not reverse it, but give naloxone anyway and "
            "call 911.",
            """
Xylazine is a **veterinary sedative, not an opioid**. Naloxone does not reverse it – **but give naloxone
anyway** (xylazine is usually mixed with fentanyl) and **call 911**.

The goal is **breathing**. The person may stay sedated after naloxone: put them in the **recovery
position**.
""",
            plain="""
**Xylazine** (“tranq”) is an animal sedative that is often mixed with fentanyl.

In an overdose, **still give naloxone and call 911**. The person may stay sleepy: roll them **on their
side** and stay with them.
""",
            sources=["CDC: xylazine"],
            tags="xylazine, tranq, sedative, naloxone, overdose, fentanyl",
            order=1,
        ),
        _card(
            "wound-care",
            "xylazine-wound-care",
            "Caring for xylazine wounds",
            "Keep wounds clean, moist and covered; wash gently with soap and water; no alcohol or peroxide; "
            "get care for fever, spreading redness, pus or exposed bone.",
            """
- Keep the wound **clean, moist and covered**.
- **Wash gently with soap and water.**
- **Avoid drying agents** such as alcohol or peroxide.
- Use a **petrolatum dressing, changed daily**.
- Wounds can appear **away from injection sites**.

**Seek care for:** fever, spreading redness, severe pain, pus, exposed bone, numbness.

Syringe services programs offer wound and abscess care.
""",
            plain="""
- Wash the wound **gently with soap and water**.
- Keep it **moist and covered**. Change the dressing **every day**.
- **No alcohol or peroxide** – they dry it out.

**Get care** if you have a fever, redness that spreads, bad pain, pus, numbness, or can see bone.
""",
            sources=["Prevention Point Philadelphia", "Substance Use Health Canada"],
            tags="xylazine, wound care, abscess, dressing",
            order=2,
        ),
    ]


def cards() -> list[dict]:
    return (
        _principle_cards()
        + _peer_cards()
        + _managed_use_cards()
        + _medication_cards()
        + _integrating_cards()
        + _critic_cards()
        + _evidence_cards()
        + _overdose_cards()
        + _drug_checking_cards()
        + _wound_care_cards()
    )


# Where the term list comes from (shown on the Words that matter page).
LANGUAGE_SOURCES = [
    "NIDA, “Words Matter: Terms to Use and Avoid When Talking About Addiction” (nida.nih.gov)",
    "U.S. Department of Veterans Affairs content style guide, “Destigmatizing language in substance use”",
    "AP Stylebook 2017, entry on addiction",
    "ONDCP, “Changing the Language of Addiction” (2017 draft)",
    "Recovery Research Institute, “Addictionary”",
]

# flags, suggestion, source, note, soft (context-dependent), exceptions
TERMS = [
    (
        "addict, junkie, drug abuser, substance abuser, drug user",
        "person who uses drugs; person with a substance use disorder",
        "NIDA, VA, AP, ONDCP",
        "",
        False,
        "",
    ),
    (
        "user",
        "person who uses drugs",
        "NIDA, VA, AP, ONDCP",
        "When it names a person.",
        True,
        "user name, user account, user id, user guide, user interface, end user, user experience, user "
        "group, power user, app user",
    ),
    ("addicted to", "has a … use disorder; uses …", "ONDCP", "“Addicted to X”: say what they use.", False, ""),
    ("alcoholic, drunk", "person with alcohol use disorder; person who drinks", "NIDA, VA, AP", "", False, ""),
    (
        "former addict, reformed addict, ex-addict, recovering addict",
        "person in recovery; person in long-term recovery",
        "NIDA, VA, ONDCP",
        "",
        False,
        "",
    ),
    ("drug habit", "substance use; substance use disorder", "NIDA, VA, ONDCP", "", False, ""),
    (
        "habit",
        "substance use; substance use disorder",
        "NIDA, VA, ONDCP",
        "When it means someone’s drug use.",
        True,
        "good habit, healthy habit, bad habit of, habit of",
    ),
    (
        "drug abuse, substance abuse, alcohol abuse",
        "use; misuse (prescriptions); substance use disorder",
        "NIDA, VA, AP",
        "",
        False,
        "",
    ),
    (
        "abuse, abusing",
        "use; misuse (prescriptions); substance use disorder",
        "NIDA, VA, AP",
        "When it means drug use (not abuse someone suffered).",
        True,
        "sexual abuse, physical abuse, emotional abuse, child abuse, domestic abuse, verbal abuse, elder abuse, "
        "abuse survivor",
    ),
    (
        "prescription drug abuse",
        "non-medical use of prescription medication",
        "VA",
        "",
        False,
        "",
    ),
    (
        "clean test, dirty test, clean urine, dirty urine, clean UA, dirty UA, clean drug test, dirty drug "
        "test, clean screen, dirty screen, tested clean, tested dirty, came back clean, came back dirty",
        "tested negative; tested positive",
        "NIDA, VA, ONDCP",
        "",
        False,
        "",
    ),
    (
        "dirty needle, dirty syringe, dirty rig",
        "used syringe (and sterile, unused for a new one)",
        "VA",
        "“Clean syringes” is fine: it says what it means.",
        False,
        "",
    ),
    (
        "clean, dirty",
        "not currently using; in recovery (for “dirty”: currently using)",
        "NIDA, VA, AP",
        "When it describes a person.",
        True,
        "clean syringe, clean needle, clean equipment, clean injection equipment, clean works, clean supplies, "
        "clean gear, clean water, clean cooker, clean cotton, clean filter, clean container, clean hands, "
        "clean wound, clean dressing, clean clothes, clean place, clean space, clean and dry, clean dry, "
        "keep clean, keep it clean, keep the wound clean, kept clean, clean the, clean it, clean up, "
        "clean your, dirty clothes, dirty dishes, dirty laundry, dirty dressing",
    ),
    (
        "rig, sharing works, share works, shared works, my works, their works, new works, fresh works",
        "syringes; injection equipment",
        "VA",
        "“Works” only where it means injection equipment.",
        True,
        "oil rig",
    ),
    ("IV drug user, IVDU, injecting drug user", "person who injects drugs", "VA", "", False, ""),
    (
        "relapse, relapsed, relapsing",
        "return to use; recurrence of use",
        "NIDA (adapted), VA, Addictionary",
        "",
        False,
        "",
    ),
    ("slip, slipped, lapse, lapsed", "a return to use", "VA", "When it means use.", True, "slip of paper"),
    (
        "failed treatment, treatment failure",
        "a treatment attempt; treatment did not help yet",
        "NIDA (adapted), VA",
        "",
        False,
        "",
    ),
    (
        "non-compliant, noncompliant",
        "chose not to follow the plan; the plan did not fit",
        "VA",
        "",
        False,
        "",
    ),
    (
        "in denial, resistant, unmotivated",
        "sees their use differently; not sure about treatment yet",
        "VA",
        "",
        False,
        "water resistant, water-resistant, treatment-resistant, drug-resistant, antibiotic resistant, heat "
        "resistant",
    ),
    (
        "opioid replacement, substitution therapy, replacing one drug with another",
        "medication for opioid use disorder (MOUD); opioid agonist treatment",
        "NIDA, VA",
        "",
        False,
        "",
    ),
    ("addicted baby", "baby with neonatal opioid withdrawal; baby exposed to substances", "NIDA", "", False, ""),
    (
        "meth head, crackhead, tweaker, pothead, stoner",
        "person who uses stimulants / cannabis",
        "VA, AP",
        "",
        False,
        "",
    ),
    ("drug dealer, pusher", "person who sells drugs", "VA", "", False, ""),
    (
        "felon, convict, inmate, ex-con",
        "person with justice involvement; person who is incarcerated",
        "VA",
        "",
        False,
        "",
    ),
    (
        "homeless person, homeless people, the homeless, transient, vagrant",
        "person experiencing homelessness; person who is unhoused",
        "VA",
        "",
        False,
        "",
    ),
    ("overdose victim", "person who overdosed", "common harm-reduction usage", "", False, ""),
]


def terms() -> list[dict]:
    return [
        {
            "flags": flags,
            "suggestion": suggestion,
            "source": source,
            "note": note,
            "soft": soft,
            "exceptions": exceptions,
            "order": order,
        }
        for order, (flags, suggestion, source, note, soft, exceptions) in enumerate(TERMS, start=1)
    ]


def load(apps) -> None:
    """Create or restore the seed cards and terms (idempotent; see the module docstring)."""
    Card = apps.get_model("resources", "Card")
    Term = apps.get_model("resources", "Term")
    for data in cards():
        card, _ = Card.objects.update_or_create(slug=data["slug"], defaults=data)
        _record_version(apps, card)
    by_first_flag = {term.flags.split(",")[0].strip(): term for term in Term.objects.all()}
    for data in terms():
        term = by_first_flag.get(data["flags"].split(",")[0].strip())
        if term is None:
            term = Term(**data)
        else:
            for field, value in data.items():
                setattr(term, field, value)
        term.save()
        _record_version(apps, term)


def _record_version(apps, obj) -> None:
    # With the real models simple-history's signals write the version. A
    # migration's models have no signals, so write it here: the seed must be a
    # version an admin can revert to after their first edit.
    if hasattr(type(obj), "history"):
        return
    Historical = apps.get_model("resources", f"Historical{type(obj).__name__}")
    Historical.objects.create(
        **{field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields},
        history_date=timezone.now(),
        history_type="+",
        history_change_reason="Seed content",
    )
