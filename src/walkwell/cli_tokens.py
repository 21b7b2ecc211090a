"""``walkwell token``: personal access tokens for the JSON API, made, listed and
revoked from the command line for the account the commands act as (``--user``).

Registered on the main ``walkwell`` app by ``cli.py`` (this module does not import
it). A new token's secret is printed once; only its digest is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from walkwell.cli_context import CommandGroup, JsonOpt, _django, _echo_json, _username
from walkwell.core.limits import ValidationProblem

if TYPE_CHECKING:
    from django.contrib.auth.models import User

token_app = typer.Typer(
    help="Personal access tokens for the JSON API: make, list and revoke them."
    "\n\nExample: walkwell token create phone",
    no_args_is_help=True,
    rich_markup_mode=None,
    cls=CommandGroup,
)


def _user() -> User:
    _django()
    from django.contrib.auth.models import User

    user = User.objects.filter(username=_username()).first()
    if user is None:
        raise ValidationProblem(
            "user", "no account yet; start a plan with `walkwell init` first"
        )
    return user


@token_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="What the token is for, e.g. phone.")],
    as_json: JsonOpt = False,
) -> None:
    """Make a named token and print its secret, once.

    Example: walkwell token create phone
    """
    user = _user()
    from walkwell.web.accounts import services_tokens

    token, secret = services_tokens.token_create(user=user, name=name)
    if as_json:
        _echo_json({"id": token.pk, "name": token.name, "token": secret})
        return
    typer.echo(f"Token {token.pk} “{token.name}”: {secret}")
    typer.echo("Copy it now: it is not shown again. Send it as")
    typer.echo("  Authorization: Bearer <token>")


@token_app.command("list")
def list_tokens(as_json: JsonOpt = False) -> None:
    """List your tokens (never their secrets): name, when made, last used, revoked.

    Example: walkwell token list
    """
    user = _user()
    from walkwell.web.accounts import selectors

    rows = selectors.tokens_for(user.pk)
    if as_json:
        _echo_json([
            {"id": t.pk, "name": t.name, "prefix": t.prefix,
             "created_at": t.created_at.isoformat(),
             "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
             "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None}
            for t in rows
        ])  # fmt: skip
        return
    if not rows:
        typer.echo("No tokens yet: walkwell token create NAME")
    for t in rows:
        used = t.last_used_at.date().isoformat() if t.last_used_at else "never"
        state = (
            f"revoked {t.revoked_at.date()}" if t.revoked_at else f"last used {used}"
        )
        made = t.created_at.date().isoformat()
        typer.echo(f"{t.pk:>4}  {t.name:<20}  {t.prefix}…  made {made}, {state}")


@token_app.command("revoke")
def revoke(
    token_id: Annotated[int, typer.Argument(help="The token's number (token list).")],
) -> None:
    """Revoke a token: it stops working at once.

    Example: walkwell token revoke 3
    """
    user = _user()
    from walkwell.web.accounts import services_tokens

    token = services_tokens.token_revoke(user=user, token_id=token_id)
    typer.echo(f"Token {token.pk} “{token.name}” is revoked.")
