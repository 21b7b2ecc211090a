"""The clinic pages' navigation: the patient list and invitations for a clinician,
the admin page for a clinic admin, and the account's settings."""

from __future__ import annotations

from django.http import HttpRequest

from walkwell.web.program import roles
from walkwell.web.program.navigation import Nav, NavState, Show, nav_link


def clinic_nav(request: HttpRequest) -> Nav:
    user = request.user
    match = request.resolver_match
    here = (match.url_name or "") if match else ""
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
        nav_link(key, label, name, Show.ALWAYS, here) for key, label, name in items
    )
    return Nav(NavState.CLINIC, links)
