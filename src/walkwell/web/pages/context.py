"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from walkwell import __version__
from walkwell.web.pages.navigation import nav_for


def site(request: HttpRequest) -> dict[str, Any]:
    # Lazy: the person is looked up only by pages that draw the navigation.
    return {
        "walkwell_version": __version__,
        "nav": SimpleLazyObject(lambda: nav_for(request)),
    }
