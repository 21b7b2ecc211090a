"""The main navigation offers what a person can use where they are: during onboarding
only onboarding's pages, afterwards every place (the plan and the measures included),
with the page being shown marked for assistive technology."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.cast import START
from tests.web.pages_support import client_for
from walkwell.web.program import services
from walkwell.web.program.models import Person

READ_ON = START  # the day she enrols

EVERYDAY = ("/", "/walk/", "/log/", "/check-in/", "/progress/", "/imports/")
AFTER_ONBOARDING = (*EVERYDAY, "/plan/", "/measures/", "/more/")


def _nav(html: str) -> str:
    found = re.search(r'<nav class="main" aria-label="Main">(.*?)</nav>', html, re.S)
    assert found, "the page has no main navigation"
    return found.group(1)


def _hrefs(fragment: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', fragment)


@pytest.fixture
def newcomer(db: None) -> Client:
    """Signed up, not yet screened."""
    client = Client()
    client.force_login(User.objects.create_user(username="newcomer"))
    return client


@pytest.fixture
def waiting(db: None) -> Client:
    """Told to seek care at screening: enrolled without a baseline."""
    user = User.objects.create_user(username="waiting")
    services.enrollment_start(
        user=user, start=START, baseline_minutes=None, red_flags=["saddle_numbness"]
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["newcomer", "waiting"])
def test_during_onboarding_the_nav_offers_only_what_onboarding_can_use(
    who: str, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(who)
    nav = _nav(client.get("/learn/").content.decode())
    assert _hrefs(nav) == ["/start/", "/learn/", "/accounts/settings/"]
    for href in AFTER_ONBOARDING:
        assert f'href="{href}"' not in nav


@pytest.mark.parametrize("who", ["newcomer", "waiting"])
def test_no_onboarding_nav_link_bounces_the_person_back(
    who: str, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(who)
    for href in _hrefs(_nav(client.get("/accounts/settings/").content.decode())):
        response = client.get(href, follow=True)
        assert response.status_code == 200, href
        final = response.redirect_chain[-1][0] if response.redirect_chain else href
        # "Getting started" leads to the step the person is on; the others stay put.
        assert final == href or (href == "/start/" and final.startswith("/start/"))


def test_the_brand_leads_to_onboarding_while_it_is_unfinished(newcomer: Client) -> None:
    html = newcomer.get("/learn/").content.decode()
    assert '<a class="brand" href="/start/">WalkWell</a>' in html


def test_after_onboarding_every_place_is_reachable_from_the_nav(
    client: Client,
) -> None:
    hrefs = _hrefs(_nav(client.get("/").content.decode()))
    for href in AFTER_ONBOARDING:
        assert href in hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200, href


def test_on_a_phone_four_places_are_tabs_and_the_rest_is_under_more(
    client: Client,
) -> None:
    nav = _nav(client.get("/").content.decode())
    tabs = re.findall(r'<li class="show-(?:always|narrow)"><a href="([^"]+)"', nav)
    assert tabs == ["/", "/walk/", "/check-in/", "/progress/", "/more/"]
    more = client.get("/more/").content.decode()
    listed = _hrefs(more.split("<h1>More</h1>", 1)[1])
    for href in ("/log/", "/plan/", "/measures/", "/imports/", "/learn/"):
        assert href in listed
    assert "/accounts/settings/" in listed
    assert 'action="/accounts/sign-out/"' in more


@pytest.mark.parametrize(
    ("url", "label"),
    [("/", "Today"), ("/plan/", "Plan"), ("/measures/", "Measures")],
)
def test_the_current_page_is_marked(client: Client, url: str, label: str) -> None:
    nav = _nav(client.get(url).content.decode())
    assert f'<a href="{url}" aria-current="page">{label}</a>' in nav
    assert nav.count("aria-current") == (1 if url == "/" else 2)


def test_more_is_marked_when_the_page_is_one_of_its_places(client: Client) -> None:
    nav = _nav(client.get("/plan/").content.decode())
    assert '<a href="/more/" aria-current="true">More</a>' in nav
    more = _nav(client.get("/more/").content.decode())
    assert '<a href="/more/" aria-current="page">More</a>' in more


def test_a_signed_out_visitor_gets_no_main_nav(db: None) -> None:
    html = Client().get("/accounts/sign-in/").content.decode()
    assert '<nav class="main"' not in html


def test_enrolled_with_a_baseline_gets_the_full_nav(alice: Person) -> None:
    nav = _nav(client_for(alice).get("/learn/").content.decode())
    assert 'href="/plan/"' in nav
    assert 'href="/start/"' not in nav
