"""The setup's pages as the secretariat uses them (without JavaScript, and with htmx for
the department and sub-area rows), what the other roles get, the banner on the plan's
overview, and the setup page's queries at two sizes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplan.plans.models import AreaDepartment, HousingArea, HousingOrganisation, Plan
from tests import factories
from tests.forms_in_pages import submit

Clients = Callable[[str], Client]
ROLES = ["secretariat", "coordinator", "municipal", "board", "lbf", "auditor"]


def _url(plan: Plan, name: str, **kwargs: object) -> str:
    return reverse(f"setup:{name}", kwargs={"slug": plan.slug, **kwargs})


@pytest.mark.parametrize("role", ROLES)
def test_the_setup_is_the_secretariats(role: str, plan: Plan, client_for: Clients) -> None:
    response = client_for(role).get(_url(plan, "overview"))
    assert response.status_code == (200 if role == "secretariat" else 403)


def test_the_overview_lists_the_steps_and_what_is_missing(plan: Plan, client_for: Clients) -> None:
    page = client_for("secretariat").get(_url(plan, "overview")).content.decode()
    for step in ("plan", "parties", "areas", "focus_areas", "criteria", "bodies", "funding"):
        assert f'data-step="{step}"' in page
    assert "Landsbyggefondens sagsnummer mangler." in page
    assert "Nordparken har intet afdelingsnummer." in page
    assert reverse("criteria:criterion_create", kwargs={"slug": plan.slug}) in page
    assert reverse("finance:funding_edit", kwargs={"slug": plan.slug}) in page


def test_the_plan_overview_shows_the_banner_to_the_secretariat_only(
    plan: Plan, client_for: Clients
) -> None:
    page = client_for("secretariat").get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="setup-banner"' in page
    assert "punkter mangler" in page
    assert _url(plan, "overview") in page
    board = client_for("board").get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="setup-banner"' not in board


@pytest.mark.django_db
def test_no_banner_when_nothing_is_missing() -> None:
    plan = factories.complete_plan()
    client = Client()
    client.force_login(factories.persona(plan, "secretariat"))
    page = client.get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="setup-banner"' not in page
    setup = client.get(_url(plan, "overview")).content.decode()
    assert "Intet mangler" in setup


# --- the plan's details ---------------------------------------------------------------------


def test_details_save_the_case_number(plan: Plan, client_for: Clients) -> None:
    client = client_for("secretariat")
    response = submit(
        client,
        _url(plan, "details"),
        {
            "name": "Fabriksplan",
            "lbf_case_number": "2018-0042",
            "framework": "2015-18",
            "start_date": "2018-01-01",
            "end_date": "2021-12-31",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.lbf_case_number == "2018-0042"


def test_details_refuse_an_end_before_the_start_with_a_summary(
    plan: Plan, client_for: Clients
) -> None:
    response = submit(
        client_for("secretariat"),
        _url(plan, "details"),
        {
            "name": "Fabriksplan",
            "lbf_case_number": "1",
            "framework": "2015-18",
            "start_date": "2021-01-01",
            "end_date": "2018-01-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in page and "Slutdatoen skal ligge efter startdatoen." in page
    plan.refresh_from_db()
    assert plan.lbf_case_number == ""


def test_the_framework_field_is_fixed_after_a_submitted_version(
    plan: Plan, client_for: Clients
) -> None:
    factories.AgreementVersionFactory(plan=plan, status="submitted")
    page = client_for("secretariat").get(_url(plan, "details")).content.decode()
    assert "Rammen ligger fast" in page
    assert 'name="framework"' in page and "disabled" in page


# --- parties --------------------------------------------------------------------------------


def test_parties_create_link_set_cvr_and_unlink(plan: Plan, client_for: Clients) -> None:
    client = client_for("secretariat")
    page = client.get(_url(plan, "parties")).content.decode()
    assert str(plan.municipality) in page
    response = client.post(
        _url(plan, "parties"), {"name": "Boligselskabet Nord", "cvr": "11223344"}
    )
    assert response.status_code == 302
    created = HousingOrganisation.objects.get(name="Boligselskabet Nord")
    assert plan.housing_organisations.filter(pk=created.pk).exists()

    existing = factories.HousingOrganisationFactory(name="Fælles Bolig")
    response = client.post(_url(plan, "party_link"), {"housing_organisation": existing.pk})
    assert response.status_code == 302
    assert plan.housing_organisations.filter(pk=existing.pk).exists()

    response = submit(client, _url(plan, "party_edit", pk=existing.pk), {"cvr": "55667788"})
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.cvr == "55667788"

    response = client.post(_url(plan, "party_unlink", pk=existing.pk))
    assert response.status_code == 302
    assert not plan.housing_organisations.filter(pk=existing.pk).exists()


def test_a_bad_cvr_is_shown_on_the_form(plan: Plan, client_for: Clients) -> None:
    response = client_for("secretariat").post(
        _url(plan, "parties"), {"name": "Boligselskabet Nord", "cvr": "123"}
    )
    assert response.status_code == 200
    assert "er ikke 8 cifre" in response.content.decode()
    assert not HousingOrganisation.objects.filter(name="Boligselskabet Nord").exists()


def test_a_party_of_another_plan_is_not_found(plan: Plan, client_for: Clients) -> None:
    stranger = factories.HousingOrganisationFactory()
    client = client_for("secretariat")
    assert client.get(_url(plan, "party_edit", pk=stranger.pk)).status_code == 404
    plan.refresh_from_db()
    # Unlinking what is no party is nothing to do (also the second click on "remove").
    other_plan = factories.PlanFactory(housing_organisations=[stranger])
    assert client.post(_url(plan, "party_unlink", pk=stranger.pk)).status_code == 302
    assert other_plan.housing_organisations.filter(pk=stranger.pk).exists()


# --- areas ----------------------------------------------------------------------------------


def test_an_area_is_created_and_completed_without_javascript(
    plan: Plan, client_for: Clients
) -> None:
    client = client_for("secretariat")
    org = factories.HousingOrganisationFactory()
    plan.housing_organisations.add(org)
    response = client.post(
        _url(plan, "areas"),
        {
            "name": "Skælskør",
            "priority": "3",
            "housing_organisations": [org.pk],
            "sub_areas": "Øst\nVest",
        },
    )
    assert response.status_code == 302
    area = HousingArea.objects.get(plan=plan, slug="skaelskoer")
    assert response["Location"] == _url(plan, "area_edit", area="skaelskoer")
    assert [s.name for s in area.sub_areas.all()] == ["Øst", "Vest"]

    page = client.get(response["Location"]).content.decode()
    assert "<legend>" in page and 'for="id_department-number"' in page

    added = client.post(
        _url(plan, "department_add", area=area.slug),
        {"department-number": "12", "department-housing_organisation": org.pk},
    )
    assert added.status_code == 302
    assert AreaDepartment.objects.filter(area=area, number="12").exists()

    refused = client.post(
        _url(plan, "department_add", area=area.slug),
        {"department-number": "12", "department-housing_organisation": org.pk},
    )
    assert refused.status_code == 200
    assert "er allerede med i planen" in refused.content.decode()

    pop = client.post(
        _url(plan, "population_set", area=area.slug),
        {"population-year": "2019", "population-residents": "-5"},
    )
    assert pop.status_code == 200 and "negativt" in pop.content.decode()
    assert not area.populations.exists()
    pop = client.post(
        _url(plan, "population_set", area=area.slug),
        {"population-year": "2019", "population-residents": "950", "population-source": "DST"},
    )
    assert pop.status_code == 302
    assert area.populations.get().residents == 950

    edited = submit(
        client,
        _url(plan, "area_edit", area=area.slug),
        {"name": "Skælskør By", "priority": "2", "housing_organisations": [org.pk]},
    )
    assert edited.status_code == 302
    area.refresh_from_db()
    assert (area.name, area.priority, area.slug) == ("Skælskør By", 2, "skaelskoer")


def test_an_area_name_in_use_is_refused_on_the_form(plan: Plan, client_for: Clients) -> None:
    response = client_for("secretariat").post(_url(plan, "areas"), {"name": "nordparken"})
    assert response.status_code == 200
    assert "allerede et boligområde" in response.content.decode()
    assert plan.areas.count() == 2


def test_htmx_adds_and_removes_rows_in_place(plan: Plan, client_for: Clients) -> None:
    client = client_for("secretariat")
    area = plan.areas.get(slug="nord")
    htmx = {"HX-Request": "true"}
    response = client.post(
        _url(plan, "department_add", area="nord"), {"department-number": "7"}, headers=htmx
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.startswith('<section id="departments"') and "<html" not in fragment
    department = area.departments.get()
    response = client.post(
        _url(plan, "department_remove", area="nord", pk=department.pk), headers=htmx
    )
    assert response.status_code == 200 and not area.departments.exists()

    response = client.post(
        _url(plan, "sub_area_add", area="nord"), {"sub_area-name": ""}, headers=htmx
    )
    assert response.status_code == 200 and 'class="error' in response.content.decode()
    response = client.post(
        _url(plan, "sub_area_add", area="nord"), {"sub_area-name": "Vænget"}, headers=htmx
    )
    sub = area.sub_areas.get()
    assert "Vænget" in response.content.decode()
    response = client.post(_url(plan, "sub_area_remove", area="nord", pk=sub.pk))
    assert response.status_code == 302 and not area.sub_areas.exists()
    again = client.post(_url(plan, "sub_area_remove", area="nord", pk=sub.pk))
    assert again.status_code == 302


# --- focus areas ----------------------------------------------------------------------------


def test_a_focus_area_is_chosen_from_the_framework(plan: Plan, client_for: Clients) -> None:
    client = client_for("secretariat")
    page = client.get(_url(plan, "focus_areas")).content.decode()
    assert 'value="5.2"' in page  # the next code (the factory plan has 5.1)
    response = client.post(
        _url(plan, "focus_areas"),
        {
            "framework_key": "uddannelse-og-beskaeftigelse",
            "code": "5.2",
            "purpose": "Flere i job.",
            "sub_goals": "Flere i uddannelse\nFlere i job",
            "target_groups": "Unge",
        },
    )
    assert response.status_code == 302
    fa = plan.focus_areas.get(code="5.2")
    assert (fa.name, fa.framework_key) == (
        "Uddannelse og beskæftigelse",
        "uddannelse-og-beskaeftigelse",
    )
    assert fa.sub_goal_list == ["Flere i uddannelse", "Flere i job"]

    again = client.post(
        _url(plan, "focus_areas"), {"framework_key": "uddannelse-og-beskaeftigelse", "code": "5.3"}
    )
    assert again.status_code == 200
    assert "allerede valgt i planen" in again.content.decode()
    assert not plan.focus_areas.filter(code="5.3").exists()


def test_an_existing_focus_area_is_linked_to_the_framework(plan: Plan, client_for: Clients) -> None:
    client = client_for("secretariat")
    fa = plan.focus_areas.get(code="5.1")
    path = _url(plan, "focus_areas")
    page = client.get(path)
    assert _url(plan, "focus_area_framework", code="5.1") in page.content.decode()
    from tests.forms_in_pages import page_forms

    action = _url(plan, "focus_area_framework", code="5.1")
    [(hidden, _buttons)] = [
        (h, b) for h, b in page_forms(page, action) if f"fa{fa.pk}-version" in h
    ]
    response = client.post(
        action, {**hidden, f"fa{fa.pk}-framework_key": "kriminalpraeventiv-indsats"}
    )
    assert response.status_code == 302
    fa.refresh_from_db()
    assert fa.framework_key == "kriminalpraeventiv-indsats"
    # Now chosen: no form for it any more, and the checklist no longer asks.
    assert action not in client.get(path).content.decode()


# --- queries --------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_setup_page_queries_do_not_grow_with_the_plan() -> None:
    counts = []
    for size in (1, 4):
        plan = factories.complete_plan(areas=size, focus_areas=size, criteria=size)
        AreaDepartment.objects.filter(area__plan=plan).delete()  # items in every row
        client = Client()
        client.force_login(factories.persona(plan, "secretariat"))
        counts.append(
            (_queries(client, _url(plan, "overview")), _queries(client, plan.get_absolute_url()))
        )
    assert counts[0] == counts[1]


# --- lost updates -----------------------------------------------------------------------------


def test_two_secretaries_editing_an_area_the_second_is_refused(
    plan: Plan, client_for: Clients
) -> None:
    from tests.editing import form_data

    a, b = client_for("secretariat"), Client()
    b.force_login(factories.PlanMembershipFactory(plan=plan, role="secretariat").user)
    path = _url(plan, "area_edit", area="nord")
    page_a, page_b = a.get(path), b.get(path)
    data_a = {**form_data(page_a), "name": "Nordparken Øst", "priority": "1"}
    assert a.post(path, data_a).status_code == 302
    data_b = {**form_data(page_b), "name": "Nordparken Vest", "priority": "2"}
    refused = b.post(path, data_b)
    assert refused.status_code == 200
    assert "ændret af en anden" in refused.content.decode()
    area = plan.areas.get(slug="nord")
    assert (area.name, area.priority) == ("Nordparken Øst", 1)


def test_the_plan_details_and_a_cvr_number_refuse_a_stale_save(
    plan: Plan, client_for: Clients
) -> None:
    from tests.editing import form_data

    client = client_for("secretariat")
    details = _url(plan, "details")
    opened = client.get(details)
    Plan.objects.filter(pk=plan.pk).update(lbf_case_number="ændret imens")
    refused = client.post(details, {**form_data(opened), "lbf_case_number": "2018-1"})
    assert refused.status_code == 200 and "ændret af en anden" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.lbf_case_number == "ændret imens"

    org = factories.HousingOrganisationFactory()
    plan.housing_organisations.add(org)
    party = _url(plan, "party_edit", pk=org.pk)
    opened = client.get(party)
    HousingOrganisation.objects.filter(pk=org.pk).update(cvr="99887766")
    refused = client.post(party, {**form_data(opened), "cvr": "11223344"})
    assert refused.status_code == 200 and "ændret af en anden" in refused.content.decode()
    org.refresh_from_db()
    assert org.cvr == "99887766"


# --- accessibility and language -----------------------------------------------------------


class _Inputs:
    """Every visible form control of a page, and the ids the page's labels name."""

    def __init__(self, html: str) -> None:
        from html.parser import HTMLParser

        self.controls: list[dict[str, str]] = []
        self.labelled: set[str] = set()
        self.in_label = 0
        outer = self

        class Parser(HTMLParser):
            def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
                a = {k: v or "" for k, v in attrs}
                if tag == "label":
                    outer.in_label += 1
                    if a.get("for"):
                        outer.labelled.add(a["for"])
                elif tag in ("input", "select", "textarea"):
                    kind = a.get("type", "text")
                    if kind not in ("hidden", "submit", "button"):
                        outer.controls.append({**a, "_in_label": str(outer.in_label)})

            def handle_endtag(self, tag: str) -> None:
                if tag == "label":
                    outer.in_label -= 1

        Parser().feed(html)

    def unlabelled(self) -> list[str]:
        return [
            c.get("name", "?")
            for c in self.controls
            if c["_in_label"] == "0" and c.get("id") not in self.labelled
        ]


def test_every_control_of_the_setup_pages_has_a_label(plan: Plan, client_for: Clients) -> None:
    client = client_for("secretariat")
    org = factories.HousingOrganisationFactory()
    plan.housing_organisations.add(org)
    pages = [
        _url(plan, "overview"),
        _url(plan, "details"),
        _url(plan, "parties"),
        _url(plan, "party_edit", pk=org.pk),
        _url(plan, "areas"),
        _url(plan, "area_edit", area="nord"),
        _url(plan, "focus_areas"),
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        inputs = _Inputs(response.content.decode())
        assert inputs.unlabelled() == [], path


def test_the_setup_speaks_english_in_the_english_ui(plan: Plan, client_for: Clients) -> None:
    client = client_for("secretariat")
    client.cookies["django_language"] = "en"
    page = client.get(_url(plan, "overview")).content.decode()
    assert "Setting up the plan" in page
    assert "Landsbyggefonden’s case number is missing." in page
