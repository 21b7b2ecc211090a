from typing import Any

from django.db import migrations
from django.db.models import Case, IntegerField, Value, When

# The attention reasons in order, as this migration leaves them: "overdoing" came
# in after "measures_worse", so the ranks after it, and the rank of "nothing to
# look at", moved one on. Written out here: a migration never reads code that
# may change after it.
BEFORE = (
    "urgent_red_flag",
    "warning_sign",
    "pause_reassess",
    "flare",
    "measures_worse",
    "adherence_falling",
    "no_data",
    "measures_due",
)
AFTER = (*BEFORE[:5], "overdoing", *BEFORE[5:])


def _rerank(reasons: tuple[str, ...], apps: Any) -> None:
    review = apps.get_model("program", "PersonReview")
    nothing = len(reasons) + 1  # selectors_attention.NOTHING: no reason
    review.objects.update(
        rank=Case(
            *(When(reason=code, then=Value(i)) for i, code in enumerate(reasons)),
            # a stored "overdoing" taken back: it ranks where it was inserted
            When(reason="overdoing", then=Value(len(BEFORE[:5]))),
            default=Value(nothing),
            output_field=IntegerField(),
        )
    )


def forwards(apps: Any, schema_editor: Any) -> None:
    _rerank(AFTER, apps)


def backwards(apps: Any, schema_editor: Any) -> None:
    _rerank(BEFORE, apps)


class Migration(migrations.Migration):
    """Stored reviews keep their reasons; their ranks follow the new order, so a
    review stored before "overdoing" sorts where a new one would."""

    dependencies = [
        ("program", "0013_access_outcome"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
