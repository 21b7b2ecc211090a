"""The documentation names every identifier a person or operator can type."""

from __future__ import annotations

from pathlib import Path

from walkwell.core.model import Decision
from walkwell.core.protocol import available_protocols, load_protocol

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_red_flag_and_warning_sign_identifier_is_documented() -> None:
    text = (DOCS / "safety.md").read_text(encoding="utf-8")
    for name in available_protocols():
        protocol = load_protocol(name)
        for sign in (*protocol.red_flag_ids, *protocol.warning_sign_ids):
            assert f"`{sign}`" in text, f"{sign} is missing from docs/safety.md"


def test_every_decision_is_explained_in_the_program_guide() -> None:
    text = (DOCS / "program.md").read_text(encoding="utf-8")
    missing = [d.value for d in Decision if f"`{d.value}`" not in text]
    assert missing == []
