"""Preferences, moved here from the pages app.

The table ``pages_preferences`` already holds every person's preferences, so this
only tells Django's state that accounts owns the model now: no table is created,
renamed or copied, and every row stays as it was.
"""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import walkwell.web.accounts.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("pages", "0002_preferences_move_to_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Preferences",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("distance_unit", models.CharField(choices=[("km", "Kilometres"), ("mi", "Miles")], default="km", max_length=2)),
                        ("weight_unit", models.CharField(choices=[("kg", "Kilograms"), ("lb", "Pounds")], default="kg", max_length=2)),
                        ("first_walk_time", models.TimeField(default=datetime.time(8, 0))),
                        ("second_walk_time", models.TimeField(default=datetime.time(13, 0))),
                        ("checkin_time", models.TimeField(default=datetime.time(7, 30))),
                        ("habit_slots", models.JSONField(blank=True, default=list)),
                        ("calendar_token", models.CharField(default=walkwell.web.accounts.models.new_calendar_token, max_length=64, unique=True)),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="preferences", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "pages_preferences"},
                )
            ],
            database_operations=[],
        )
    ]
