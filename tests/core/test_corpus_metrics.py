"""Every corpus file measures as it did before metrics became a streaming pass.

``corpus_metrics.json`` was recorded from the point-list implementation of
``core.metrics`` (every ``WalkMetrics`` field of every activity, and the reason of
every skipped or refused file). The one intended change since: a track with no
moving time is not a walk.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from walkwell.core.metrics import measure
from walkwell.importers.base import Activity
from walkwell.importers.dispatch import iter_path

RECORDED = Path(__file__).with_name("corpus_metrics.json")
#: Recorded as a walk of 0 s moving; now refused as a walk with a reason.
NO_MOVING_TIME = "fit/20170518-191602-1740899583.fit"


def _plain(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _rows(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for item in iter_path(path):
        if isinstance(item, Activity):
            row: dict[str, Any] = {
                "kind": "activity",
                "member": item.member,
                "sport": item.track.sport,
            }
            if item.track.points:
                metrics = measure(item.track)
                row |= {
                    key: _plain(value)
                    for key, value in dataclasses.asdict(metrics).items()
                }
            rows.append(row)
        else:
            rows.append(
                {
                    "kind": type(item).__name__,
                    "member": item.member,
                    "reason": getattr(item, "reason", None),
                }
            )
    return rows


def _recorded() -> dict[str, list[dict[str, Any]]]:
    data: dict[str, list[dict[str, Any]]] = json.loads(RECORDED.read_text())
    return data


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(_recorded()))
def test_corpus_file_measures_as_recorded(corpus: Path, name: str) -> None:
    expected = _recorded()[name]
    got = _rows(corpus / name)
    if name == NO_MOVING_TIME:
        assert got[0].pop("is_walk") is False
        assert "no moving time" in got[0].pop("not_walk_reason")
        assert expected[0].pop("is_walk") is True
        expected[0].pop("not_walk_reason")
    assert got == expected
