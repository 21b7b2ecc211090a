"""The navigation as every web app draws it (``pages/base.html``): whose it is, where
its logo leads, its links, each with where it shows and whether it is the page
being shown. The person's pages (``pages.navigation``) choose the person's links;
the clinic's are chosen here (``clinic_nav``), so that every page, the error pages
included, can draw the navigation of whoever is signed in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.http import HttpRequest
from django.urls import reverse

from walkwell.web.program import roles


class NavState(StrEnum):
    """Whose navigation it is (the list's class is ``nav-<state>``)."""

    GUEST = "guest"
    ONBOARDING = "onboarding"
    ENROLLED = "enrolled"
    CLINIC = "clinic"


class Show(StrEnum):
    """Where a link appears: on every screen, only on wide ones, or only as a tab."""

    ALWAYS = "always"
    WIDE = "wide"
    NARROW = "narrow"


@dataclass(frozen=True)
class NavLink:
    key: str
    label: str
    url: str
    show: Show
    # "page" for the link to this page; "true" for the More tab when this page is
    # one of those under it; "" otherwise.
    current: str = ""


@dataclass(frozen=True)
class Home:
    """Where the logo leads: the account's own home, and the words of the button
    to it on an error page."""

    url: str
    label: str


@dataclass(frozen=True)
class Nav:
    state: NavState
    home: Home
    links: tuple[NavLink, ...] = ()
    more: tuple[NavLink, ...] = ()

    @property
    def for_patient(self) -> bool:
        """Whether the header offers the person's own actions (reporting a
        symptom): never to a visitor signed out, nor to clinic staff."""
        return self.state in (NavState.ONBOARDING, NavState.ENROLLED)


def nav_link(key: str, label: str, name: str, show: Show, here: str) -> NavLink:
    """The link to the page named ``name``, marked as the one shown when its key
    is ``here`` (the key of the page being shown)."""
    return NavLink(key, label, reverse(name), show, "page" if key == here else "")


def clinic_nav(request: HttpRequest) -> Nav:
    """Clinic staff's navigation: the patient list and invitations for a
    clinician, the admin page for a clinic admin, and the account's settings."""
    user = request.user
    match = request.resolver_match
    here = (match.url_name or "") if match else ""
    items: list[tuple[str, str, str]] = []
    if roles.is_clinician(user):
        items += [
            ("dashboard", "Patients", "clinic:dashboard"),
            ("invites", "Invite a patient", "clinic:invites"),
        ]
        home = Home(reverse("clinic:dashboard"), "Go to your patients")
    else:
        home = Home(reverse("clinic:admin"), "Go to clinic admin")
    if roles.is_clinic_admin(user):
        items.append(("admin", "Clinic admin", "clinic:admin"))
    items.append(("settings", "Settings", "accounts:settings"))
    links = tuple(
        nav_link(key, label, name, Show.ALWAYS, here) for key, label, name in items
    )
    return Nav(NavState.CLINIC, home, links)
