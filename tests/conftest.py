"""Shared fixtures: the path to the shared real-device corpus.

The corpus lives beside the repository (``../shared/corpus``; ``WALKWELL_CORPUS``
points elsewhere). Without it the corpus tests skip with the path they looked at,
except in CI (``CI`` or ``WALKWELL_CI`` set), where a missing corpus is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"


def corpus_path() -> Path:
    found = os.environ.get("WALKWELL_CORPUS")
    return Path(found) if found else CORPUS


def in_ci() -> bool:
    flag = os.environ.get("CI", "").strip().lower()
    return flag not in {"", "0", "false", "no"} or bool(os.environ.get("WALKWELL_CI"))


@pytest.fixture
def corpus() -> Path:
    """The real-device corpus: a skip naming the path when absent, a failure in CI."""
    path = corpus_path()
    if not path.is_dir():
        message = (
            f"the real-device corpus is missing: expected a folder at {path} "
            "(../shared/corpus beside the repository, or set WALKWELL_CORPUS)"
        )
        if in_ci():
            pytest.fail(message + "; CI runs every corpus test", pytrace=False)
        pytest.skip(message)
    return path
