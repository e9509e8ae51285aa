"""The installation's staff pages (/administration/): every plan, a new plan with its first
secretariat user's invitation, every user (search, deactivate, reactivate, invite).
Staff (``is_staff``) only: others get 403, anonymous the login. Factory plans."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helhedsplan.accounts.models import Invitation, Membership, Role, User
from helhedsplan.audit.models import AuditEntry
from helhedsplan.plans.models import Municipality, Plan
from tests import factories

pytestmark = pytest.mark.django_db

STAFF_GETS = [
    "accounts:staff_home",
    "accounts:staff_plan_create",
    "accounts:staff_users",
    "accounts:staff_user_invite",
    # LBF's indicator catalogue (tests/measurements/test_catalogue.py)
    "measurements_staff:indicators",
    "measurements_staff:indicator_create",
    "national:staff_overview",
]


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(factories.UserFactory(username="admin", is_staff=True))
    return client


def _new_plan(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Helhedsplan Nordby",
        "slug": "nordby",
        "municipality": "",
        "new_municipality": "Nordby Kommune",
        "framework": "2015-18",
        "lbf_case_number": "2019-123",
        "start_date": "2020-01-01",
        "end_date": "2023-12-31",
        "secretariat_email": "sekretariat@nordby.dk",
        "language": "da",
        **overrides,
    }


def _counts() -> tuple[int, int, int, int]:
    return (
        Plan.objects.count(),
        Municipality.objects.count(),
        Invitation.objects.count(),
        Membership.objects.count(),
    )


def test_staff_lists_every_plan_with_a_new_plan_button(staff: Client, other_plan: Plan) -> None:
    factories.PlanFactory(name="Første plan")
    page = staff.get(reverse("accounts:staff_home")).content.decode()
    assert "Første plan" in page and "Anden plan" in page and "Anden Kommune" in page
    assert reverse("accounts:staff_plan_create") in page
    assert "2015-18" in page  # the framework


def test_staff_creates_a_plan_and_invites_its_secretariat(staff: Client) -> None:
    response = staff.post(reverse("accounts:staff_plan_create"), _new_plan())
    assert response.status_code == 302
    plan = Plan.objects.get(slug="nordby")
    assert (plan.framework, plan.lbf_case_number) == ("2015-18", "2019-123")
    assert plan.municipality.name == "Nordby Kommune" and plan.status == Plan.Status.DRAFT
    invitation = Invitation.objects.get(plan=plan)
    assert (invitation.email, invitation.role) == ("sekretariat@nordby.dk", Role.SECRETARIAT)
    assert invitation.invited_by == User.objects.get(username="admin")
    assert mail.outbox[0].to == ["sekretariat@nordby.dk"]
    page = staff.get(response["Location"]).content.decode()
    assert "Helhedsplan Nordby" in page and "sekretariat@nordby.dk" in page
    # The staff user holds no role on the plan: its plan pages stay closed (404).
    assert staff.get(plan.get_absolute_url()).status_code == 404


def test_an_existing_municipality_is_chosen_or_reused_by_name(staff: Client) -> None:
    existing = factories.MunicipalityFactory(name="Sydby Kommune")
    staff.post(
        reverse("accounts:staff_plan_create"),
        _new_plan(slug="a", municipality=existing.pk, new_municipality=""),
    )
    staff.post(
        reverse("accounts:staff_plan_create"),
        _new_plan(slug="b", secretariat_email="b@sydby.dk", new_municipality="sydby kommune"),
    )
    made = Plan.objects.filter(slug__in=["a", "b"])  # the demo may be loaded beside them
    assert set(made.values_list("municipality__name", flat=True)) == {"Sydby Kommune"}


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"end_date": "2019-12-31"}, "end_date", "Slutdatoen skal ligge efter startdatoen"),
        ({"framework": "2030-33"}, "framework", "2030-33"),
        ({"slug": "anden"}, "slug", "Der findes allerede en plan"),
        ({"secretariat_email": "ikke-en-adresse"}, "secretariat_email", "e-mail"),
        ({"new_municipality": ""}, "new_municipality", "Vælg en kommune"),
    ],
)
def test_bad_input_for_a_new_plan_writes_nothing(
    staff: Client, other_plan: Plan, overrides: dict[str, str], field: str, words: str
) -> None:
    before = _counts()
    response = staff.post(reverse("accounts:staff_plan_create"), _new_plan(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert words in response.content.decode()
    assert _counts() == before and mail.outbox == []


def test_the_service_refuses_what_the_form_would_let_through(other_plan: Plan) -> None:
    """The service checks on its own (the CLI and the setup call it without the form)."""
    from datetime import date

    from django.core.exceptions import ValidationError

    from helhedsplan.accounts.services import plan_create_with_invitation
    from tests.errors import codes

    base: dict[str, Any] = dict(
        name="X",
        slug="x",
        municipality=None,
        new_municipality="X Kommune",
        framework="2015-18",
        start_date=date(2020, 1, 1),
        end_date=date(2023, 12, 31),
        secretariat_email="x@x.dk",
        invited_by=None,
    )
    cases: list[tuple[dict[str, Any], str]] = [
        ({"end_date": date(2019, 1, 1)}, "end_before_start"),
        ({"framework": "1999-00"}, "unknown_framework"),
        ({"slug": "anden"}, "unique"),
        ({"secretariat_email": "x"}, "invalid_email"),
        ({"new_municipality": " "}, "municipality_required"),
    ]
    before = _counts()
    for overrides, code in cases:
        with pytest.raises(ValidationError) as exc:
            plan_create_with_invitation(**{**base, **overrides})
        assert code in codes(exc.value), (overrides, codes(exc.value))
    assert _counts() == before and mail.outbox == []


def test_staff_users_lists_roles_across_plans_and_searches(staff: Client, other_plan: Plan) -> None:
    plan = factories.small_plan(name="Fabriksplan", slug="fabrik")
    factories.persona(plan, "coordinator")
    page = staff.get(reverse("accounts:staff_users")).content.decode()
    assert "andenbruger" in page and "fabrik-coordinator" in page
    assert "Koordinator" in page and "Nordparken" in page
    found = staff.get(reverse("accounts:staff_users"), {"q": "Anden plan"}).content.decode()
    assert "andenbruger" in found and "fabrik-coordinator" not in found


def test_the_staff_users_page_takes_the_same_queries_however_many(
    staff: Client, other_plan: Plan
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert staff.get(reverse("accounts:staff_users")).status_code == 200
        return len(ctx.captured_queries)

    plan = factories.small_plan()
    factories.persona(plan, "coordinator")
    few = count()
    for role in ("board", "municipal", "lbf"):
        factories.persona(plan, role)
        factories.persona(factories.small_plan(), "coordinator")
    assert count() == few


def test_a_deactivated_user_cannot_log_in_and_their_data_stays(
    staff: Client, other_plan: Plan
) -> None:
    user = factories.UserFactory(username="maren", password="et-godt-kodeord")
    factories.PlanMembershipFactory(user=user, plan=other_plan, role=Role.BOARD)
    assert Client().login(username="maren", password="et-godt-kodeord")
    logged_in = Client()
    logged_in.force_login(user)
    response = staff.post(reverse("accounts:staff_user_deactivate", args=[user.pk]))
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert not Client().login(username="maren", password="et-godt-kodeord")
    login = Client().post(reverse("login"), {"username": "maren", "password": "et-godt-kodeord"})
    assert login.status_code == 200  # the form again, not a redirect
    # A session opened before is no longer a login.
    assert logged_in.get(other_plan.get_absolute_url()).status_code == 302
    assert user.memberships.count() == 1  # roles (and registrations) stay
    entry = AuditEntry.objects.get(event="user.deactivated")
    assert entry.actor == User.objects.get(username="admin") and entry.object_pk == str(user.pk)
    staff.post(reverse("accounts:staff_user_reactivate", args=[user.pk]))
    assert Client().login(username="maren", password="et-godt-kodeord")
    assert AuditEntry.objects.filter(event="user.reactivated").count() == 1


def test_staff_cannot_deactivate_themselves(staff: Client) -> None:
    admin = User.objects.get(username="admin")
    response = staff.post(reverse("accounts:staff_user_deactivate", args=[admin.pk]), follow=True)
    assert "Du kan ikke deaktivere dig selv" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_staff_invites_to_any_plan_with_any_role(staff: Client, other_plan: Plan) -> None:
    area = factories.HousingAreaFactory(plan=other_plan)
    url = reverse("accounts:staff_user_invite")
    assert str(other_plan.pk) in staff.get(url, {"plan": other_plan.pk}).content.decode()
    data = {"plan": other_plan.pk, "email": "k@anden.dk", "role": "coordinator", "language": "en"}
    response = staff.post(url, {**data, "areas": [area.pk]})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.plan, list(invitation.areas.all())) == (other_plan, [area])
    assert "Invitation to Anden plan" in mail.outbox[0].subject
    # An area of another plan is refused.
    foreign = factories.HousingAreaFactory()
    response = staff.post(url, {**data, "email": "j@anden.dk", "areas": [foreign.pk]})
    assert response.status_code == 200 and "hører ikke til planen" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_staff_revokes_and_resends_on_the_plan_page(staff: Client, other_plan: Plan) -> None:
    invitation = factories.InvitationFactory(plan=other_plan)
    staff.post(reverse("accounts:staff_invitation_resend", args=[invitation.pk]))
    assert len(mail.outbox) == 1
    staff.post(reverse("accounts:staff_invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.state == "revoked"


def test_staff_take_a_role_on_any_plan_but_not_the_last_secretariat(
    staff: Client, other_plan: Plan
) -> None:
    board = factories.PlanMembershipFactory(plan=other_plan, role=Role.BOARD)
    staff.post(reverse("accounts:staff_membership_remove", args=[board.pk]))
    assert not Membership.objects.filter(pk=board.pk).exists()
    last = other_plan.memberships.get()
    response = staff.post(reverse("accounts:staff_membership_remove", args=[last.pk]), follow=True)
    assert "den sidste sekretariatsrolle kan ikke fjernes" in response.content.decode()
    assert Membership.objects.filter(pk=last.pk).exists()


@pytest.mark.parametrize("name", STAFF_GETS)
def test_non_staff_get_403_and_anonymous_the_login(name: str, other_plan: Plan) -> None:
    secretariat = Client()
    secretariat.force_login(other_plan.memberships.get().user)
    assert secretariat.get(reverse(name)).status_code == 403
    response = Client().get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_non_staff_cannot_post_to_the_staff_pages(other_plan: Plan) -> None:
    user = other_plan.memberships.get().user
    client = Client()
    client.force_login(user)
    before = _counts()
    assert client.post(reverse("accounts:staff_plan_create"), _new_plan()).status_code == 403
    target = factories.UserFactory()
    assert (
        client.post(reverse("accounts:staff_user_deactivate", args=[target.pk])).status_code == 403
    )
    target.refresh_from_db()
    assert target.is_active and _counts() == before


def test_staff_sees_the_administration_link(staff: Client, other_plan: Plan) -> None:
    link = reverse("accounts:staff_home")
    assert link in staff.get(reverse("accounts:staff_users")).content.decode()
    secretariat = Client()
    secretariat.force_login(other_plan.memberships.get().user)
    assert link not in secretariat.get(other_plan.get_absolute_url()).content.decode()


def test_no_page_of_the_daily_work_links_to_djangos_admin() -> None:
    """Users, roles, plans: all in the product's own pages (the admin stays for emergencies)."""
    from pathlib import Path

    import helhedsplan

    root = Path(helhedsplan.__file__).parent / "templates"
    found = [
        str(p.relative_to(root))
        for p in root.rglob("*.html")
        if "/admin/" in p.read_text(encoding="utf-8") or "admin:" in p.read_text(encoding="utf-8")
    ]
    assert found == []


def _staff_patterns() -> list[tuple[str, str, bool]]:
    """(URL name, route, behind staff_view) of every URL of the URLconf."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver: URLResolver, prefix: str, ns: str) -> list[tuple[str, str, bool]]:
        found = []
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                inner = f"{ns}{p.namespace}:" if p.namespace else ns
                found += walk(p, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern) and p.name:
                staff_only = getattr(p.callback, "staff_only", False)
                found.append((ns + p.name, prefix + str(p.pattern), staff_only))
        return found

    return walk(get_resolver(), "", "")


def test_every_administration_url_is_a_staff_page_in_the_matrix(
    staff: Client, other_plan: Plan
) -> None:
    """Every URL under /administration/ is behind ``staff_view`` and a row of the matrix's
    GLOBAL_URLS (403 to a role on a plan); staff GETs each (405 where it takes POST only)."""
    from tests.accounts.test_permission_matrix import GLOBAL_URL_KWARGS, GLOBAL_URLS

    invitation = factories.InvitationFactory(plan=other_plan)
    # Closed, so the reopen page has something to reopen (an open plan answers 404 there).
    Plan.objects.filter(pk=other_plan.pk).update(closed_at=timezone.now(), status="closed")
    objects: dict[str, Any] = {"slug": other_plan.slug, "pk": invitation.pk}
    patterns = [(n, r, s) for n, r, s in _staff_patterns() if r.startswith("administration/")]
    assert len(patterns) >= 10
    for name, route, staff_only in patterns:
        assert staff_only, f"{name} ({route}) is not behind staff_view"
        assert GLOBAL_URLS.get(name) == 403, f"{name} has no 403 row in GLOBAL_URLS"
        kwargs = {k: objects[k] for k in GLOBAL_URL_KWARGS.get(name, {})}
        if name in ("measurements_staff:indicator_edit", "measurements_staff:indicator_delete"):
            # An indicator of the catalogue (its pk is not the invitation's on PostgreSQL).
            kwargs["pk"] = factories.IndicatorFactory(code="staff_matrix").pk
        response = staff.get(reverse(name, kwargs=kwargs))
        assert response.status_code in (200, 405), (name, response.status_code)
