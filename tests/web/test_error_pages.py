"""Errors look like the rest of the site and give nothing of its insides away."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import loader
from django.test import Client

from tests.web.urls_failing import INTERNALS
from walkwell.web.program.models import Person

SettingsWrapper = Any  # pytest-django's settings fixture


def test_an_unknown_address_gets_the_styled_404_with_the_nav(client: Client) -> None:
    response = client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "We could not find that page" in html
    assert "walkwell/walkwell.css" in html
    assert '<nav class="main" aria-label="Main">' in html
    assert 'href="/plan/"' in html


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


@pytest.mark.parametrize("name", ["404.html", "500.html"])
def test_error_pages_have_no_inline_script(name: str) -> None:
    """The Content Security Policy would block one on a page without a nonce."""
    source = loader.get_template(name).template.source  # type: ignore[attr-defined]
    assert "<script>" not in source
