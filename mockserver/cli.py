"""The `mockserver` command: serve, fixtures export (and the contract, proxy and bench commands of their packages)."""

from __future__ import annotations

import json
import os
import shlex
import typing
from pathlib import Path

import click
from click.core import ParameterSource

from . import __version__
from .config import Config, SettingError, check_value, settings

WORLD_SETTINGS = ("seed", "employees", "courses")


class OneLineError(click.UsageError):
    """A refused setting or a server that cannot start: one line on stderr, exit code 2 (no usage text)."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


def _named(ctx: click.Context | None, name: str, value) -> str:
    """`--flag=VALUE` or `MOCKSERVER_NAME=VALUE`, as the setting was given."""
    source = ctx.get_parameter_source(name) if ctx is not None else None
    label = "MOCKSERVER_" + name.upper() if source is ParameterSource.ENVIRONMENT else "--" + name.replace("_", "-")
    return f"{label}={shlex.quote(str(value))}"


def refused(ctx: click.Context | None, error: SettingError) -> OneLineError:
    return OneLineError(f"{_named(ctx, error.field, error.value)}: {error.reason}")


class SettingType(click.ParamType):
    """A Config field's value (each item of a repeatable one): converted, then checked by the field's check."""

    def __init__(self, field, kind: type):
        self.field, self.kind = field, kind
        self.name = "integer" if kind is int else "text"

    def get_metavar(self, param, ctx=None):
        choices = self.field.metadata["choices"]
        return "[" + "|".join(str(c) for c in choices) + "]" if choices else None

    def convert(self, value, param, ctx):
        if value is None:
            return None
        if self.kind is int and not isinstance(value, int):
            try:
                value = int(str(value).strip())
            except ValueError:
                raise refused(ctx, SettingError(self.field.name, value, "must be a whole number")) from None
        problem = check_value(self.field, (value,) if self.field.metadata["multiple"] else value)
        if problem:
            raise refused(ctx, SettingError(self.field.name, value, problem))
        return value


def _option(field) -> typing.Callable:
    """A click option for one Config field: `--max-body-bytes` / MOCKSERVER_MAX_BODY_BYTES."""
    kind = typing.get_type_hints(Config)[field.name]
    flag = "--" + field.name.replace("_", "-")
    meta = field.metadata
    extra: dict = {"envvar": "MOCKSERVER_" + field.name.upper(), "show_envvar": True, "show_default": True,
                   "help": meta["help"], "default": field.default}
    if kind is bool:
        return click.option(f"{flag}/--no-{flag[2:]}", field.name, **extra)
    choices = meta["choices"]
    base = type(choices[0]) if choices else int if kind is int else str
    if field.default is None:
        extra["show_default"] = False
    return click.option(flag, field.name, type=SettingType(field, base), multiple=meta["multiple"], **extra)


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
    from .serving import serve as run

    ctx = click.get_current_context()
    try:
        run(Config(**values))
    except SettingError as error:  # a port in use, a state file of another world, a fixtures file unread ...
        raise refused(ctx, error) from None


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
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="File to write (its folder is made).")
def export(out: str, seed: int, employees: int, courses: int) -> None:
    from .world import World

    world = World.build(seed, employees, courses)
    try:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(json.dumps(world.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as error:
        hint = (f": uid {os.getuid()} may not write there (a host folder mounted into the image: "
                "`docker run --user \"$(id -u)\" ...`)") if isinstance(error, PermissionError) else ""
        raise OneLineError(f"--out={shlex.quote(out)}: cannot write it ({error.strerror or error}){hint}") from None
    click.echo(f"wrote {out}: seed {seed}, {len(world.people)} people, {len(world.courses)} courses, "
               f"{len(world.enrollments)} enrollments")


from .contract.commands import contract, proxy  # noqa: E402  (the contract commands live with the contract package)

main.add_command(contract)
main.add_command(proxy)

from .bench.command import bench  # noqa: E402  (the benchmark lives in its own package)

main.add_command(bench)
