"""Moving Preferences from the pages app to accounts keeps every stored row.

The migrations are run for real, on whichever database the suite runs on (SQLite,
and PostgreSQL when DATABASE_URL names it): back to before the move, a row stored
with the old app's model, then forward again.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from walkwell.web.accounts.models import Preferences

BEFORE: list[tuple[str, str | None]] = [("pages", "0001_initial"), ("accounts", None)]
OLD_STATE = [("pages", "0001_initial")]


def _migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest() -> list[tuple[str, str | None]]:
    return list(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_preferences_stored_before_the_move_are_read_by_accounts_after_it() -> None:
    old_apps = _migrate(BEFORE).loader.project_state(OLD_STATE).apps
    user = old_apps.get_model("auth", "User").objects.create(username="alice")
    old_apps.get_model("pages", "Preferences").objects.create(
        user_id=user.pk,
        distance_unit="mi",
        checkin_time=dt.time(6, 45),
        habit_slots=["stairs"],
        calendar_token="alice-feed",  # noqa: S106 - a made-up address
    )

    _migrate(_latest())

    moved = Preferences.objects.get(user_id=user.pk)
    assert (moved.distance_unit, moved.checkin_time) == ("mi", dt.time(6, 45))
    assert (moved.habit_slots, moved.calendar_token) == (["stairs"], "alice-feed")


@pytest.mark.django_db(transaction=True)
def test_going_back_before_the_move_keeps_the_rows_too() -> None:
    user = User.objects.create(username="bob")
    Preferences.objects.create(user=user, weight_unit="lb")

    old_apps = _migrate(BEFORE).loader.project_state(OLD_STATE).apps
    old = old_apps.get_model("pages", "Preferences").objects.get(user_id=user.pk)
    assert old.weight_unit == "lb"

    _migrate(_latest())
    assert Preferences.objects.get(user_id=user.pk).weight_unit == "lb"
