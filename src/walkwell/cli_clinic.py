"""``walkwell demo --clinic`` and ``walkwell role``: the clinician's side.

Registered on the main ``walkwell`` app by ``cli.py`` (this module does not import it).
"""

from __future__ import annotations

from typing import Annotated

import typer

from walkwell.cli_context import _django, _today
from walkwell.core.limits import ValidationProblem


def demo(
    clinic: Annotated[
        bool,
        typer.Option(
            "--clinic", help="A clinician and synthetic patients linked to them."
        ),
    ] = False,
    patients: Annotated[
        int, typer.Option(help="How many synthetic patients (1 to 500).")
    ] = 12,
) -> None:
    """Fill this instance with demonstration data.

    Example: walkwell demo --clinic
    """
    if not clinic:
        raise ValidationProblem("clinic", "say which demo: --clinic")
    _django()
    from walkwell.web.accounts import services_two_factor
    from walkwell.web.program import services_demo

    made = services_demo.demo_clinic(today=_today(), patients=patients)
    # Clinicians sign in with a second factor: the demo's is printed here, as an
    # address for an authenticator app and as backup codes for a quick look.
    app, codes = services_two_factor.app_add_confirmed(user=made.clinician)
    typer.echo(
        f"Clinician: {made.clinician.username} (password {made.password}), "
        f"{len(made.patients)} synthetic patients linked."
    )
    typer.echo(
        "Two-factor sign-in: after the password, give a code from an authenticator "
        f"app set up with\n  {app.config_url}\nor one of these backup codes "
        f"(each works once): {' '.join(codes)}"
    )
    typer.echo("Run `walkwell serve` and sign in; the patient list is at /clinic/.")


def role(
    username: Annotated[str, typer.Argument(help="An existing account.")],
    role: Annotated[str, typer.Argument(help="clinician or clinic_admin")],
) -> None:
    """Make an account a clinician or a clinic admin.

    Example: walkwell role drchen clinician
    """
    _django()
    from django.contrib.auth.models import User

    from walkwell.web.program import services_care
    from walkwell.web.program.roles import Role

    user = User.objects.filter(username=username).first()
    if user is None:
        raise ValidationProblem("username", f"no account named {username!r}")
    if role not in (Role.CLINICIAN, Role.CLINIC_ADMIN):
        raise ValidationProblem("role", "must be clinician or clinic_admin")
    services_care.role_grant(user=user, role=Role(role))
    typer.echo(f"{username} is now a {role.replace('_', ' ')}.")


def two_factor_reset(
    username: Annotated[str, typer.Argument(help="An existing account.")],
) -> None:
    """Remove an account's authenticator app and backup codes (it lost both); a
    clinician or admin sets up a new app at the next sign-in.

    Example: walkwell two-factor-reset drchen
    """
    _django()
    from django.contrib.auth.models import User

    from walkwell.web.accounts import services_two_factor

    user = User.objects.filter(username=username).first()
    if user is None:
        raise ValidationProblem("username", f"no account named {username!r}")
    services_two_factor.second_factor_reset(user=user)
    typer.echo(
        f"{username}'s two-factor sign-in was reset; "
        "a new authenticator app is set up at the next sign-in."
    )
