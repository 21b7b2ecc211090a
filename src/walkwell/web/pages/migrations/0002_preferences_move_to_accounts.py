"""Preferences moved to the accounts app: pages forgets the model, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Preferences")],
            database_operations=[],
        )
    ]
