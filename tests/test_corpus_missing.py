"""A missing real-device corpus is said plainly: a skip naming the folder on a
laptop, a failure naming it in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

A_CORPUS_TEST = (
    "tests/importers/test_tcx.py::test_a_running_tcx_keeps_its_sport_and_every_point"
)
ROOT = Path(__file__).resolve().parents[1]


def _pytest(tmp_path: Path, **flags: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CI", "WALKWELL_CI", "PYTEST_ADDOPTS"}
    }
    env |= {
        "WALKWELL_CORPUS": str(tmp_path / "no-corpus-here"),
        "WALKWELL_HOME": str(tmp_path / "home"),
        **flags,
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-rs",
            A_CORPUS_TEST,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_the_corpus_in_ci_the_corpus_tests_fail_naming_the_folder(
    tmp_path: Path,
) -> None:
    run = _pytest(tmp_path, CI="true")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 error" in run.stdout  # the fixture fails: pytest calls it an error
    expected = f"the real-device corpus is missing: expected a folder at {tmp_path}"
    assert expected in run.stdout


def test_the_ci_script_flag_also_makes_a_missing_corpus_a_failure(
    tmp_path: Path,
) -> None:
    run = _pytest(tmp_path, WALKWELL_CI="1")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "corpus is missing" in run.stdout


def test_without_the_corpus_on_a_laptop_the_corpus_tests_skip_naming_the_folder(
    tmp_path: Path,
) -> None:
    run = _pytest(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 skipped" in run.stdout
    assert f"corpus is missing: expected a folder at {tmp_path}" in run.stdout


def test_ci_false_is_not_ci(tmp_path: Path) -> None:
    run = _pytest(tmp_path, CI="false")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 skipped" in run.stdout
