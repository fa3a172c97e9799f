"""The `mockserver` command: serve, fixtures export."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import click

from . import __version__
from .config import Config, settings

WORLD_SETTINGS = ("seed", "employees", "courses")


def _option(field) -> typing.Callable:
    """A click option for one Config field: `--max-body-bytes` / MOCKSERVER_MAX_BODY_BYTES."""
    kind = typing.get_type_hints(Config)[field.name]
    flag = "--" + field.name.replace("_", "-")
    meta = field.metadata
    extra: dict = {"envvar": "MOCKSERVER_" + field.name.upper(), "show_envvar": True, "show_default": True}
    if kind is bool:
        return click.option(f"{flag}/--no-{flag[2:]}", field.name, default=field.default, help=meta["help"], **extra)
    if meta["multiple"]:
        return click.option(flag, field.name, multiple=True, default=field.default, help=meta["help"], **extra)
    if meta["choices"]:
        choice = click.Choice([str(c) for c in meta["choices"]])
        cast = type(meta["choices"][0])
        return click.option(flag, field.name, type=choice, default=str(field.default), help=meta["help"],
                            callback=lambda ctx, param, value: cast(value), **extra)
    base = int if kind is int else str
    return click.option(flag, field.name, type=base, default=field.default, help=meta["help"], **extra)


def config_options(names: typing.Iterable[str] | None = None):
    chosen = [f for f in settings() if names is None or f.name in names]

    def decorate(fn):
        for field in reversed(chosen):
            fn = _option(field)(fn)
        return fn

    return decorate


@click.group()
@click.version_option(__version__, prog_name="mockserver")
def main() -> None:
    """Mock and contract-test server for the Ruangkerja and iSpring Learn APIs."""


@main.command()
@config_options()
def serve(**values) -> None:
    """Serve both APIs on one port with gunicorn (several workers, world built once)."""
    from .app import WorldFileError
    from .serving import serve as run

    try:
        run(Config(**values))
    except WorldFileError as error:
        raise click.ClickException(str(error)) from None


@main.command()
def openapi() -> None:
    """Print the OpenAPI document of every REST operation, generated from the tables and their contracts."""
    from .api.openapi import openapi_document
    from .wings import WINGS

    click.echo(json.dumps(openapi_document(WINGS), indent=2))


@main.group()
def fixtures() -> None:
    """Export the generated world as JSON (serve it back with `serve --fixtures FILE`)."""


@fixtures.command("export")
@config_options(WORLD_SETTINGS)
@click.option("--out", type=click.Path(dir_okay=False, writable=True), required=True, help="File to write.")
def export(out: str, seed: int, employees: int, courses: int) -> None:
    from .world import World

    world = World.build(seed, employees, courses)
    Path(out).write_text(json.dumps(world.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    click.echo(f"wrote {out}: seed {seed}, {len(world.people)} people, {len(world.courses)} courses, "
               f"{len(world.enrollments)} enrollments")


from .contract.commands import contract, proxy  # noqa: E402  (the contract commands live with the contract package)

main.add_command(contract)
main.add_command(proxy)
