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
    from walkwell.web.program import services_demo

    made = services_demo.demo_clinic(today=_today(), patients=patients)
    typer.echo(
        f"Clinician: {made.clinician.username} (password {made.password}), "
        f"{len(made.patients)} synthetic patients linked."
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
