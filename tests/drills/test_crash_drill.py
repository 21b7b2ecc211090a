"""A short crash drill (``benchmarks/crash_drill.py``; the long one, 30 kills of
each kind, is documented in docs/security.md): ``walkwell import`` of real device
files and ``walkwell serve`` under a writing client, killed with SIGKILL."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.crash_drill import drill, failures

pytestmark = pytest.mark.corpus


def test_killed_imports_and_servers_leave_whole_records_and_complete_on_rerun(
    corpus: Path, database: str
) -> None:
    figures = drill(2, database, seed=12, kinds=("corpus", "server"))
    assert failures(figures) == []
    assert figures["corpus"]["kills"] >= 1  # type: ignore[index]
    assert figures["server"]["kills"] == 2  # type: ignore[index]
