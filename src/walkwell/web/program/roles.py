"""Roles: a patient, a clinician, a clinic admin.

Clinicians and clinic admins are Django groups (created by a migration); a patient is
anyone enrolled (with a ``Person``). A person using WalkWell alone is just a patient:
no group is needed, and nothing changes for them.

- a **patient** sees only their own record;
- a **clinician** sees the records of the patients linked to them;
- a **clinic admin** manages clinicians and links and sees no health data, except
  through a break-glass access that is audited and shown to the person.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User


class Role(StrEnum):
    PATIENT = "patient"
    CLINICIAN = "clinician"
    CLINIC_ADMIN = "clinic_admin"
    ANONYMOUS = "anonymous"


CLINICIAN_GROUP = "clinician"
CLINIC_ADMIN_GROUP = "clinic_admin"
GROUP_FOR = {Role.CLINICIAN: CLINICIAN_GROUP, Role.CLINIC_ADMIN: CLINIC_ADMIN_GROUP}

AnyUser = User | AnonymousUser | AbstractBaseUser


def _in_group(user: AnyUser, group: str) -> bool:
    if not user.is_authenticated or not isinstance(user, User):
        return False
    cache: dict[str, bool] | None = getattr(user, "_walkwell_groups", None)
    if cache is None:
        names = set(user.groups.values_list("name", flat=True))
        cache = {g: g in names for g in GROUP_FOR.values()}
        user._walkwell_groups = cache  # type: ignore[attr-defined]
    return cache.get(group, False)


def is_clinician(user: AnyUser) -> bool:
    return _in_group(user, CLINICIAN_GROUP)


def is_clinic_admin(user: AnyUser) -> bool:
    return _in_group(user, CLINIC_ADMIN_GROUP)


def role_of(user: AnyUser) -> Role:
    """The one role a user acts in (clinic admin before clinician before patient)."""
    if not user.is_authenticated:
        return Role.ANONYMOUS
    if is_clinic_admin(user):
        return Role.CLINIC_ADMIN
    if is_clinician(user):
        return Role.CLINICIAN
    return Role.PATIENT


def is_staff_role(user: AnyUser) -> bool:
    """True for the accounts held to stricter session rules: Django staff and
    superusers, clinicians and clinic admins."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    return is_clinician(user) or is_clinic_admin(user)
