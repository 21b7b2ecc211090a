"""WalkWell's own drawings of the moves: each an SVG with a text alternative, shown
with the cue that speaks of it in the guided walk, on Today and in Learn."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from tests.web.pages_support import client_for
from walkwell.core.protocol import load_protocol
from walkwell.web.program.models import Person
from walkwell.web.program.presenters import (
    DECOMPRESSION,
    GLUTE_HEEL,
    NASAL,
    PICTURES,
    POSTURE,
    Picture,
    picture_for,
)

MOVES = (
    Path(__file__).resolve().parents[2] / "src/walkwell/web/pages/templates/pages/moves"
)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("picture", PICTURES, ids=lambda p: p.slug)
def test_each_drawing_is_an_svg_image_with_a_text_alternative(picture: Picture) -> None:
    root = ET.parse(MOVES / f"{picture.slug}.svg").getroot()  # noqa: S314 - our own file
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text
    assert len(title.text) > 40, "the alternative describes the move"
    # drawn with plain shapes, nothing embedded or fetched
    text = (MOVES / f"{picture.slug}.svg").read_text()
    assert "<image" not in text
    assert "href" not in text
    assert "style=" not in text  # the page's CSP allows no inline style


def test_every_move_the_seed_program_names_has_its_drawing() -> None:
    protocol = load_protocol("seed-3-phase")
    cues = [c for phase in protocol.phases for c in phase.spoken_cues]
    assert picture_for(cues[0]) == POSTURE
    assert {picture_for(c) for c in cues} >= set(PICTURES) - {DECOMPRESSION}
    assert picture_for(protocol.cooldown.name) == DECOMPRESSION
    assert picture_for("Squeeze your glutes at mid-stride.") == GLUTE_HEEL
    assert picture_for("Breathe in and out through your nose.") == NASAL


def _walk_config(html: str) -> dict[str, object]:
    found = re.search(
        r'<script id="walk-config" type="application/json">(.*?)</script>', html
    )
    assert found
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_the_guided_walk_shows_the_drawing_of_the_first_cue(
    alice: Person, client: Client
) -> None:
    html = client_for(alice).get("/walk/").content.decode()
    config = _walk_config(html)
    assert config["cuePictures"][0] == "posture"  # type: ignore[index]
    shown = re.search(r'<div data-picture="posture">\s*<figure', html)
    assert shown, "the posture stack is shown with the first cue"
    assert '<div data-picture="arm-swing" hidden>' in html
    assert "The posture stack: a person standing tall" in html
    assert "Standing spinal decompression: a person standing tall" in html  # cooldown


def test_the_posture_lesson_shows_the_moves(client: Client, db: None) -> None:
    html = client.get("/learn/posture/").content.decode()
    for slug in ("posture", "arm-swing", "glute-heel", "nasal-breathing"):
        assert 'class="move-art"' in html
        assert (
            MOVES.joinpath(f"{slug}.svg")
            .read_text()
            .split("<title>")[1]
            .split("</title>")[0]
            in html
        )
    recovery = client.get("/learn/recovery/").content.decode()
    assert "Standing spinal decompression: a person" in recovery
