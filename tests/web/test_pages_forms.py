"""Every form: ratings on one 0-10 scale that never defaults to 0, help and errors
linked to their fields by ids that exist, errors under the field they are about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from html.parser import HTMLParser

import lxml.html
import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.cast import START
from tests.web.pages_support import (
    PROTOCOL,
    baseline_answers,
    checkin_answers,
    client_for,
    screening_answers,
    walk_answers,
)
from walkwell.web.program import services
from walkwell.web.program.models import Person, Walk, WalkSource

READ_ON = START + dt.timedelta(days=4)  # the first Friday

WEAK = "walk"  # too short and too common: refused by the password validators


def imported(who: Person) -> Walk:
    return services.walk_log(
        person=who,
        date=READ_ON,
        minutes=14,
        source=WalkSource.IMPORT,
        imported=services.ImportedMetrics(content_hash=f"{who.pk}-watch"),
    )


def newcomer(username: str) -> Client:
    """Signed up, not yet screened."""
    client = Client()
    client.force_login(User.objects.create_user(username=username))
    return client


def tree(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html)


def form_pages(alice: Person) -> Iterator[tuple[str, str]]:
    """Every page with a form, as first shown and after an empty or bad answer."""
    anonymous = Client()
    yield "sign-up", anonymous.get("/accounts/sign-up/").content.decode()
    weak = {"username": "bob", "password1": WEAK, "password2": "other"}
    yield "sign-up refused", anonymous.post("/accounts/sign-up/", weak).content.decode()
    yield "sign-in", anonymous.get("/accounts/sign-in/").content.decode()
    wrong = {"username": "nobody", "password": "wrong-password-1"}
    yield (
        "sign-in refused",
        anonymous.post("/accounts/sign-in/", wrong).content.decode(),
    )
    reset = "/accounts/password-reset/"
    yield "password reset", anonymous.get(reset).content.decode()
    yield "password reset refused", anonymous.post(reset, {}).content.decode()

    carl = newcomer("carl")
    yield "screening", carl.get("/start/screening/").content.decode()
    yield "screening refused", carl.post("/start/screening/", {}).content.decode()
    carl.post("/start/screening/", screening_answers())
    yield "baseline", carl.get("/start/baseline/").content.decode()
    yield "baseline refused", carl.post("/start/baseline/", {}).content.decode()

    walk = imported(alice)
    answers = f"/imports/walks/{walk.pk}/answers/"
    signed_in = client_for(alice)
    for url in ("/", "/walk/", "/imports/", answers):
        yield url, signed_in.get(url).content.decode()
    for url in (
        "/log/",
        "/check-in/",
        "/measures/",
        "/clearance/",
        "/accounts/settings/",
        answers,
    ):
        yield url, signed_in.get(url).content.decode()
        yield f"{url} refused", signed_in.post(url, {}).content.decode()
    bad_change = {"old_password": "x", "new_password1": WEAK, "new_password2": "y"}
    yield "/accounts/password/", signed_in.get("/accounts/password/").content.decode()
    yield (
        "/accounts/password/ refused",
        signed_in.post("/accounts/password/", bad_change).content.decode(),
    )


def test_every_form_page_points_aria_describedby_at_ids_that_exist(
    alice: Person,
) -> None:
    broken: list[str] = []
    checked = 0
    for name, html in form_pages(alice):
        page = tree(html)
        ids = [e.get("id") for e in page.iter() if e.get("id")]
        assert len(ids) == len(set(ids)), f"{name}: an id is used twice"
        for element in page.xpath("//*[@aria-describedby or @aria-labelledby]"):
            for attr in ("aria-describedby", "aria-labelledby"):
                for target in (element.get(attr) or "").split():
                    checked += 1
                    if target not in ids:
                        broken.append(f"{name}: {element.tag} {attr}={target}")
    assert not broken, "\n".join(broken)
    assert checked > 50  # help texts, error lists and headings were all looked at


class _Nesting(HTMLParser):
    """Finds a list or block inside a paragraph, as written (an HTML parser would
    quietly close the paragraph first)."""

    BLOCKS = frozenset({"ul", "ol", "div", "fieldset", "table", "p", "section"})
    VOID = frozenset({"br", "input", "img", "meta", "link", "hr", "wbr", "source"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS and "p" in self.open:
            self.found.append(f"<{tag}> inside <p> (open: {'>'.join(self.open)})")
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass


def test_no_list_or_block_is_written_inside_a_paragraph(alice: Person) -> None:
    found = []
    for name, html in form_pages(alice):
        nesting = _Nesting()
        nesting.feed(html)
        found += [f"{name}: {problem}" for problem in nesting.found]
    assert not found, "\n".join(found)


def _scale(page: lxml.html.HtmlElement, name: str) -> lxml.html.HtmlElement:
    radio = page.xpath(f"//input[@name='{name}' and @value='0']")
    assert radio, f"{name} has a 0"
    found: list[lxml.html.HtmlElement] = radio[0].xpath(
        "ancestor::fieldset[contains(@class, 'scale')]"
    )
    assert found, f"{name} is drawn as a scale"
    return found[0]


def _pain_scales(alice: Person) -> Iterator[tuple[str, lxml.html.HtmlElement]]:
    signed_in = client_for(alice)
    walk = imported(alice)
    checkin = tree(signed_in.get("/check-in/").content.decode())
    yield "check-in", _scale(checkin, "pain")
    log = tree(signed_in.get("/log/").content.decode())
    for name in ("pain_before", "pain_during", "pain_after"):
        yield f"log {name}", _scale(log, name)
    answers = tree(signed_in.get(f"/imports/walks/{walk.pk}/answers/").content.decode())
    for name in ("pain_before", "pain_during", "pain_after"):
        yield f"imported walk {name}", _scale(answers, f"walk{walk.pk}-{name}")
    measures = tree(signed_in.get("/measures/").content.decode())
    yield "measures", _scale(measures, "pain")
    carl = newcomer("carl")
    carl.post("/start/screening/", screening_answers())
    baseline = tree(carl.get("/start/baseline/").content.decode())
    yield "baseline", _scale(baseline, "pain")


def test_pain_is_asked_on_the_same_scale_everywhere(alice: Person) -> None:
    scales = list(_pain_scales(alice))
    assert len(scales) == 9
    for where, scale in scales:
        legend = scale.find("legend")
        assert legend is not None, where
        assert legend.text_content().strip(), where
        values = [i.get("value") for i in scale.iter("input") if i.get("value")]
        assert values == [str(n) for n in range(11)], where
        assert {i.get("type") for i in scale.iter("input")} == {"radio"}, where
        anchors = scale.find_class("scale-anchors")[0].text_content()
        assert "0 no pain" in anchors, where
        assert "10 worst imaginable" in anchors, where
        zero = scale.xpath(".//input[@value='0']/following-sibling::span")[0]
        assert zero.text_content() == "0 no pain", where  # read aloud with its anchor


def _checked(page: lxml.html.HtmlElement, name: str) -> list[str | None]:
    return [i.get("value") for i in page.xpath(f"//input[@name='{name}' and @checked]")]


def test_no_rating_starts_on_zero(alice: Person) -> None:
    """A required rating starts unanswered; an optional one on "Not recorded"."""
    signed_in = client_for(alice)
    checkin = tree(signed_in.get("/check-in/").content.decode())
    for name in ("pain", "sleep", "focus"):
        assert _checked(checkin, name) == [], name
    log = tree(signed_in.get("/log/").content.decode())
    for name in ("pain_before", "pain_during", "pain_after"):
        assert _checked(log, name) == [""], name
        none = log.xpath(f"//input[@name='{name}' and @value='']/..")[0]
        assert none.text_content() == "Not recorded"
    carl = newcomer("carl")
    carl.post("/start/screening/", screening_answers())
    baseline = tree(carl.get("/start/baseline/").content.decode())
    assert _checked(baseline, "psfs_rating_1") == []
    assert _checked(baseline, "psfs_rating_2") == [""]
    assert not baseline.xpath("//option[@value='0']")  # no drop-down starts at 0


@pytest.mark.parametrize(
    ("field", "named"),
    [
        ("pain", "your back pain this morning"),
        ("sleep", "how well you slept"),
        ("focus", "how clear your focus is"),
    ],
)
def test_an_unanswered_checkin_rating_is_refused_naming_it(
    alice: Person, client: Client, field: str, named: str
) -> None:
    answers = checkin_answers(READ_ON)
    del answers[field]
    response = client.post("/check-in/", answers)
    page = tree(response.content.decode())
    errors = page.get_element_by_id(f"id_{field}_errors").text_content()
    assert errors == f"Choose a number from 0 to 10 for {named}."
    assert "Nothing was saved" in response.content.decode()
    assert not alice.checkins.exists()


def test_unanswered_stiffness_says_what_to_enter(alice: Person, client: Client) -> None:
    response = client.post("/check-in/", checkin_answers(READ_ON, stiffness=""))
    errors = tree(response.content.decode()).get_element_by_id("id_stiffness_errors")
    assert "minutes of morning stiffness (0 if none)" in errors.text_content()
    assert not alice.checkins.exists()


def test_an_unanswered_walk_pain_is_stored_as_not_recorded(
    alice: Person, client: Client
) -> None:
    answers = walk_answers(READ_ON, pain_before="", pain_after="")
    del answers["pain_during"]
    response = client.post("/log/", answers)
    assert response.status_code == 302
    walk = alice.walks.get()
    assert (walk.pain_before, walk.pain_during, walk.pain_after) == (None, None, None)


def test_an_imported_walk_needs_each_pain_rating_and_names_the_missing_one(
    alice: Person, client: Client
) -> None:
    walk = imported(alice)
    prefix = f"walk{walk.pk}-"
    data = {
        f"{prefix}{k}": v for k, v in {"pain_before": "3", "pain_after": "2"}.items()
    }
    data[f"{prefix}cooldown"] = "yes"
    data.update({f"{prefix}sign_{s}": "no" for s in PROTOCOL.warning_sign_ids})
    response = client.post(f"/imports/walks/{walk.pk}/answers/", data)
    page = tree(response.content.decode())
    errors = page.get_element_by_id(f"id_{prefix}pain_during_errors").text_content()
    assert (
        errors == "Choose a number from 0 to 10 for the highest pain during the walk."
    )
    walk.refresh_from_db()
    assert walk.pain_before is None  # nothing half-stored


def test_a_baseline_without_its_first_activity_rating_is_refused_naming_it(
    db: None,
) -> None:
    carl = newcomer("carl")
    carl.post("/start/screening/", screening_answers())
    response = carl.post("/start/baseline/", baseline_answers(psfs_rating_1=""))
    errors = tree(response.content.decode()).get_element_by_id(
        "id_psfs_rating_1_errors"
    )
    assert errors.text_content() == (
        "Choose a number from 0 to 10 for how well you can do activity 1."
    )
    assert not Person.objects.filter(user__username="carl").exists()


def _errors(html: str, field: str) -> str:
    page = tree(html)
    found = page.xpath(f"//*[@id='id_{field}_errors']")
    return found[0].text_content() if found else ""


def test_a_weak_password_at_sign_up_is_shown_under_the_password(db: None) -> None:
    html = (
        Client()
        .post(
            "/accounts/sign-up/",
            {"username": "bob", "password1": WEAK, "password2": WEAK},
        )
        .content.decode()
    )
    assert "too short" in _errors(html, "password1")
    assert _errors(html, "password2") == ""
    field = tree(html).get_element_by_id("id_password1")
    assert field.get("aria-describedby") == "id_password1_helptext id_password1_errors"
    assert not User.objects.filter(username="bob").exists()


def test_a_mismatched_confirmation_is_shown_under_the_confirmation(db: None) -> None:
    strong = "walk-tall-every-day-2026"
    html = (
        Client()
        .post(
            "/accounts/sign-up/",
            {"username": "bob", "password1": strong, "password2": strong + "x"},
        )
        .content.decode()
    )
    assert "didn’t match" in _errors(html, "password2")
    assert _errors(html, "password1") == ""


def test_a_weak_new_password_is_shown_under_the_new_password(alice: Person) -> None:
    alice.user.set_password("walk-tall-every-day-2026")
    alice.user.save()
    html = (
        client_for(alice)
        .post(
            "/accounts/password/",
            {
                "old_password": "walk-tall-every-day-2026",
                "new_password1": WEAK,
                "new_password2": WEAK,
            },
        )
        .content.decode()
    )
    assert "too short" in _errors(html, "new_password1")
    assert _errors(html, "new_password2") == ""
    field = tree(html).get_element_by_id("id_new_password1")
    assert field.get("aria-invalid") == "true"
    assert "id_new_password1_errors" in (field.get("aria-describedby") or "")


def test_the_log_form_starts_with_the_shoes_given_at_onboarding(db: None) -> None:
    carl = newcomer("carl")
    carl.post("/start/screening/", screening_answers())
    done = carl.post("/start/baseline/", baseline_answers(footwear="barefoot_style"))
    assert done.status_code == 302
    page = tree(carl.get("/log/").content.decode())
    chosen = page.xpath("//select[@name='footwear']/option[@selected]/@value")
    assert chosen == ["barefoot_style"]
