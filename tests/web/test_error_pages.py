"""Errors look like the rest of the site and give nothing of its insides away."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import loader
from django.test import Client

from tests.web.urls_failing import INTERNALS
from walkwell.web.program.models import Person

SettingsWrapper = Any  # pytest-django's settings fixture


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/no/such/page/", 404, "We could not find that page"),
        ("/clinic/", 403, "You cannot open this page"),  # clinic staff's only
    ],
)
def test_an_error_page_is_styled_with_the_persons_nav(
    client: Client, url: str, status: int, heading: str
) -> None:
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert heading in html
    assert "walkwell/walkwell.css" in html
    assert '<nav class="main" aria-label="Main">' in html
    assert 'href="/plan/"' in html
    assert 'href="/symptom/"' in html


def test_a_404_raised_by_a_view_does_not_show_its_message(alice: Person) -> None:
    """The import pages raise 404 with a message for the log; the page omits it."""
    client = Client()
    client.force_login(alice.user)
    response = client.get("/imports/999999/")
    assert response.status_code == 404
    assert "no such import" not in response.content.decode()


def test_a_signed_out_visitor_gets_the_404_with_a_way_to_sign_in(db: None) -> None:
    html = Client().get("/nowhere/").content.decode()
    assert "We could not find that page" in html
    assert 'href="/accounts/sign-in/"' in html


def test_a_failing_page_gets_the_styled_500_without_the_traceback(
    db: None, settings: SettingsWrapper
) -> None:
    settings.ROOT_URLCONF = "tests.web.urls_failing"
    assert settings.DEBUG is False
    response = Client(raise_request_exception=False).get("/fails/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "walkwell/walkwell.css" in html
    assert '<nav class="main" aria-label="Main">' in html
    for leak in (
        "Traceback",
        "RuntimeError",
        INTERNALS,
        "sqlite3",
        settings.SECRET_KEY,
    ):
        assert leak not in html


def test_the_500_page_needs_no_request_and_no_database() -> None:
    """Without the db fixture pytest-django refuses any query: rendering made none."""
    html = loader.get_template("500.html").render()
    assert "Something went wrong on our side" in html
    assert 'href="/static/walkwell/walkwell.css"' in html


@pytest.mark.parametrize("name", ["400.html", "403.html", "404.html", "500.html"])
def test_error_pages_have_no_inline_script(name: str) -> None:
    """The Content Security Policy would block one on a page without a nonce."""
    source = loader.get_template(name).template.source  # type: ignore[attr-defined]
    assert "<script>" not in source


def test_a_request_that_cannot_be_read_gets_the_styled_400(client: Client) -> None:
    """A request for another site's name is refused with the site's own page."""
    response = client.get("/", HTTP_HOST="elsewhere.example")
    html = response.content.decode()
    assert response.status_code == 400
    assert "WalkWell could not read that request" in html
    assert "walkwell/walkwell.css" in html
    assert "elsewhere.example" not in html
