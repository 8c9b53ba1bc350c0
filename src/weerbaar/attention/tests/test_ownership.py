"""A departing member's activities and open communication moments go to whoever takes over, audited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from weerbaar.attention.models import CommunicationItem, RecurringActivity
from weerbaar.attention.services import ownership
from weerbaar.attention.tests.support import days, make_activity, make_item
from weerbaar.core.services import ownership as core_ownership
from weerbaar.core.services.members import membership_deactivate
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import events
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered() -> Iterator[None]:
    keys = (ownership.ACTIVITIES.key, ownership.COMMUNICATION.key)
    before = {key: core_ownership._providers.get(key) for key in keys}
    ownership.register_attention_ownership()
    yield
    for key, provider in before.items():
        if provider is None:
            core_ownership._providers.pop(key, None)
        else:
            core_ownership._providers[key] = provider


def test_deactivating_an_owner_asks_who_takes_over_and_moves_activities_and_open_moments(
    world: World, registered: None
) -> None:
    leaving, successor = world.a.members["medewerker"], world.a.members["proceseigenaar"]
    activity = make_activity(world.a, owner=leaving)
    open_item = make_item(world.a, "Open bericht", owner=leaving, planned_on=days(5))
    done_item = make_item(world.a, "Gedaan bericht", owner=leaving, planned_on=days(-5), done_on=days(-5))
    with tenant_scope(world.a.organisation):
        assert core_ownership.owned_by(leaving) == ["1 terugkerende activiteit", "1 communicatiemoment"]
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError, match="Kies eerst wie dat overneemt"):
            membership_deactivate(actor=world.a.user("beheerder"), membership=leaving, version=leaving.version)
        membership_deactivate(
            actor=world.a.user("beheerder"), membership=leaving, version=leaving.version, new_owner=successor
        )
        assert RecurringActivity.objects.get(pk=activity.pk).owner == successor
        assert CommunicationItem.objects.get(pk=open_item.pk).owner == successor
        assert CommunicationItem.objects.get(pk=done_item.pk).owner == leaving  # history stays
    assert len(events(world.a.organisation, "attention.activity.update")) == 1
    assert len(events(world.a.organisation, "attention.communication.update")) == 1
