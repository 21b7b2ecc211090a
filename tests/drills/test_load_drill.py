"""A short load drill (``benchmarks/load_drill.py``; the 50-client, 60-second run
is in docs/performance.md): ten people at once against ``walkwell serve
--workers 2``, reading pages and the API, logging walks, checking in and
uploading a walk."""

from __future__ import annotations

from benchmarks.load_drill import load


def test_ten_clients_at_once_get_no_errors_and_the_database_holds_exactly_their_writes(
    database: str,
) -> None:
    figures = load(10, 5.0, database, workers=2)
    assert figures["errors"] == 0, figures["error_examples"]
    assert figures["mismatches"] == []
    assert figures["requests"] >= 10 * 4  # a sign-in and at least three steps each
    assert figures["writes_acknowledged"] >= 1
