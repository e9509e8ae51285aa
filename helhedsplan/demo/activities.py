"""The seed's activities and partners, plus a demonstration activity plan for 2018.

Activities, their areas and partners are quoted from the seed (``source_quote``). Where the
seed names no areas, none are set and the page says so. Who is responsible is rarely
stated; where it is not, the value is a placeholder and marked as such.

The activity plan and registrations for 2018 are NOT from the seed: they are generated
(seeded random, so the same every time) to let the pages show something, and every row
carries ``is_demo_data`` which the pages show as "Demonstrationsdata – ikke fra aftalen".
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from itertools import groupby

from helhedsplan.accounts.access import EVERYWHERE, RegistrationScope, get_plan_access
from helhedsplan.accounts.models import User
from helhedsplan.activities.models import (
    COUNT_FIELDS,
    Activity,
    PlannedQuantity,
    QuarterClosure,
    Registration,
    quarter_of,
)
from helhedsplan.activities.models import Partner as PartnerModel
from helhedsplan.activities.services import (
    PlannedFigure,
    RegistrationRow,
    activity_create,
    partner_create,
    planned_quantities_set,
    quarter_close,
    registrations_create,
)
from helhedsplan.criteria.models import SuccessCriterion
from helhedsplan.demo.base import existing_or
from helhedsplan.plans.models import FocusArea, HousingArea, Plan

ALL_AREAS = ["motalavej", "ringparken", "sydbyen", "skaelskoer"]

# Seed §2, "Lokale følgegrupper": the actors the seed names as partners.
PARTNERS = [
    (
        "DGI/Gerlev",
        PartnerModel.Kind.SPORTS,
        "Aktører der står for lokale aktiviteter i den boligsociale helhedsplan fx "
        "idrætspartnerskaberne med DGI/Gerlev, DIF",
    ),
    (
        "DIF",
        PartnerModel.Kind.SPORTS,
        "Aktører der står for lokale aktiviteter i den boligsociale helhedsplan fx "
        "idrætspartnerskaberne med DGI/Gerlev, DIF",
    ),
    (
        "Korsør Produktionshøjskole",
        PartnerModel.Kind.EDUCATION,
        "Korsør Produktionshøjskole vedr. uddannelses tilbud i Sydbyen",
    ),
    (
        "Sumak",
        PartnerModel.Kind.EMPLOYMENT,
        "Sumak vedrørende opkvalificeringsaktiviteter på Motalavej",
    ),
]

_KRIM = "§ 3, Problemkompleks for indsatsområdet: Kriminalpræventiv indsats"


@dataclass(frozen=True)
class ActivitySeed:
    slug: str
    name: str
    focus: str
    quote: str
    areas: list[str]
    area_notes: dict[str, str] = field(default_factory=dict)
    partners: list[str] = field(default_factory=list)
    responsible: str = Activity.Responsible.SECRETARIAT
    responsible_partner: str = ""
    # True where the seed does not say who is responsible (the value is then ours).
    responsible_is_placeholder: bool = True
    target_groups: list[str] = field(default_factory=list)
    description: str = ""
    # The unit of the demonstration activity plan (a demo choice, not from the seed).
    unit: str = Activity.Unit.EVENTS
    unit_label: str = ""
    # Success criteria (codes from demo/criteria.py) the seed puts together with the activity.
    criteria: list[str] = field(default_factory=list)


ACTIVITIES = [
    ActivitySeed(
        "tryghedsvandringer",
        "Tryghedsvandringer",
        "5.2",
        f"{_KRIM}: »I den forebyggende indsats, som har til formål at øge trygheden i "
        "områderne, vil der igangsættes følgende konkrete aktiviteter: Tryghedsvandringer, "
        "som omfatter alle fire områder«",
        ALL_AREAS,
        # § 3 (Kriminalpræventiv): the walks are "den forebyggende indsats, som har til formål
        # at øge trygheden" -> 5.2's safety criterion (generel tryghed).
        criteria=["5.2.1"],
    ),
    ActivitySeed(
        "fritidsjobindsats",
        "Fritidsjobindsats",
        "5.2",
        f"{_KRIM}: »Fritidsjobindsats som er målrettet Motalavej, "
        "Ringparken/Schackenborgvænget samt Sydbyen.«",
        ["motalavej", "ringparken", "sydbyen"],
        target_groups=["Alle unge skal have muligheden for at få et fritidsjob (mål, § 5.2)"],
        unit=Activity.Unit.PARTICIPANTS,
        # § 3: listed under "den kriminalpræventive indsats, som har til formål at forebygge og
        # nedbringe kriminalitetsniveauet" -> 5.2's criminal-decisions criterion.
        criteria=["5.2.2"],
    ),
    ActivitySeed(
        "idraetspartnerskaber",
        "Idrætspartnerskaber",
        "5.2",
        f"{_KRIM}: »Idrætspartnerskaber målrettet alle fire områder. I Skælskør skal der "
        "udelukkende arbejdes med at understøtte de unges deltagelse i det ordinære "
        "foreningsliv.« – § 2: »idrætspartnerskaberne med DGI/Gerlev, DIF«",
        ALL_AREAS,
        area_notes={
            "skaelskoer": "I Skælskør skal der udelukkende arbejdes med at understøtte de unges "
            "deltagelse i det ordinære foreningsliv."
        },
        partners=["DGI/Gerlev", "DIF"],
        target_groups=[
            "Alle unge skal have muligheden for at deltage i foreningslivet eller i "
            "selvorganiseret idræt (mål, § 5.2)"
        ],
        # § 3: same list as Fritidsjobindsats (den kriminalpræventive indsats) -> 5.2.2.
        criteria=["5.2.2"],
    ),
    ActivitySeed(
        "vaerested-og-klub",
        "Værested og klub – med og uden tag",
        "5.2",
        f'{_KRIM}: »"Værested og klub – med og uden tag"« (aftalen nævner ingen områder)',
        [],
        # § 3: same list as Fritidsjobindsats (den kriminalpræventive indsats) -> 5.2.2.
        criteria=["5.2.2"],
    ),
    ActivitySeed(
        "brobygningsteam",
        "Tværgående brobygningsteam til opsporing og forebyggelse",
        "5.3",
        "§ 5.3, Lokalt opstillede målinger: overskriften »Tværgående brobygningsteam til "
        "opsporing og forebyggelse« over succeskriterierne om skolefravær, "
        "uddannelsesparathed og andelen af 18-29-årige med grundskole som højeste uddannelse "
        "(aftalen nævner ingen områder)",
        [],
        # § 5.3's table lists these three criteria under the heading "Tværgående
        # brobygningsteam til opsporing og forebyggelse".
        criteria=["5.3.1", "5.3.2", "5.3.3"],
    ),
    ActivitySeed(
        "virksomhedsnaert-samarbejde",
        "En opnormering af det lokale virksomhedsnære samarbejde",
        "5.3",
        "§ 5.3, Lokalt opstillede målinger: overskriften »En opnormering af det lokale "
        "virksomhedsnære samarbejde« over succeskriterierne om ydelser, indskrivning på "
        "ungdomsuddannelse og ydelsesperiode. § 3 (Uddannelse og beskæftigelse): »En "
        "beskæftigelsesrettet aktivitet rettet mod det samlede ansøgningsområde […] Indsatsen "
        "bør tilbydes i alle 4 boligområder, men med et større fokus og vægt på indsatser i "
        "Ringparken og på Motalavej.«",
        ALL_AREAS,
        area_notes={
            "motalavej": "Større fokus og vægt (§ 3, Uddannelse og beskæftigelse).",
            "ringparken": "Større fokus og vægt (§ 3, Uddannelse og beskæftigelse).",
        },
        # KMD Opera (the job centre's system) is the data source; the job centre is municipal.
        responsible=Activity.Responsible.MUNICIPALITY,
        target_groups=[
            "Borgere under 30 år uden tilknytning til arbejdsmarkedet eller uddannelse",
            "Sekundært: forældre, der står uden for arbejdsmarkedet",
        ],
        unit=Activity.Unit.OTHER,
        unit_label="virksomhedskontakter",
        # § 5.3's table lists these three criteria under the heading "En opnormering af det
        # lokale virksomhedsnære samarbejde".
        criteria=["5.3.4", "5.3.5", "5.3.6"],
    ),
    ActivitySeed(
        "ekstra-sundhedspleje",
        "Ekstra sundhedspleje",
        "5.4",
        "§ 5.4: »Alle forældre tilbydes sundhedspleje og det vil derfor ikke opleves som "
        "stigmatiserende, at tilbyde ekstra sundhedspleje. Sundhedsplejen er ofte de første "
        "kommunale medarbejdere […]« – »Hvis erfaringerne fra afprøvningen af aktiviteter i "
        "Ringparken og på Motalavej viser sig at være en succes […]«",
        ["motalavej", "ringparken"],
        responsible=Activity.Responsible.MUNICIPALITY,
        responsible_is_placeholder=False,
        target_groups=["Spæd- og småbørnsfamilier i Ringparken og på Motalavej"],
        unit=Activity.Unit.OTHER,
        unit_label="ekstra besøg",
        # § 5.4: the families criterion's data source is "Sundhedstjenestens fagsystem
        # Novax", the health visitors' own system -> 5.4.1.
        criteria=["5.4.1"],
    ),
    ActivitySeed(
        "moedregrupper",
        "Mødregrupper",
        "5.4",
        "§ 5.4, succeskriterium: »Mødrene oplever at deres forældre- og handlekompetencer "
        "styrkes/forbedres. Udviklingen baserer sig på mødrenes oplevede effekt, fra de "
        "starter til de slutter i et mødregruppeforløb.« – »Sundhedsplejen […] har en unik "
        "mulighed for, at arbejde anerkendende og problemløsende både på det individuelle "
        "plan samt på gruppe-plan.« – aktiviteterne afprøves »i Ringparken og på Motalavej«",
        ["motalavej", "ringparken"],
        responsible=Activity.Responsible.MUNICIPALITY,
        target_groups=["Mødre i spæd- og småbørnsfamilier i Ringparken og på Motalavej"],
        # § 5.4: the mothers' criterion is measured "fra de starter til de slutter i et
        # mødregruppeforløb" -> 5.4.2.
        criteria=["5.4.2"],
    ),
    ActivitySeed(
        "uddannelsestilbud-sydbyen",
        "Uddannelsestilbud i Sydbyen",
        "5.3",
        "§ 2, Lokale følgegrupper: »Korsør Produktionshøjskole vedr. uddannelses tilbud i Sydbyen«",
        ["sydbyen"],
        partners=["Korsør Produktionshøjskole"],
        responsible=Activity.Responsible.PARTNER,
        responsible_partner="Korsør Produktionshøjskole",
        responsible_is_placeholder=False,
        unit=Activity.Unit.PARTICIPANTS,
    ),
    ActivitySeed(
        "opkvalificering-motalavej",
        "Opkvalificeringsaktiviteter på Motalavej",
        "5.3",
        "§ 2, Lokale følgegrupper: »Sumak vedrørende opkvalificeringsaktiviteter på Motalavej«",
        ["motalavej"],
        partners=["Sumak"],
        responsible=Activity.Responsible.PARTNER,
        responsible_partner="Sumak",
        responsible_is_placeholder=False,
        unit=Activity.Unit.PARTICIPANTS,
    ),
]


def load_activities(plan: Plan) -> dict[str, Activity]:
    partners = {
        name: existing_or(
            PartnerModel.objects.filter(plan=plan, name=name),
            partial(partner_create, plan=plan, name=name, kind=kind, source_quote=quote),
        )
        for name, kind, quote in PARTNERS
    }
    areas = {a.slug: a for a in HousingArea.objects.filter(plan=plan)}
    focus = {f.code: f for f in FocusArea.objects.filter(plan=plan)}
    criteria = {c.code: c for c in SuccessCriterion.objects.filter(plan=plan)}
    result = {}
    for order, seed in enumerate(ACTIVITIES):
        result[seed.slug] = existing_or(
            Activity.objects.filter(plan=plan, slug=seed.slug),
            partial(
                activity_create,
                plan=plan,
                slug=seed.slug,
                name=seed.name,
                focus_area=focus[seed.focus],
                areas={areas[slug]: seed.area_notes.get(slug, "") for slug in seed.areas},
                source_quote=seed.quote,
                description=seed.description,
                responsible=seed.responsible,
                responsible_partner=partners.get(seed.responsible_partner),
                responsible_is_placeholder=seed.responsible_is_placeholder,
                target_groups=seed.target_groups,
                unit=seed.unit,
                unit_label=seed.unit_label,
                partners=[partners[p] for p in seed.partners],
                success_criteria=[criteria[code] for code in seed.criteria],
                order=order,
            ),
        )
    return result


DEMO_YEAR = 2018
DEMO_NOTE = "Demonstrationsdata – ikke fra aftalen"
DEMO_SEED = 20180101


def _demo_rows(
    plan: Plan, activities: dict[str, Activity], users: dict[str, User | None]
) -> tuple[list[PlannedQuantity], list[tuple[Registration, list[str]]]]:
    """The demonstration plan and registrations, generated from a fixed seed."""
    rng = random.Random(DEMO_SEED)  # noqa: S311 - demonstration figures, not security
    planned: list[PlannedQuantity] = []
    registrations: list[tuple[Registration, list[str]]] = []
    for seed in ACTIVITIES:
        activity = activities[seed.slug]
        for link in activity.area_links.select_related("area").order_by("area__order"):
            area = link.area
            for quarter in (1, 2, 3, 4):
                events = rng.randint(2, 4)
                # Delivery varies around the plan so the page shows under, on and over.
                held = max(0, round(events * rng.choice([0.5, 0.75, 1, 1, 1, 1.25, 1.5])))
                rows = []
                for _n in range(held):
                    start = date(DEMO_YEAR, 3 * quarter - 2, 1)
                    day = start + timedelta(days=rng.randint(0, 88))
                    counts = dict.fromkeys(COUNT_FIELDS, 0)
                    for name in rng.sample(_bands_for(seed.slug), k=2):
                        counts[name] = rng.randint(1, 8)
                    reg = Registration(
                        plan=plan,
                        activity=activity,
                        area=area,
                        date=day,
                        year=day.year,
                        quarter=quarter_of(day),
                        volunteers=rng.randint(0, 3),
                        quantity=rng.randint(3, 9) if seed.unit == Activity.Unit.OTHER else None,
                        note=DEMO_NOTE,
                        registered_by=_registrar(activity, area.slug, users),
                        is_demo_data=True,
                        **counts,
                    )
                    reg.participants = sum(counts.values())
                    rows.append(reg)
                    registrations.append((reg, seed.partners))
                unit_total = {
                    Activity.Unit.EVENTS: events,
                    Activity.Unit.PARTICIPANTS: events * 8,
                    Activity.Unit.OTHER: events * 6,
                }[Activity.Unit(seed.unit)]
                planned.append(
                    PlannedQuantity(
                        activity=activity,
                        area=area,
                        year=DEMO_YEAR,
                        quarter=quarter,
                        quantity=unit_total,
                        is_demo_data=True,
                    )
                )
    return planned, registrations


def _bands_for(slug: str) -> list[str]:
    if slug in {"ekstra-sundhedspleje", "moedregrupper"}:
        return ["n_0_5_f", "n_0_5_m", "n_25_64_f", "n_18_24_f"]
    if slug in {"fritidsjobindsats", "idraetspartnerskaber", "vaerested-og-klub"}:
        return ["n_13_17_f", "n_13_17_m", "n_6_12_m", "n_6_12_f", "n_18_24_m"]
    if slug == "tryghedsvandringer":
        return ["n_25_64_f", "n_25_64_m", "n_65_f", "n_65_m", "n_18_24_x"]
    return ["n_18_24_f", "n_18_24_m", "n_25_64_f", "n_25_64_m"]


def _registrar(activity: Activity, area_slug: str, users: dict[str, User | None]) -> User | None:
    if activity.responsible == Activity.Responsible.MUNICIPALITY:
        return users["kommune"]
    if area_slug == "motalavej":
        return users["koordinator"]
    return users["sekretariat"]


def load_demo_registrations(plan: Plan, activities: dict[str, Activity]) -> None:
    """The demonstration activity plan and registrations, through the activities services
    and each registrar's own access (the coordinator registers for Motalavej only ...).

    Idempotent: planned figures already set are left; the registrations are written only
    when the plan has no demonstration registrations (no user flow deletes registrations,
    so the demo does not either)."""
    users = {
        u: User.objects.filter(username=u).first()
        for u in ("kommune", "koordinator", "sekretariat")
    }
    planned, registrations = _demo_rows(plan, activities, users)
    planned_quantities_set(
        plan=plan,
        figures=[PlannedFigure(p.activity, p.area, p.year, p.quarter, p.quantity) for p in planned],
        is_demo_data=True,
    )
    if Registration.objects.filter(plan=plan, is_demo_data=True).exists():
        return
    partners = {p.name: p for p in PartnerModel.objects.filter(plan=plan)}
    closed = set(QuarterClosure.objects.filter(plan=plan).values_list("year", "quarter"))
    scopes = {user: _scope(plan, user) for user in {reg.registered_by for reg, _ in registrations}}

    def batch(pair: tuple[Registration, list[str]]) -> tuple[User | None, bool]:
        reg, _partners = pair
        return reg.registered_by, (reg.year, reg.quarter) in closed

    # In the generated order, one call per run of rows with the same registrar (each
    # through their own access: the coordinator registers for Motalavej only ...).
    for (registrar, in_closed), rows in groupby(registrations, key=batch):
        registrations_create(
            plan=plan,
            scope=scopes[registrar],
            user=registrar,
            rows=[
                RegistrationRow(
                    activity=reg.activity,
                    area=reg.area,
                    date=reg.date,
                    counts=reg.counts(),
                    volunteers=reg.volunteers,
                    quantity=reg.quantity,
                    note=reg.note,
                    partners=[partners[name] for name in names],
                )
                for reg, names in rows
            ],
            # A closed quarter takes a reason (reloading after the quarter was closed).
            reason=DEMO_NOTE if in_closed else "",
            is_demo_data=True,
        )


def _scope(plan: Plan, user: User | None) -> RegistrationScope:
    """Where the registrar may register, as the product decides it for them (no user: the
    secretariat's, everywhere)."""
    if user is None:
        return EVERYWHERE
    return get_plan_access(user, plan.slug).registration_scope


def load(plan: Plan) -> None:
    activities = load_activities(plan)
    load_demo_registrations(plan, activities)
    # The first quarter of the demonstration year is closed, so the page shows a closed
    # quarter (a demonstration choice, like the registrations).
    if not QuarterClosure.objects.filter(plan=plan, year=DEMO_YEAR, quarter=1).exists():
        quarter_close(
            plan=plan,
            year=DEMO_YEAR,
            quarter=1,
            user=User.objects.filter(username="sekretariat").first(),
        )
