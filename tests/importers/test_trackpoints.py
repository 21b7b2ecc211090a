"""The fast TrackPoint constructor and the batched XML release behave like the plain ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import FrozenInstanceError

import pytest
from lxml import etree

from walkwell.core.model import TrackPoint
from walkwell.importers import xmlsafe
from walkwell.importers.trackpoints import new_point


def test_new_point_equals_the_dataclass_constructor() -> None:
    time = dt.datetime(2024, 5, 4, 8, 0, tzinfo=dt.UTC)
    args = (time, 45.0, 14.0, 300.5, 12.0, 1.3, 110.0, 112)
    fast, plain = new_point(*args), TrackPoint(*args)
    assert fast == plain
    assert hash(fast) == hash(plain)
    assert repr(fast) == repr(plain)
    with pytest.raises(FrozenInstanceError):
        fast.lat = 0.0  # type: ignore[misc]


def test_sweeper_drops_finished_siblings_in_batches() -> None:
    root = etree.fromstring(b"<a>" + b"<p><x>1</x></p>" * 10 + b"</a>")
    sweeper = xmlsafe.Sweeper(batch=4)
    for point in list(root):
        sweeper.sweep(point)
        assert len(point) == 0
    # the 4th point drops the three before it, the 8th the four before it
    assert len(root) == 10 - 3 - 4
