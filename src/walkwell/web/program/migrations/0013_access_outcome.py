from django.db import migrations, models


class Migration(migrations.Migration):
    """What came of each access: a read, or an action done, refused, repeated or
    not carried out. Rows written before hold "": their outcome was not kept."""

    dependencies = [
        ("program", "0012_clinician_writes_idempotency_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslog",
            name="outcome",
            field=models.CharField(
                choices=[
                    ("read", "yes"),
                    ("not_done", "yes, but not carried out"),
                    ("done", "yes, and done"),
                    ("refused", "yes, but not carried out: the request was refused"),
                    ("repeat", "yes, sent again: done once, not twice"),
                ],
                default="",
                max_length=12,
            ),
            preserve_default=False,
        ),
    ]
