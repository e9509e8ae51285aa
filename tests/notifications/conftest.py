"""Fixtures for the reminders and notifications: users with addresses, a fake due-list source."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from helhedsplan.accounts.access import PlanAccess
from helhedsplan.duties import lists
from helhedsplan.duties.items import DueItem


@pytest.fixture
def fake_source(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """fake_source(due_from, deadline, roles=...) registers a source (as the "due" helper's
    sources register) that gives one item per plan to users holding one of ``roles``."""

    def register(
        due_from: date = date(2019, 1, 1),
        deadline: date = date(2019, 6, 30),
        roles: frozenset[str] = frozenset({"secretariat"}),
    ) -> None:
        def source(access: PlanAccess, today: date) -> list[DueItem]:
            if not {str(role) for role in access.roles} & roles:
                return []
            return [
                DueItem(
                    key=f"fake:{access.plan.pk}",
                    kind="fake",
                    title=f"Indberet tal for {access.plan.name}",
                    url=f"/planer/{access.plan.slug}/",
                    due_from=due_from,
                    deadline=deadline,
                )
            ]

        monkeypatch.setitem(lists.SOURCES, "fake", source)

    return register


@pytest.fixture
def only_fake(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake source alone (the real ones left out), for tests about one item's life."""
    monkeypatch.setattr(lists, "SOURCES", {})


@pytest.fixture
def _only_these_tests_users() -> None:
    """The demo may be loaded in this worker's database: its users (with addresses) are not
    these tests' users, so their digests are off for the test (rolled back after it)."""
    from helhedsplan.accounts.models import User

    User.objects.update(email_reminders=False)


@pytest.fixture
def only_meetings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real source of § 6's required meetings alone (the other due-list sources left
    out), for the tests that follow that one source through the digest."""
    monkeypatch.setattr(lists, "SOURCES", {"meeting": lists.SOURCES["meeting"]})
