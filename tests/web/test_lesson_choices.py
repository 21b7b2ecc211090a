"""Every lesson a shipped protocol points the day to is a Learn page."""

from __future__ import annotations

import pytest

from walkwell.core.protocol import available_protocols, load_protocol
from walkwell.web.pages.lessons import BY_SLUG


@pytest.mark.parametrize("name", available_protocols())
def test_each_lesson_the_protocol_names_exists(name: str) -> None:
    lessons = load_protocol(name).lessons
    named = {*lessons.by_decision.values(), *lessons.by_mistake.values()}
    assert named <= set(BY_SLUG)
