"""Who is a clinician or an admin, for the rules that treat them more strictly."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

STAFF_GROUPS = frozenset({"clinician", "clinic_admin"})


def is_staff_role(user: AbstractBaseUser | AnonymousUser) -> bool:
    """True for Django staff and superusers, and members of the clinic groups."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    groups = getattr(user, "groups", None)
    return bool(groups is not None and groups.filter(name__in=STAFF_GROUPS).exists())
