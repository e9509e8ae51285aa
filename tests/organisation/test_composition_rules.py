"""The agreement's § 2, rule by rule: the demo meets every rule; breaking one shows its message.

Hard limits (a seventh board member, a chair outside the board, a coordinator above 100 %)
are refused by the membership services and nothing is written; softer incompleteness
(a missing police representative) is reported on the compliance panel.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from helhedsplan.organisation import services
from helhedsplan.organisation.compliance import breaches_on
from helhedsplan.organisation.models import Body, CompositionRule, Membership, Person
from helhedsplan.plans.models import Plan
from tests import factories
from tests.editing import opened_version

ON = date(2019, 1, 1)


def body(plan: Plan, slug: str) -> Body:
    return Body.objects.get(plan=plan, slug=slug)


def person(plan: Plan, name: str) -> Person:
    return Person.objects.get(plan=plan, name=name)


def new_person(plan: Plan, name: str, **kw: object) -> Person:
    values: dict[str, object] = {"organisation_kind": "other", "organisation_name": "X"}
    values.update(kw)
    return services.person_create(plan=plan, name=name, **values)  # type: ignore[arg-type]


def seat(plan: Plan, slug: str, who: Person, role: str = "member", **kw: object) -> int:
    """Bypasses the service on purpose: sets up states the panel must report."""
    return Membership.objects.create(
        body=body(plan, slug), person=who, role=role, start_date=ON, **kw
    ).pk


def end(plan: Plan, name: str, slug: str, role: str | None = None) -> int:
    qs = Membership.objects.filter(body__plan=plan, body__slug=slug, person__name=name)
    if role:
        qs = qs.filter(role=role)
    return qs.update(end_date=date(2018, 12, 31))


@pytest.mark.demo  # about the seed's organisation
def test_the_demo_organisation_meets_every_rule(plan: Plan) -> None:
    assert breaches_on(plan, ON) == []


@pytest.mark.demo  # about the seed's § 2 composition rules, bodies and members
def test_compliance_panel_is_all_green_for_the_demo(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    url = reverse("organisation:overview", kwargs={"slug": plan.slug}) + "?dato=2019-01-01"
    text = client_for("board").get(url).content.decode()
    assert text.count('class="badge ok"') == plan.composition_rules.count()  # type: ignore[attr-defined]
    assert "ikke opfyldt" not in text
    assert "Bestyrelsesmedlem 1 (pladsholder)" in text
    assert "Koordinator 3 (pladsholder)" in text


# (how to break the demo, the message the panel must show)
SOFT_BREACHES: list[tuple[Callable[[Plan], object], str]] = [
    (
        lambda p: end(p, "Bestyrelsesmedlem 3 (pladsholder)", "bestyrelse"),
        "Bestyrelse har 5 medlemmer; aftalen kræver 6.",
    ),
    (
        lambda p: end(p, "Bestyrelsesmedlem 3 (pladsholder)", "bestyrelse"),
        "Bestyrelse mangler et medlem fra Boligorganisation 3 (pladsholder) (hver "
        "boligorganisation udpeger ét).",
    ),
    (
        lambda p: Person.objects.filter(name="Bestyrelsesmedlem 2 (pladsholder)").update(
            level="staff"
        ),
        "Bestyrelsesmedlem 2 (pladsholder) i Bestyrelse skal komme fra direktion eller "
        "administrativ ledelse, men er registreret som medarbejder.",
    ),
    (
        lambda p: Person.objects.filter(name="Bestyrelsesmedlem 6 (pladsholder)").update(
            level="centre_head"
        ),
        "Bestyrelse skal have 1 repræsentant for kommunen (medlem af direktionen), men har 0.",
    ),
    (
        lambda p: end(p, "Bestyrelsesmedlem 6 (pladsholder)", "formandskab"),
        "Formandskab skal have 1 direktør fra kommunen, men har 0.",
    ),
    (
        lambda p: end(p, "Politirepræsentant 2 (pladsholder)", "koordinationsgruppe"),
        "Koordinationsgruppe skal have 2 repræsentanter fra politiets lokale og regionale "
        "ledelse, men har 1.",
    ),
    (
        lambda p: (
            end(p, "Centerchef 1 (pladsholder)", "koordinationsgruppe"),
            end(p, "Centerchef 2 (pladsholder)", "koordinationsgruppe"),
        ),
        "Koordinationsgruppe skal have mindst 1 centerchef(er) fra kommunen, men har 0.",
    ),
    (
        lambda p: Membership.objects.filter(
            body__slug="koordinationsgruppe", role="convener"
        ).update(role="member"),
        "Koordinationsgruppe mangler rollen indkalder og leder møderne.",
    ),
    (
        lambda p: Membership.objects.filter(
            body__slug="koordinationsgruppe", person__name="Centerchef 1 (pladsholder)"
        ).update(role="convener"),
        "I Koordinationsgruppe skal Kompetencechefen have rollen indkalder og leder møderne; "
        "den har Centerchef 1 (pladsholder).",
    ),
    (
        lambda p: end(p, "Koordinator 1 (pladsholder)", "kompetencecentret", "deputy"),
        "Én koordinator skal være stedfortræder for Kompetencechefen; der er 0.",
    ),
    (
        lambda p: (
            seat(p, "kompetencecentret", person(p, "Centerchef 1 (pladsholder)"), "deputy"),
            end(p, "Koordinator 1 (pladsholder)", "kompetencecentret", "deputy"),
        ),
        "Centerchef 1 (pladsholder) er stedfortræder for Kompetencechefen, men er ikke "
        "koordinatorer.",
    ),
    (
        lambda p: end(p, "Koordinator 3 (pladsholder)", "koordinatorer"),
        "Koordinatorer har 2 medlemmer; aftalen kræver 3.",
    ),
    (
        lambda p: Membership.objects.filter(
            body__slug="koordinatorer", area__slug="sydbyen"
        ).update(fte_percent=Decimal(20)),
        "Koordinatortiden i Sydbyen er 20\u00a0%; aftalen fastsætter 30\u00a0%.",
    ),
    (
        lambda p: end(p, "Lokalpoliti Sydbyen (pladsholder)", "foelgegruppe-sydbyen"),
        "Lokal følgegruppe – Sydbyen mangler rollen repræsentant for lokalpolitiet.",
    ),
    (
        lambda p: end(p, "Ejendomsdrift Motalavej (pladsholder)", "foelgegruppe-motalavej"),
        "Lokal følgegruppe – Motalavej mangler rollen repræsentant for ejendomsdrift.",
    ),
    (
        lambda p: end(p, "Beboerhusmedarbejder Skælskør (pladsholder)", "foelgegruppe-skaelskoer"),
        "Lokal følgegruppe – Skælskør mangler rollen repræsentant for beboerhusets bemanning.",
    ),
    (
        lambda p: end(p, "Koordinator 1 (pladsholder)", "foelgegruppe-motalavej"),
        "Lokal følgegruppe – Motalavej mangler rollen lokal koordinator.",
    ),
    (
        lambda p: Membership.objects.filter(
            body__slug="foelgegruppe-motalavej", role="local_coordinator"
        ).update(person=person(p, "Koordinator 2 (pladsholder)")),
        "Koordinator 2 (pladsholder) er lokal koordinator i Lokal følgegruppe – Motalavej, men "
        "har ingen "
        "koordinatortid i Motalavej.",
    ),
    (
        lambda p: Body.objects.filter(slug="foelgegruppe-sydbyen").delete(),
        "Sydbyen skal have én lokal følgegruppe; der er 0.",
    ),
]


@pytest.mark.parametrize(("breach", "message"), SOFT_BREACHES)
@pytest.mark.demo  # about the seed's § 2 composition rules, bodies and members
def test_breaking_a_rule_shows_its_message(
    plan: Plan, breach: Callable[[Plan], object], message: str
) -> None:
    breach(plan)
    assert message in breaches_on(plan, ON)


@pytest.mark.demo  # about the seed's § 2 composition rules, bodies and members
def test_a_missing_police_rep_is_reported_on_the_page(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    end(plan, "Politirepræsentant 2 (pladsholder)", "koordinationsgruppe")
    url = reverse("organisation:overview", kwargs={"slug": plan.slug}) + "?dato=2019-01-01"
    text = client_for("coordinator").get(url).content.decode()
    assert "repræsentanter fra politiets lokale og regionale ledelse, men har 1." in text
    assert "Politirepræsentant 1 (pladsholder)" in text


def _count() -> int:
    return Membership.objects.count()


@pytest.mark.demo  # about the seed's § 2 composition rules, bodies and members
def test_a_seventh_board_member_is_refused_and_nothing_written(plan: Plan) -> None:
    before = _count()
    seventh = new_person(plan, "Ekstra medlem", organisation_kind="municipality")
    with pytest.raises(ValidationError) as exc:
        services.membership_create(body=body(plan, "bestyrelse"), person=seventh, start_date=ON)
    assert exc.value.code == "too_many_members"
    assert exc.value.messages == [
        "Bestyrelse har 7 medlemmer; aftalen tillader højst 6 (pr. 1. januar 2019). Intet er gemt."
    ]
    assert _count() == before


@pytest.mark.demo  # about the seed's § 2 composition rules, bodies and members
def test_a_seventh_board_member_later_is_refused_too(plan: Plan) -> None:
    seventh = new_person(plan, "Ekstra medlem", organisation_kind="municipality")
    with pytest.raises(ValidationError) as exc:
        services.membership_create(
            body=body(plan, "bestyrelse"), person=seventh, start_date=date(2020, 5, 1)
        )
    assert "pr. 1. maj 2020" in exc.value.messages[0]


@pytest.mark.demo  # about the seed's § 2 composition rules, bodies and members
def test_a_replacement_after_a_member_leaves_is_accepted(plan: Plan) -> None:
    board = body(plan, "bestyrelse")
    leaving = Membership.objects.get(body=board, person__name="Bestyrelsesmedlem 4 (pladsholder)")
    services.membership_end(membership=leaving, end_date=date(2019, 6, 30))
    newcomer = new_person(
        plan,
        "Nyt bestyrelsesmedlem (pladsholder)",
        organisation_kind="housing_organisation",
        organisation_name="",
        housing_organisation=leaving.person.housing_organisation,
        level="executive",
    )
    services.membership_create(body=board, person=newcomer, start_date=date(2019, 7, 1))
    assert breaches_on(plan, date(2019, 7, 1)) == []
    assert breaches_on(plan, date(2019, 6, 1)) == []


@pytest.mark.demo  # about the seed's § 2 composition rules, bodies and members
def test_a_chairmanship_member_not_on_the_board_is_refused(plan: Plan) -> None:
    before = _count()
    outsider = person(plan, "Centerchef 1 (pladsholder)")
    end(plan, "Bestyrelsesmedlem 6 (pladsholder)", "formandskab")
    with pytest.raises(ValidationError) as exc:
        services.membership_create(
            body=body(plan, "formandskab"), person=outsider, role="chair", start_date=ON
        )
    assert exc.value.code == "not_member_of_body"
    assert exc.value.messages[0] == (
        "Centerchef 1 (pladsholder) sidder i Formandskab, men er ikke medlem af bestyrelse "
        "(pr. 1. januar 2019). Intet er gemt."
    )
    assert _count() == before


@pytest.mark.demo  # about the seed's § 2 composition rules, bodies and members
def test_ending_a_chairs_board_seat_is_refused(plan: Plan) -> None:
    seat_ = Membership.objects.get(
        body__slug="bestyrelse", person__name="Bestyrelsesmedlem 1 (pladsholder)"
    )
    with pytest.raises(ValidationError) as exc:
        services.membership_end(membership=seat_, end_date=date(2019, 12, 31))
    assert exc.value.code == "not_member_of_body"
    seat_.refresh_from_db()
    assert seat_.end_date is None


@pytest.mark.demo  # about the seed's § 2 composition rules, bodies and members
def test_a_coordinator_booked_at_130_percent_is_refused(plan: Plan) -> None:
    before = _count()
    with pytest.raises(ValidationError) as exc:
        services.membership_create(
            body=body(plan, "koordinatorer"),
            person=person(plan, "Koordinator 1 (pladsholder)"),
            role="coordinator",
            area=plan.areas.get(slug="sydbyen"),
            fte_percent=Decimal(30),
            start_date=ON,
        )
    assert exc.value.code == "person_over_fte"
    assert exc.value.messages[0] == (
        "Koordinator 1 (pladsholder) er booket til 130\u00a0% af et årsværk; ingen person kan "
        "have mere end 100\u00a0% (pr. 1. januar 2019). Intet er gemt."
    )
    assert _count() == before


def test_a_single_share_above_100_is_refused_by_the_field(plan: Plan) -> None:
    factories.BodyFactory(plan=plan, kind=Body.Kind.COORDINATORS, slug="koordinatorer")
    with pytest.raises(ValidationError) as exc:
        services.membership_create(
            body=body(plan, "koordinatorer"),
            person=new_person(plan, "Koordinator 4"),
            role="coordinator",
            fte_percent=Decimal(130),
            start_date=ON,
        )
    assert "fte_percent" in exc.value.message_dict


def test_the_form_shows_the_refusal(plan: Plan, client_for: Callable[[str], Client]) -> None:
    """A made-up hard rule of six board members on a full board (the seed's § 2 has it)."""
    CompositionRule.objects.create(
        plan=plan, body_kind="board", kind="max_members", params={"max": 6}, hard=True,
        description="Bestyrelsen består af 6 medlemmer: ikke flere.",
    )  # fmt: skip
    for _n in range(6):
        factories.OrganisationMembershipFactory(body=body(plan, "bestyrelse"))
    seventh = new_person(plan, "Ekstra medlem", organisation_kind="municipality")
    before = _count()
    url = reverse(
        "organisation:membership_create", kwargs={"slug": plan.slug, "body": "bestyrelse"}
    )
    response = client_for("secretariat").post(
        url, {"person": seventh.pk, "role": "member", "start_date": "2019-01-01"}
    )
    assert response.status_code == 200
    assert "aftalen tillader højst 6" in response.content.decode()
    assert _count() == before


@pytest.mark.demo  # about the seed's § 2 composition rules, bodies and members
def test_composition_on_a_date(plan: Plan, client_for: Callable[[str], Client]) -> None:
    seat_ = Membership.objects.get(
        body__slug="bestyrelse", person__name="Bestyrelsesmedlem 4 (pladsholder)"
    )
    services.membership_end(membership=seat_, end_date=date(2019, 6, 30))
    url = reverse("organisation:body", kwargs={"slug": plan.slug, "body": "bestyrelse"})
    assert "30. juni 2019" in client_for("auditor").get(url).content.decode()
    overview = reverse("organisation:overview", kwargs={"slug": plan.slug})
    client = client_for("secretariat")
    early = client.get(overview + "?dato=2019-06-30").content.decode()
    late = client.get(overview + "?dato=2019-07-01").content.decode()
    assert early.count("Bestyrelsesmedlem 4 (pladsholder)") > late.count(
        "Bestyrelsesmedlem 4 (pladsholder)"
    )
    assert "Bestyrelse har 5 medlemmer; aftalen kræver 6." in late


def test_people_hold_work_contact_only(plan: Plan) -> None:
    fields = {f.name for f in Person._meta.get_fields() if f.concrete}
    assert fields == {
        "id",
        "plan",
        "name",
        "organisation_kind",
        "housing_organisation",
        "organisation_name",
        "level",
        "title",
        "email",
        "phone",
    }


def test_person_form_creates_and_edits(plan: Plan, client_for: Callable[[str], Client]) -> None:
    plan.housing_organisations.add(factories.HousingOrganisationFactory())
    client = client_for("secretariat")
    url = reverse("organisation:person_create", kwargs={"slug": plan.slug})
    data = {
        "name": "Ny centerchef (pladsholder)",
        "organisation_kind": "municipality",
        "organisation_name": "Slagelse Kommune",
        "level": "centre_head",
        "title": "Centerchef",
        "email": "cc@example.dk",
        "phone": "",
    }
    assert client.post(url, data).status_code == 302
    created = Person.objects.get(name="Ny centerchef (pladsholder)")
    data["housing_organisation"] = str(plan.housing_organisations.first().pk)  # type: ignore[union-attr]
    edit = reverse("organisation:person_edit", kwargs={"slug": plan.slug, "pk": created.pk})
    response = client.post(edit, {**data, "version": opened_version(client.get(edit))})
    assert "Vælg boligorganisationen" in response.content.decode()


@pytest.mark.demo  # about the seed's § 2 composition rules, bodies and members
def test_rules_are_data_of_the_plan(plan: Plan, other_plan: Plan) -> None:
    """Another plan has its own rules (here none): nothing of Slagelse's applies to it."""
    assert plan.composition_rules.filter(kind="max_members", body_kind="board").get().params == {  # type: ignore[attr-defined]
        "max": 6
    }
    assert breaches_on(other_plan, ON) == []
    board = Body.objects.create(plan=other_plan, kind="board", slug="bestyrelse", name="Bestyrelse")
    for n in range(8):
        who = new_person(other_plan, f"Medlem {n}")
        services.membership_create(body=board, person=who, start_date=ON)
    assert board.memberships.count() == 8
