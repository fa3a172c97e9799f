"""The click commands `mockserver contract verify|check|list` and `mockserver proxy` (cli.py adds them)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import report, vendors
from .junit import document
from .runner import Run, StopRun

VENDOR_NAMES = tuple(vendors.VENDORS)


def _vendor(name: str):
    return vendors.vendor(name)


def _write_junit(path: str | None, title: str, suite: str, rows, stopped: str | None = None) -> None:
    if path:
        Path(path).write_bytes(document(title, suite, rows, stopped))


@click.group()
def contract() -> None:
    """Check the real vendor APIs, or recorded responses, against the contracts."""


@contract.command("list")
@click.option("--vendor", "vendor_name", type=click.Choice(VENDOR_NAMES), help="Only this vendor's operations.")
def list_operations(vendor_name: str | None) -> None:
    """Name every operation the product knows, with its route and contract."""
    chosen = [_vendor(vendor_name)] if vendor_name else list(vendors.VENDORS.values())
    rows = [("OPERATION", "METHOD", "PATH", "KIND", "CONTRACT")]
    for vendor in chosen:
        for op in vendor.operations:
            kind = "failure" if op.method == "*" else "write" if op.write else "read"
            path = op.path + (f" ({op.soap_request})" if op.soap_request else "")
            rows.append((op.qualified, op.method, path, kind, op.contract_names()))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for row in rows:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row[:4], widths)) + "  " + row[4])


AUTH = {
    "ruangkerja": "--token T, or --client-id ID and --client-secret S",
    "ispring": "--token T, --client-id ID and --client-secret S, or --email, --password and --account-url",
}


OPTIONS = {  # the identifiers each vendor's verify can be given instead of discovering them
    "ruangkerja": ("course", "batch", "employee", "learning_plan"),
    "ispring": ("enrollment", "user", "department", "group", "content_item", "task"),
}


def _credentials(vendor: str, values: dict) -> dict:
    token, client = values["token"], (values["client_id"], values["client_secret"])
    login = (values["email"], values["password"], values["account_url"])
    ways = [bool(token), any(client)] + ([any(login)] if vendor == "ispring" else [])
    complete = bool(token) or all(client) or (vendor == "ispring" and all(login))
    if vendor == "ruangkerja" and any(login):
        raise click.UsageError("--email/--password/--account-url are iSpring credentials")
    for name, flags in OPTIONS.items():
        if name != vendor and any(values.get(key) for key in flags):
            given = "/".join(f"--{key.replace('_', '-')}" for key in flags if values.get(key))
            raise click.UsageError(f"{given}: {'iSpring' if name == 'ispring' else 'Ruangkerja'} options only")
    if sum(ways) != 1 or not complete:
        raise click.UsageError(f"give exactly one kind of {vendor} credentials: {AUTH[vendor]}")
    return values


@contract.command()
@click.option("--vendor", "vendor_name", type=click.Choice(VENDOR_NAMES), required=True)
@click.option("--base-url", required=True, help="The API's base URL, e.g. https://api.ruangkerja.id.")
@click.option("--token", help="An access token (skips the token call).")
@click.option("--client-id", help="API client ID (the token call gets a token with it).")
@click.option("--client-secret", help="API client secret.")
@click.option("--email", help="iSpring: legacy login (X-Auth-Email).")
@click.option("--password", help="iSpring: legacy password (X-Auth-Password).")
@click.option("--account-url", help="iSpring: legacy account URL (X-Auth-Account-Url).")
@click.option("--soap-url", help="iSpring: the SOAP endpoint, when not BASE_URL/api/v2/soap/2.0.")
@click.option("--soap-namespace", help="iSpring: the SOAP target namespace of the requests "
              "[default: https://ispringlearn.com/go/services/api/soap].")
@click.option("--course", help="Ruangkerja: a course serial to check instead of discovering one.")
@click.option("--batch", help="Ruangkerja: an offline batch serial of --course to check.")
@click.option("--employee", help="Ruangkerja: an employee ID to read the activity of.")
@click.option("--learning-plan", help="Ruangkerja: a learning plan serial to read the courses and users of.")
@click.option("--enrollment", help="iSpring: an enrollment ID to read instead of discovering one.")
@click.option("--user", help="iSpring: a user ID to read instead of discovering one.")
@click.option("--department", help="iSpring: a department ID to read instead of discovering one.")
@click.option("--group", help="iSpring: a group ID to read (a smart group's, for its rules) instead of discovering one.")
@click.option("--content-item", help="iSpring: a content item (course) ID to read instead of discovering one.")
@click.option("--task", help="iSpring: a task ID to read the status of (no read lists one).")
@click.option("--page-size", type=click.IntRange(1, 100), default=10, show_default=True,
              help="pageSize of each list call.")
@click.option("--allow-writes", is_flag=True, help="Also call write operations (they change the vendor's data).")
@click.option("--check-order", is_flag=True, help="Report keys out of the documented order too.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds to wait for each answer.")
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False, writable=True), help="Write JUnit XML here.")
@click.option("--progress/--no-progress", default=None, help="Progress line on stderr (default: on a terminal).")
def verify(vendor_name: str, base_url: str, allow_writes: bool, check_order: bool, timeout: float,
           junit_path: str | None, progress: bool | None, **values) -> None:
    """Call every read-only operation of a live API and check each answer against its contract.

    Exit status: 0 when every answer conforms, 1 on any violation, 2 when the API cannot be reached or refuses
    the credentials.
    """
    vendor = _vendor(vendor_name)
    options = _credentials(vendor_name, values)
    if options["batch"] and not options["course"]:
        raise click.UsageError("--batch needs --course")
    line = report.Progress(enabled=progress)
    run = Run(vendor, base_url, allow_writes=allow_writes, ordered=check_order, timeout=timeout, on_call=line)
    title = f"mockserver contract verify {vendor_name} {run.base_url}"
    stopped = None
    try:
        run.probe()
        if run.mock is not None:
            click.echo(f"{vendor.title} at {run.base_url}: a mockserver {run.mock['version']} "
                       f"(seed {run.mock['seed']})")
        else:
            click.echo(f"{vendor.title} at {run.base_url}")
        vendor.verify(run, options)
    except StopRun as error:
        stopped = str(error)
    finally:
        line.done()
    if run.rows:
        click.echo(report.table(run.rows))
        click.echo(report.summary(run.rows))
    _write_junit(junit_path, title, vendor_name, run.rows, stopped)
    if stopped:
        click.echo(f"error: {stopped}", err=True)
        sys.exit(report.CANNOT_CHECK)
    sys.exit(report.exit_code(run.rows))


def _infer_operation(path: Path, vendor_name: str | None):
    """contracts/samples/<vendor>/<operation>/<name>.json: the folder names the operation."""
    parent, grand = path.parent.name, path.parent.parent.name
    try:
        return vendors.find(parent, vendor_name or (grand if grand in vendors.VENDORS else None))
    except KeyError:
        raise click.UsageError(f"{path}: say which operation it answers (--operation NAME); its folder "
                               f"{parent!r} names none") from None


@contract.command()
@click.option("--operation", "operation_name", help="The operation the files answer (`contract list` names them); "
              "default: each file's folder name.")
@click.option("--vendor", "vendor_name", type=click.Choice(VENDOR_NAMES), help="When an operation name is ambiguous.")
@click.option("--check-order", is_flag=True, help="Report keys out of the documented order too.")
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False, writable=True), help="Write JUnit XML here.")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def check(operation_name: str | None, vendor_name: str | None, check_order: bool, junit_path: str | None,
          files: tuple[str, ...]) -> None:
    """Check recorded responses (JSON, or XML for iSpring) against an operation's contract.

    Exit status: 0 when every file conforms, 1 on any violation, 2 when a file or operation is unknown.
    """
    from .samples import check_file

    fixed = None
    if operation_name:
        try:
            fixed = vendors.find(operation_name, vendor_name)
        except KeyError as error:
            raise click.UsageError(error.args[0]) from None
    rows = [check_file(fixed or _infer_operation(Path(f), vendor_name), Path(f), ordered=check_order)
            for f in files]
    click.echo(report.table(rows))
    click.echo(report.summary(rows))
    _write_junit(junit_path, "mockserver contract check", "samples", rows)
    sys.exit(report.exit_code(rows))


@click.command()
@click.option("--vendor", "vendor_name", type=click.Choice(VENDOR_NAMES), required=True)
@click.option("--upstream", required=True, help="The real API's base URL, e.g. https://api.ruangkerja.id.")
@click.option("--record", type=click.Path(file_okay=False, writable=True),
              help="Save each checked answer here as a sample: DIR/<vendor>/<operation>/<time>-<n>.json|.xml.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=int, default=8081, show_default=True, help="Port to listen on.")
@click.option("--check-order", is_flag=True, help="Report keys out of the documented order too.")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds to wait for the upstream.")
def proxy(vendor_name: str, upstream: str, record: str | None, host: str, port: int, check_order: bool,
          timeout: float) -> None:
    """Forward requests to the real API unchanged and check every answer against its contract.

    Drift is logged on stderr and listed at GET /__admin/drift.
    """
    from .proxy import serve_proxy

    if not upstream.startswith(("http://", "https://")):
        raise click.UsageError(f"--upstream must be an http:// or https:// URL, got {upstream!r}")
    serve_proxy(_vendor(vendor_name), upstream, host=host, port=port, record=record, ordered=check_order,
                timeout=timeout)
