"""The ``walkwell`` command: a thin Typer layer over services and the core."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="WalkWell: walking your way out of chronic low back pain.",
    no_args_is_help=True,
)


@app.callback()
def _root() -> None:
    """WalkWell: walking your way out of chronic low back pain."""


@app.command()
def version() -> None:
    """Print WalkWell's version."""
    from walkwell import __version__

    typer.echo(__version__)


def main() -> None:
    app()
