"""Issue 11's "Done when", as a new user would do it in a real browser.

A staff user creates a plan for another municipality and invites its secretariat by
e-mail; the secretariat sets the plan up through the product's own pages, registers and
approves data, writes agreement version 1 and has Landsbyggefonden (invited the same way)
approve it; then a target is changed through a new agreement version, and the scorecard
follows the old target until LBF approves the new version. No demo: everything the plan
holds is made here through the UI.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = "roskilde"
SECRETARIAT = ("sek@roskilde.dk", "Roskilde-sekretariat-22")
LBF = ("sagsbehandler@lbf.dk", "Fonden-godkender-2022")
INVITATION_LINK = re.compile(r"https?://\S+/invitation/[\w-]+/")


def _log_in(page: Any, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()
    assert "/login/" not in page.url, page.locator("main").inner_text()


def _message(page: Any) -> str:
    return str(page.locator(".messages").inner_text())


def _invitation_link(email: str) -> str:
    """The link in the last e-mail to ``email`` (the live server runs in this process with
    Django's test mail backend, so the mail is in ``mail.outbox``)."""
    sent = [m for m in mail.outbox if email in m.to]
    assert sent, f"no e-mail to {email}"
    match = INVITATION_LINK.search(str(sent[-1].body))
    assert match, sent[-1].body
    return match.group(0)


def _accept(page: Any, link: str, first: str, last: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(link)
    page.get_by_label("Fornavn").fill(first)
    page.get_by_label("Efternavn").fill(last)
    page.get_by_label("Adgangskode", exact=True).fill(password)
    page.get_by_label("Adgangskode igen").fill(password)
    page.get_by_role("button", name="Gem").click()
    assert "Din bruger er oprettet" in _message(page)


def _preview(page: Any, fill: Any, expected: str) -> str:
    """Do ``fill`` in the target form and wait for the live sentence htmx swaps in (earlier
    previews, from the fields filled before, may still be on their way)."""
    fill()
    sentence = page.get_by_test_id("target-sentence")
    expect(sentence).to_contain_text(expected)
    return str(sentence.inner_text())


def _cell(page: Any, base: str, code: str, col: str, year: int) -> str:
    page.goto(f"{base}/planer/{PLAN}/succeskriterier/?aar={year}")
    return str(page.locator(f"[data-code='{code}'] [data-col={col}]").inner_text())


def _new_criterion(page: Any, plan_url: str, m: dict[str, str]) -> None:
    page.goto(f"{plan_url}/succeskriterier/")
    page.get_by_role("link", name="Nyt succeskriterium").click()
    page.get_by_label("Kort titel").fill(m["title"])
    page.get_by_label("Succeskriteriet, som aftalen skriver det").fill(m["text"])
    page.get_by_role("textbox", name="Navn", exact=True).fill(m["measure"])
    page.get_by_label("Værditype").select_option(label=m["kind"])
    page.get_by_label("Enhed").fill(m["unit"])
    page.get_by_label("Datakilde", exact=True).fill(m["source"])
    page.get_by_label("Leveres af").fill(m["owner"])
    page.get_by_label("Hyppighed").select_option(label="Årligt")
    page.get_by_label("Retning").select_option(label=m["direction"])
    page.get_by_label("Første år").fill("2021")
    page.get_by_role("button", name="Opret og tilføj mål").click()
    assert "er oprettet. Tilføj nu dets mål." in _message(page)


def _register(page: Any, plan_url: str, code: str, area: str, year: int, value: str) -> None:
    page.goto(f"{plan_url}/succeskriterier/{code}/")
    page.get_by_role("link", name="Registrér observation").click()
    page.get_by_label("Område").select_option(label=area)
    page.get_by_label("År", exact=True).select_option(str(year))
    page.get_by_label(re.compile(r"^Værdi")).fill(value)
    page.get_by_role("button", name="Gem").click()
    assert "afventer godkendelse" in _message(page)


def test_a_new_plan_from_staff_to_a_changed_target(live_server: Any, page: Any) -> None:
    base = live_server.url
    page.set_default_timeout(10_000)
    plan_url = f"{base}/planer/{PLAN}"
    UserFactory(username="drift", is_staff=True, password="Drift-adgang-2022")

    # 1. Staff creates the plan for another municipality and invites its secretariat.
    _log_in(page, base, "drift", "Drift-adgang-2022")
    page.goto(f"{base}/administration/")
    page.get_by_role("link", name="Ny plan").click()
    page.get_by_label("Planens navn").fill("Helhedsplan for Roskilde")
    page.get_by_label("Kort navn").fill(PLAN)
    page.get_by_label("Ny kommune").fill("Roskilde Kommune")
    page.get_by_label("Bevillingsramme").select_option(label="Landsbyggefondens 2015-18-midler")
    page.get_by_label("Landsbyggefondens sagsnummer").fill("LBF-2022-0042")
    page.get_by_label("Startdato").fill("2022-01-01")
    page.get_by_label("Slutdato").fill("2025-12-31")
    page.get_by_label("Første sekretariatsbrugers e-mailadresse").fill(SECRETARIAT[0])
    page.get_by_role("button", name="Gem").click()
    assert "invitationen er sendt til sek@roskilde.dk" in _message(page)
    main = page.locator("main").inner_text()
    assert "Roskilde Kommune" in main and "LBF-2022-0042" in main
    screenshot(page, "e2e-01-staff-plan-created")

    # 2. The secretariat accepts, logs in and sets the plan up.
    _accept(page, _invitation_link(SECRETARIAT[0]), "Sara", "Sekretær", SECRETARIAT[1])
    _log_in(page, base, *SECRETARIAT)
    page.goto(f"{plan_url}/opsaetning/")
    assert "Planen har ingen boligorganisation." in page.locator("main").inner_text()
    screenshot(page, "e2e-02-setup-empty")
    # Every item of the plan's menu is on the screen (the menu wraps; nothing scrolled away).
    for link in page.locator("nav.mainnav a").all():
        box = link.bounding_box()
        assert box["x"] + box["width"] <= 1280, link.inner_text()

    page.get_by_role("link", name="Parter", exact=True).click()
    page.get_by_label("Navn", exact=True).fill("Boligselskabet Roskilde Syd")
    page.get_by_label("CVR-nummer").fill("12345678")
    page.get_by_role("button", name="Opret").click()
    assert "er tilføjet som part" in _message(page)

    for name, priority, department, residents in (
        ("Æblehaven", "1", "4101", "1450"),
        ("Rønnebærparken", "2", "4102", "980"),
    ):
        page.goto(f"{plan_url}/opsaetning/omraader/")
        page.get_by_label("Navn", exact=True).fill(name)
        page.get_by_label("Prioritet").fill(priority)
        page.get_by_label("Boligselskabet Roskilde Syd").check()
        page.get_by_role("button", name="Opret").click()
        assert f"Boligområdet {name} er oprettet." in _message(page)
        page.get_by_label("Afdelingsnummer").fill(department)
        page.get_by_label("Boligorganisation", exact=True).select_option(
            label="Boligselskabet Roskilde Syd"
        )
        page.get_by_label("Afdelingens navn").fill(f"Afdeling {department}")
        page.get_by_role("button", name="Tilføj afdeling").click()
        page.get_by_label("År", exact=True).fill("2022")
        page.get_by_label("Beboere pr. 1. januar").fill(residents)
        page.get_by_label("Kilde", exact=True).fill("Danmarks Statistik")
        page.get_by_role("button", name="Gem beboertal").click()
        assert "Beboertallet er gemt." in _message(page)
    page.goto(f"{plan_url}/opsaetning/omraader/")
    areas = page.locator("main table").inner_text()
    assert "afd. 4101" in areas and "afd. 4102" in areas and "2022: 1.450" in areas
    screenshot(page, "e2e-03-areas")

    page.goto(f"{plan_url}/opsaetning/indsatsomraader/")
    page.get_by_label("Rammens indsatsområde").select_option(label="Uddannelse og beskæftigelse")
    page.get_by_label("Nummer").fill("5.1")
    page.get_by_label("Formål").fill("Flere unge i uddannelse og job.")
    page.get_by_role("button", name="Opret").click()
    assert "Indsatsområdet 5.1 Uddannelse og beskæftigelse er oprettet." in _message(page)

    # Three criteria with three different kinds of target; the sentence appears live.
    _new_criterion(
        page,
        plan_url,
        {
            "title": "Unge i uddannelse",
            "text": "Andelen af unge 16-24 år i uddannelse skal være mindst 60 %.",
            "measure": "Unge 16-24 år i uddannelse",
            "kind": "Andel i procent",
            "unit": "%",
            "source": "Danmarks Statistik",
            "owner": "Roskilde Kommune",
            "direction": "Højere er bedre",
        },
    )
    page.get_by_role("link", name="Tilføj et mål").click()
    page.get_by_label("Måltype").select_option(label="Tærskel")
    page.get_by_label("Æblehaven").check()
    page.get_by_label("Rønnebærparken").check()
    # Each area's checkbox sits at the left, before its name (not centred above it).
    form_x = page.locator("main form").last.bounding_box()["x"]
    assert page.get_by_label("Æblehaven").bounding_box()["x"] - form_x < 80
    assert page.get_by_label("Gælder det samlede område").bounding_box()["x"] - form_x < 80
    page.get_by_label("Første år").fill("2022")
    page.get_by_label("Sidste år").fill("2025")
    page.get_by_label("Sammenligning").select_option(label="mindst")
    sentence = _preview(page, lambda: page.get_by_label("Målværdi").fill("60"), "mindst 60 %")
    assert sentence == "Værdien skal være mindst 60 % hvert år i 2022-2025"
    screenshot(page, "e2e-04-target-sentence")
    page.get_by_role("button", name="Gem").click()
    assert "Målet er gemt." in _message(page)

    _new_criterion(
        page,
        plan_url,
        {
            "title": "Færre unge ledige",
            "text": "Antallet af ledige unge skal falde med mindst 5 % om året.",
            "measure": "Ledige 16-29 år",
            "kind": "Antal",
            "unit": "borgere",
            "source": "Jobindsats.dk",
            "owner": "Jobcenter Roskilde",
            "direction": "Lavere er bedre",
        },
    )
    page.get_by_role("link", name="Tilføj et mål").click()
    page.get_by_label("Måltype").select_option(label="Fald/stigning fra år til år")
    page.get_by_label("Æblehaven").check()
    page.get_by_label("Første år").fill("2023")
    page.get_by_label("Sidste år").fill("2025")
    page.get_by_label("Nulpunktsår").fill("2022")
    sentence = _preview(page, lambda: page.get_by_label("Ændring pr. år").fill("5"), "5 %")
    assert "mindst 5 % lavere end året før" in sentence, sentence
    page.get_by_role("button", name="Gem").click()
    assert "Målet er gemt." in _message(page)

    _new_criterion(
        page,
        plan_url,
        {
            "title": "Flere i beskæftigelse",
            "text": "Beskæftigelsen blandt 25-64-årige skal stige i forhold til 2021.",
            "measure": "Beskæftigede 25-64 år",
            "kind": "Andel i procent",
            "unit": "%",
            "source": "Danmarks Statistik",
            "owner": "Roskilde Kommune",
            "direction": "Højere er bedre",
        },
    )
    page.get_by_role("link", name="Tilføj et mål").click()
    page.get_by_label("Måltype").select_option(label="Retning i forhold til nulpunkt")
    page.get_by_label("Rønnebærparken").check()
    page.get_by_label("Første år").fill("2022")
    page.get_by_label("Sidste år").fill("2025")
    page.get_by_label("Nulpunktsår").fill("2021")
    sentence = _preview(page, lambda: page.get_by_label("Nulpunkt", exact=True).fill("40"), "40")
    assert "2021" in sentence, sentence
    page.get_by_role("button", name="Gem").click()
    assert "Målet er gemt." in _message(page)

    # One activity supporting the first criterion.
    page.goto(f"{plan_url}/aktiviteter/")
    page.get_by_role("link", name="Ny aktivitet").click()
    page.get_by_label("Navn", exact=True).fill("Uddannelsesvejledning i beboerhuset")
    page.get_by_label("Æblehaven").check()
    page.get_by_label("Sekretariatet (kompetencecentret)").check()
    page.get_by_label("5.1.1 Unge i uddannelse").check()
    page.get_by_role("button", name="Gem").click()
    assert "Uddannelsesvejledning i beboerhuset" in page.locator("main").inner_text()

    # The board and the other bodies from the framework.
    page.goto(f"{plan_url}/organisation/")
    page.goto(f"{plan_url}/organisation/fra-ramme/")
    page.get_by_role("button", name="Opret organer og regler fra rammen").click()
    assert "Bestyrelse" in page.locator("main").inner_text()
    screenshot(page, "e2e-05-organisation")

    # LBF and a coordinator are invited: the setup page links to the invitation form.
    for email, role, area in (
        (LBF[0], "Landsbyggefonden", None),
        ("k@roskilde.dk", "Koordinator", "Æblehaven"),
    ):
        page.goto(f"{plan_url}/opsaetning/")
        page.get_by_role("link", name=f"Ingen bruger har rollen {role}.").click()
        page.get_by_label("E-mailadresse").fill(email)
        page.get_by_label("Rolle").select_option(label=role)
        if area:
            page.get_by_label(area).check()
        page.get_by_role("button", name="Gem").click()
        assert f"Invitationen er sendt til {email}" in _message(page)
    page.goto(f"{plan_url}/opsaetning/")
    users_step = page.locator("[data-step=users]").inner_text()
    assert "Rollen Landsbyggefonden er inviteret (sagsbehandler@lbf.dk)" in users_step
    screenshot(page, "e2e-05b-setup-filled")

    # Data: registered as drafts, approved, then read on the scorecard.
    _register(page, plan_url, "5.1.1", "Æblehaven", 2022, "55")
    _register(page, plan_url, "5.1.1", "Æblehaven", 2024, "55")
    _register(page, plan_url, "5.1.1", "Rønnebærparken", 2022, "65")
    _register(page, plan_url, "5.1.2", "Æblehaven", 2022, "100")
    _register(page, plan_url, "5.1.2", "Æblehaven", 2023, "90")
    _register(page, plan_url, "5.1.3", "Rønnebærparken", 2022, "45")
    page.goto(f"{plan_url}/succeskriterier/godkendelser/")
    for _ in range(6):
        page.get_by_role("button", name="Godkend").first.click()
        page.wait_for_load_state()
    assert page.get_by_role("button", name="Godkend").count() == 0
    assert _cell(page, base, "5.1.1", "aeblehaven", 2022).count("Ikke opfyldt") == 1
    assert "Opfyldt" in _cell(page, base, "5.1.1", "roennebaerparken", 2022)
    assert "Opfyldt" in _cell(page, base, "5.1.3", "roennebaerparken", 2022)
    assert "Opfyldt" in _cell(page, base, "5.1.2", "aeblehaven", 2023)
    _cell(page, base, "5.1.1", "aeblehaven", 2022)
    screenshot(page, "e2e-06-scorecard-2022")

    # 3. Agreement version 1: written section by section, submitted, approved by LBF.
    page.goto(f"{plan_url}/aftale/")
    # A plan without an agreement is offered its first version on the agreement page.
    page.get_by_role("button", name="Opret version 1").click()
    assert "Version 1 er oprettet som kladde." in _message(page)
    section_links = page.locator("main a[href*='/aftale/version/1/afsnit/']")
    hrefs = [section_links.nth(i).get_attribute("href") for i in range(section_links.count())]
    assert len(hrefs) >= 10, hrefs
    for href in hrefs:
        page.goto(f"{base}{href}")
        heading = page.locator("main h1").inner_text()
        page.get_by_label("Tekst").fill(f"Roskildes tekst til {heading}.")
        page.get_by_role("button", name="Gem").click()
        page.wait_for_url(f"{plan_url}/aftale/version/1/")
    page.get_by_role("button", name="Indsend til Landsbyggefonden").click()
    assert "Indsendt" in page.locator("main").inner_text(), _message(page)
    screenshot(page, "e2e-07-version-1-submitted")

    _accept(page, _invitation_link(LBF[0]), "Lone", "Fondsen", LBF[1])
    _log_in(page, base, *LBF)
    _decide(page, plan_url, 1, "2022-01-01")
    # The organisation chart in section 2 fits the document's column.
    document = page.locator("article.document").bounding_box()
    chart = page.locator("article.document figure svg").first.bounding_box()
    assert chart["x"] + chart["width"] <= document["x"] + document["width"] + 1
    screenshot(page, "e2e-08-version-1-approved")

    # The secretariat changes a target: the form asks for a draft version first.
    _log_in(page, base, *SECRETARIAT)
    page.goto(f"{plan_url}/succeskriterier/5.1.1/")
    page.get_by_role("link", name="Ret mål").first.click()
    note = page.get_by_test_id("agreement-change-note")
    note.get_by_label("Hvad skal ændres, og hvorfor?").fill("Målet for unge i uddannelse.")
    note.get_by_role("button", name="Opret kladde til ny version").click()
    expect(page.get_by_test_id("agreement-change-note")).to_contain_text("version 2")
    assert "/maal/" in page.url
    sentence = _preview(page, lambda: page.get_by_label("Målværdi").fill("50"), "mindst 50 %")
    assert sentence.startswith("Værdien skal være mindst 50 %"), sentence
    page.get_by_label("Begrundelse for ændringen").fill(
        "Nulpunktet viste, at 60 % var urealistisk."
    )
    screenshot(page, "e2e-09-target-change")
    page.get_by_role("button", name="Gem").click()
    assert "foreslået i version 2" in _message(page)
    page.goto(f"{plan_url}/aftale/version/2/")
    page.get_by_role("button", name="Indsend til Landsbyggefonden").click()
    assert "Indsendt" in page.locator("main").inner_text(), _message(page)

    # Until LBF approves version 2, the scorecard follows version 1's target (60 %).
    assert "Ikke opfyldt" in _cell(page, base, "5.1.1", "aeblehaven", 2024)
    screenshot(page, "e2e-10-scorecard-before-approval")

    _log_in(page, base, *LBF)
    _decide(page, plan_url, 2, "2024-01-01")

    _log_in(page, base, *SECRETARIAT)
    # Version 2 is in force from 2024: 2024 is judged by 50 %, 2022 keeps the old 60 %.
    cell = _cell(page, base, "5.1.1", "aeblehaven", 2024)
    assert "Opfyldt" in cell and "Ikke opfyldt" not in cell, cell
    assert "Ikke opfyldt" in _cell(page, base, "5.1.1", "aeblehaven", 2022)
    screenshot(page, "e2e-11-scorecard-after-approval")
    page.goto(f"{plan_url}/succeskriterier/5.1.1/")
    history = page.locator("section, div").filter(
        has=page.get_by_role("heading", name="Målenes historik efter aftaleversion")
    )
    rows = history.last.locator("tbody tr")
    assert rows.count() == 2
    new, old = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert "mindst 50 %" in new and "Version 2, fra 1. januar 2024" in new and "Gælder" in new
    assert "60 % var urealistisk" in new
    assert "mindst 60 %" in old and "Afløst" in old
    assert page.get_by_test_id("reasons").inner_text().count("60 % var urealistisk") == 1
    assert "Danmarks Statistik" in page.locator("dl.facts").inner_text()
    screenshot(page, "e2e-12-target-history")


def _decide(page: Any, plan_url: str, number: int, in_force_from: str) -> None:
    page.goto(f"{plan_url}/aftale/")
    page.get_by_role("link", name=f"Version {number}").first.click()
    page.get_by_label("Godkend").check()
    page.fill("input[name=in_force_from]", in_force_from)
    page.get_by_role("button", name="Registrér afgørelse").click()
    assert "Afgørelsen er registreret." in _message(page)
