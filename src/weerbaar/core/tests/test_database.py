import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_it_runs_on_the_database_the_leg_asked_for() -> None:
    expected = os.environ.get("WEERBAAR_EXPECT_DB_VENDOR")
    if os.environ.get("CI") == "true":
        assert expected, "Under CI every test leg names its database vendor."
    if expected:
        assert connection.vendor == expected
    print(f"database vendor: {connection.vendor}")
