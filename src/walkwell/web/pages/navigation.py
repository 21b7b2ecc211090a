"""The main navigation: what a person can reach depends on who and where they are.

Clinic staff get the clinic's navigation (``program.navigation.clinic_nav``) on
every page they see, the shared pages and the error pages included; a clinician
who also follows the program keeps the person's navigation on their own pages.

During onboarding only the pages onboarding can use are offered (no link that would
bounce the person back to it). Once enrolled, the everyday places are tabs (a bottom
bar on a phone) and the rest sit under "More", which on a wide screen are shown
inline as well. Everything here is plain links: no script is needed.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from walkwell.web.program import roles, selectors
from walkwell.web.program.access import not_clinic_staff
from walkwell.web.program.models import Person
from walkwell.web.program.navigation import (
    Home,
    Nav,
    NavLink,
    NavState,
    Show,
    clinic_nav,
    nav_link,
)

# url names (or namespaces) -> the nav key they belong to
_SECTIONS = {
    "today": "today",
    "walk": "walk",
    "log_walk": "log",
    "checkin": "checkin",
    "progress": "progress",
    "plan": "plan",
    "measures": "measures",
    "learn": "learn",
    "lesson": "learn",
    "settings": "settings",
    "password": "settings",
    "email": "settings",
    "more": "more",
    "care": "care",
    "care_join": "care",
    "care_unlink": "care",
    "start": "start",
    "screening": "start",
    "baseline": "start",
    "seek_care": "start",
    "clearance": "start",
    "rescreen": "start",
    "readiness": "settings",
    "go_ahead": "settings",
}

# (key, label, url name, where it shows)
_ONBOARDING = (
    ("start", "Getting started", "pages:start", Show.ALWAYS),
    ("learn", "Learn", "pages:learn", Show.ALWAYS),
    ("settings", "Settings", "accounts:settings", Show.ALWAYS),
)
_TABS = (
    ("today", "Today", "pages:today", Show.ALWAYS),
    ("walk", "Walk", "pages:walk", Show.ALWAYS),
    ("checkin", "Check-in", "pages:checkin", Show.ALWAYS),
    ("progress", "Progress", "pages:progress", Show.ALWAYS),
)
_UNDER_MORE = (
    ("log", "Log a walk", "pages:log_walk"),
    ("plan", "Plan", "pages:plan"),
    ("measures", "Measures", "pages:measures"),
    ("care", "Care team", "pages:care"),
    ("import", "Import", "imports:upload"),
    ("learn", "Learn", "pages:learn"),
    ("settings", "Settings", "accounts:settings"),
)


def section_of(request: HttpRequest) -> str:
    """The nav key of the page being shown ("" when it has none)."""
    match = request.resolver_match
    if match is None:
        return ""
    if match.namespace == "imports":
        return "import"
    return _SECTIONS.get(match.url_name or "", "")


def _is_clinic_staff(request: HttpRequest) -> bool:
    user = request.user
    return roles.is_clinician(user) or roles.is_clinic_admin(user)


def _on_clinic_page(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and match.namespace == "clinic"


def _person_state(person: Person | None) -> NavState:
    if person is None or person.baseline_minutes is None:
        return NavState.ONBOARDING
    return NavState.ENROLLED


_HOMES = {
    NavState.GUEST: ("accounts:sign_in", "Sign in"),
    NavState.ONBOARDING: ("pages:start", "Carry on getting started"),
    NavState.ENROLLED: ("pages:today", "Go to today"),
}


def _home(state: NavState) -> Home:
    name, label = _HOMES[state]
    return Home(reverse(name), label)


def nav_for(request: HttpRequest) -> Nav:
    """The navigation of whoever is signed in: clinic staff's on the clinic's pages
    and wherever they have no record of their own to follow, the person's
    otherwise, none for a visitor signed out."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Nav(NavState.GUEST, _home(NavState.GUEST))
    if _on_clinic_page(request) and _is_clinic_staff(request):
        return clinic_nav(request)
    # The person first: an enrolled person's pages ask nothing more.
    person = selectors.person_for(user)
    if person is None and _is_clinic_staff(request):
        return clinic_nav(request)
    return _person_nav(_person_state(person), section_of(request))


def _person_nav(state: NavState, here: str) -> Nav:
    home = _home(state)
    if state is NavState.ONBOARDING:
        links = tuple(nav_link(*item, here) for item in _ONBOARDING)
        return Nav(state, home, links, links[1:])
    more = tuple(
        nav_link(key, label, name, Show.WIDE, here) for key, label, name in _UNDER_MORE
    )
    below_more = any(link.current for link in more)
    more_tab = NavLink(
        "more",
        "More",
        reverse("pages:more"),
        Show.NARROW,
        "page" if here == "more" else ("true" if below_more else ""),
    )
    today, walk, *rest = (nav_link(*item, here) for item in _TABS)
    log, *others = more
    return Nav(state, home, (today, walk, log, *rest, *others, more_tab), more)


@not_clinic_staff
def more(request: HttpRequest) -> HttpResponse:
    """Everything that is not a tab, and signing out (a page: no script needed).
    Clinic staff without a record have their own header and are sent to it."""
    return render(request, "pages/more.html")
