"""The clinic pages' navigation: the patient list and invitations for a clinician,
the admin page for a clinic admin, and the account's settings."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from walkwell.web.program import roles


@dataclass(frozen=True)
class Link:
    key: str
    label: str
    url: str
    show: str = "always"
    current: str = ""


@dataclass(frozen=True)
class ClinicNav:
    state: str
    links: tuple[Link, ...]


def clinic_nav(request: HttpRequest) -> ClinicNav:
    user = request.user
    here = request.resolver_match.url_name if request.resolver_match else ""
    items: list[tuple[str, str, str]] = []
    if roles.is_clinician(user):
        items += [
            ("dashboard", "Patients", "clinic:dashboard"),
            ("invites", "Invite a patient", "clinic:invites"),
        ]
    if roles.is_clinic_admin(user):
        items.append(("admin", "Clinic admin", "clinic:admin"))
    items.append(("settings", "Settings", "accounts:settings"))
    links = tuple(
        Link(key, label, reverse(name), current="page" if key == here else "")
        for key, label, name in items
    )
    return ClinicNav(state="clinic", links=links)
