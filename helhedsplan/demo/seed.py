"""The Slagelse plan as the seed document (shared/seed/000_d2b88dea492286de.txt) writes it.

Texts are quoted from the seed; figures are the seed's. Where the seed names no one (the
five housing organisations, people), the values are placeholders that say so. Nothing
here is invented; the one derived value, the plan period, says where it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

PLAN_SLUG = "slagelse"
PLAN_NAME = "Boligsocial helhedsplan i Slagelse Kommune"
MUNICIPALITY = "Slagelse Kommune"
PLAN_START = date(2018, 1, 1)
PLAN_END = date(2021, 12, 31)
PERIOD_NOTE = (
    "Aftalen angiver ikke en start- og slutdato. Perioden 2018-2021 er udledt af aftalen: "
    "målene sættes for den fireårige periode (afsnit 5), nulpunkterne er ultimo 2017, "
    "slutmålene ligger i 2021, og den sidste helhedsevaluering foretages ultimo 2021."
)
VISION = (
    "Det er visionen for den boligsociale indsats at udvikle de udsatte boligområder i "
    "Skælskør, Korsør og Slagelse til attraktive by- og boligområder, så de naturligt "
    "integreres i de omkringliggende bydele.\n\nDenne vision indebærer, at der ikke er nogle "
    "af boligområderne, der figurerer på regeringens SUB-liste efter 2025."
)

# The seed says five housing organisations take part but names none of them.
HOUSING_ORGANISATIONS = [f"Boligorganisation {n} (pladsholder)" for n in range(1, 6)]


@dataclass(frozen=True)
class AreaSeed:
    slug: str
    name: str
    sub_areas: list[str] = field(default_factory=list)
    # § 3: "Motalavej og Ringparken/Schackenborgvænge er klart mest udfordrede områder, som vi
    # også vil prioritere hovedparten af resurserne/aktiviteterne til, dernæst er det Sydbyen
    # efterfulgt af Skælskør."
    priority: int | None = None


AREAS = [
    AreaSeed("motalavej", "Motalavej", priority=1),
    AreaSeed(
        "ringparken",
        "Ringparken og Schackenborgvænge",
        ["Ringparken", "Schackenborgvænge"],
        priority=1,
    ),
    AreaSeed("sydbyen", "Sydbyen", priority=2),
    AreaSeed("skaelskoer", "Skælskør", ["Parkvej", "Præstevænget"], priority=3),
]


@dataclass(frozen=True)
class FocusAreaSeed:
    code: str
    name: str
    purpose: str
    sub_goals: list[str]
    target_groups: list[str]


FOCUS_AREAS = [
    FocusAreaSeed(
        code="5.1",
        name="Tryghed og trivsel",
        purpose=(
            "Formålet med de boligsociale aktiviteter under indsatsområdet Tryghed og trivsel "
            "er primært\n\n- Øget tryghed\n- Styrket civilsamfund og social integration i "
            "boligområderne"
        ),
        sub_goals=[
            "Øget oplevelse af godt naboskab og tryghed blandt beboerne i de fire områder",
            "Øget lokalt engagement",
            "Fald i omfang af hærværk",
            "Færre dårligere historier i mediebilledet om områderne omfattet i helhedsplanen, "
            "dette til gavn for områdernes identitet, beboernes trivsel og kommunens samlede "
            "brand.",
            "Lavere fraflytningsprocent",
        ],
        target_groups=[],
    ),
    FocusAreaSeed(
        code="5.2",
        name="Kriminalpræventiv indsats",
        purpose=(
            "Formålet for dette indsatsområde er mere eller mindre det samme som formålet fra "
            'indsatsen "Tryghed og Trivsel". Dog med aktivitetstyper til forskel.\n\n'
            'Formålet for "Kriminalpræventiv indsats" er todelt:\n\n'
            "- At nedsætte og forbygge kriminaliteten\n- At højne trygheden"
        ),
        sub_goals=[
            "Alle unge skal have muligheden for at få et fritidsjob",
            "Alle unge skal have muligheden for at deltage i foreningslivet eller i "
            "selvorganiseret idræt",
        ],
        target_groups=[
            "Børn og unge i de fire områder, dog med hovedvægt i resurseprioritering af nogle "
            "af aktiviteterne på Motalavej og i Ringparken.",
            "Forældre i alle fire områder",
        ],
    ),
    FocusAreaSeed(
        code="5.3",
        name="Uddannelse og beskæftigelse",
        purpose=(
            "Det er det overordnede formål at børn, unge og deres familier understøttes i at "
            "udvikle en kultur, der har fokus på værdien af uddannelse og beskæftigelse og at "
            "denne kultur understøtter oplevelsen af at være del af et forpligtende fællesskab, "
            "der er baseret på tryghed, gensidig respekt og ansvar.\n\n"
            "Det betyder, at der skal ske en bevægelse mod et markant uddannelses- og "
            "beskæftigelsesmæssigt løft, hvor både uddannelse og selvforsørgelse gøres til "
            "gældende værdi.\n\n"
            "Dette sker bl.a. ved at flere unge gennemfører folkeskolens afgangsprøve med "
            "adgangsgivende karakterstørrelse og at der i folkeskolen bliver en større "
            "forældredeltagelse, at flere unge bliver uddannelsesparate, at flere unge "
            "gennemfører en ungdomsuddannelse, og at børn og unge fra boligområderne "
            "fastholdes i uddannelse. Det er væsentligt, at boligområdernes børn og de unges "
            "vilkår og muligheder ikke forringes på grund af brugen af hash og andre stoffer\n\n"
            "For at flere unge skal gennemføre en ungdomsuddannelse, skal de unge klædes bedre "
            "på i forhold til at udvikle faglige, personlige og sociale færdigheder.\n\n"
            "Et andet mål med dette indsatsområde er at reducere antallet af beboere under 30, "
            "der ingen tilknytning har til arbejdsmarkedet eller uddannelsessystemet. Dette "
            "skal ske gennem et tværgående samarbejde. I indsatserne fokuseres der særligt på "
            "borgere under 30 år for derved, at anlægge et langsigtet perspektiv og give "
            "kommende generationer bedre muligheder for at blive en del af arbejdsmarkedet og "
            "uddannelsessystemet.\n\n"
            "Derudover vil man sekundært arbejde med forældre, der står udenfor "
            "arbejdsmarkedet og gennem beskæftigelsesindsatser for denne gruppe, forsøge at "
            "skabe bedre socioøkonomiske vilkår for områdets børn og unge, og derved øge "
            "sandsynligheden for at de fremadrettet kan fastholdes i uddannelse og job. Det "
            "forventes, at når flere beboere tilknyttes arbejdsmarkedet eller "
            "uddannelsessystemet, vil dette have en positiv indvirkning på områdernes negative "
            "sociale arv, den oplevede tryghed og generelle trivsel."
        ),
        sub_goals=[],
        target_groups=[
            "Borgere under 30 år (der fokuseres særligt på dem)",
            "Sekundært forældre, der står udenfor arbejdsmarkedet",
        ],
    ),
    FocusAreaSeed(
        code="5.4",
        name="Forebyggelse og forældreansvar",
        purpose=(
            "Det er formålet at understøtte børn, unge og deres familier i at udvikle en "
            "kultur, og sociale værdier der i højere grad matcher værdierne i et demokratisk og "
            "tillidsbaseret samfund. Fokus vil være de udsatte boligområder Ringparken og "
            "Motalavej. At det netop er de to udsatte boligområder, der fokuseres på i "
            "delaftalens aktiviteter skyldes, at det er der, hvor der er flest børn i alderen "
            "0-3 år. I 2016 var der i alt 317 børn i aldersgruppen i de 4 boligområder. 215 af "
            "de børn bor i Ringparken og på Motalavej.\n\n"
            "Målet er, at boligområderne bliver domineret af sociale værdier, der understøtter "
            "oplevelsen af tryghed, forpligtende fællesskab samt gensidig respekt og ansvar. "
            "Formålets afledte effekt er at forbedre den sociale mobilitet – og dermed styrke "
            "den enkeltes tillid til og mulighed for at have et reelt valg. Men ligeledes at "
            "skabe forandring på et organisatorisk og strukturelt niveau i forhold til "
            "forventninger til beboerne i området."
        ),
        sub_goals=[],
        target_groups=[
            "Spæd- og småbørnsfamilier i Ringparken og på Motalavej",
        ],
    ),
]

FUNDING = [
    ("lbf", "Landsbyggefonden", Decimal(25000)),
    ("local", "Lokal medfinansiering", Decimal(19450)),
]
