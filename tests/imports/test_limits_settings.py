"""Import limits are read in one place: settings.py reads the environment, and the
imports app reads only Django's settings."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import override_settings

from walkwell.web.imports import conf

SHOW_LIMITS = (
    "import django; django.setup();"
    "from walkwell.web.imports import conf;"
    "limits = conf.import_limits();"
    "print(limits.max_xml_depth, limits.max_compression_ratio, conf.upload_max_files())"
)


def test_an_environment_variable_reaches_the_importers_through_settings(
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "walkwell.web.settings",
        "WALKWELL_HOME": str(tmp_path),
        "WALKWELL_IMPORT_MAX_XML_DEPTH": "12",
        "WALKWELL_IMPORT_MAX_COMPRESSION_RATIO": "50",
        "WALKWELL_UPLOAD_MAX_FILES": "3",
    }
    shown = subprocess.run(
        [sys.executable, "-c", SHOW_LIMITS],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.split() == ["12", "50.0", "3"]


@pytest.mark.parametrize(
    ("name", "value", "read"),
    [
        (
            "WALKWELL_IMPORT_MAX_MEMBER_BYTES",
            1024,
            lambda: conf.import_limits().max_member_bytes,
        ),
        ("WALKWELL_UPLOAD_MAX_BYTES", 2048, conf.upload_max_bytes),
    ],
)
def test_a_limit_changed_in_settings_is_the_one_used(
    name: str, value: int, read: Callable[[], int]
) -> None:
    with override_settings(**{name: value}):
        assert read() == value


def test_the_imports_app_reads_no_environment_variable() -> None:
    source = Path(conf.__file__).read_text(encoding="utf-8")
    assert "os.environ" not in source
    assert "getenv" not in source
