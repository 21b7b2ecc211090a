"""The navigation as every web app draws it (``pages/base.html``): whose it is, its
links, each with where it shows and whether it is the page being shown. The
person's pages (``pages.navigation``) and the clinic (``clinic.navigation``) each
choose which links to offer; both build them here, so they are drawn alike."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.urls import reverse


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
class Nav:
    state: NavState
    links: tuple[NavLink, ...] = ()
    more: tuple[NavLink, ...] = ()


def nav_link(key: str, label: str, name: str, show: Show, here: str) -> NavLink:
    """The link to the page named ``name``, marked as the one shown when its key
    is ``here`` (the key of the page being shown)."""
    return NavLink(key, label, reverse(name), show, "page" if key == here else "")
