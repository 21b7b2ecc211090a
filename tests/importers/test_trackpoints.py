"""The batched XML release behaves like the plain one."""

from __future__ import annotations

from lxml import etree

from walkwell.importers import xmlsafe


def test_sweeper_drops_finished_siblings_in_batches() -> None:
    root = etree.fromstring(b"<a>" + b"<p><x>1</x></p>" * 10 + b"</a>")
    sweeper = xmlsafe.Sweeper(batch=4)
    for point in list(root):
        sweeper.sweep(point)
        assert len(point) == 0
    # the 4th point drops the three before it, the 8th the four before it
    assert len(root) == 10 - 3 - 4
