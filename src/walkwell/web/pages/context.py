"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest

from walkwell import __version__


def site(request: HttpRequest) -> dict[str, str]:
    return {"walkwell_version": __version__}
