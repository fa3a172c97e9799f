"""`mockserver bench`: everything started on free loopback ports, measured, reported and stopped again.

The order keeps the measurements apart: cold starts first, on a quiet machine; then our server, the PostgreSQL
replica and the peers, compared route by route; then, the peers stopped, the big world.
"""

from __future__ import annotations

import datetime
import shutil
import signal
import statistics
import sys
import tempfile
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import click
import requests

from .. import __version__
from . import compare, machine, ours, peers, postgres, report, routes, startup
from .load import WRK_MISSING, wrk_path, wrk_version
from .peers import Server
from .processes import Processes
from .targets import evaluate


def _names(value: str, known: tuple[str, ...], what: str, aliases: dict | None = None) -> tuple[str, ...]:
    if value == "all":
        return known
    if value == "none":
        return ()
    chosen: list[str] = []
    for name in (n.strip() for n in value.split(",") if n.strip()):
        for one in (aliases or {}).get(name, (name,)):
            if one not in known:
                raise click.BadParameter(f"{name!r} is no {what} (one of {', '.join(known)}, or all / none)")
            chosen.append(one)
    return tuple(n for n in known if n in chosen)


def masked(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


@contextmanager
def stopped_by_sigterm():
    """SIGTERM as an exception, which unwinds through every `finally`: whatever was started is stopped."""
    def stop(signum, frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def option(*flags, env: str, **kwargs):
    return click.option(*flags, envvar=f"MOCKSERVER_BENCH_{env}", show_envvar=True, show_default=True, **kwargs)


@click.command()
@option("--duration", env="DURATION", type=click.IntRange(1, 3600), default=5, help="Seconds of each wrk run.")
@option("--rounds", env="ROUNDS", type=click.IntRange(1, 100), default=2,
        help="Rounds over every route and server (the table shows medians).")
@option("--warmup", env="WARMUP", type=click.IntRange(0, 600), default=1,
        help="Seconds of unmeasured load before a route's first run on each server (0: none).")
@option("--threads", env="THREADS", type=click.IntRange(1, 64), default=2, help="wrk threads (-t).")
@option("--connections", env="CONNECTIONS", type=click.IntRange(1, 10_000), default=16,
        help="wrk connections (-c).")
@option("--workers", env="WORKERS", type=click.IntRange(1, 256), default=2,
        help="Workers of our server (`mockserver serve --workers`).")
@option("--quick", env="QUICK", is_flag=True, default=False,
        help="A smoke run: 1 s a run, 1 round, no warm-up, 1 cold start.")
@option("--peers", "peer_names", env="PEERS", default="all",
        help="Peers to compare with: all, none, or a comma-separated list of wiremock, prism-static, "
             "prism-dynamic (prism: both).")
@option("--routes", "route_names", env="ROUTES", default="all",
        help="Routes to measure: all, or a comma-separated list of " + ", ".join(routes.ROUTE_NAMES) + ".")
@option("--postgres", env="POSTGRES", default="auto",
        help="One replica on --state postgresql://... against SQLite: a postgresql:// URL to use, auto (a temporary "
             "server when PostgreSQL's initdb and pg_ctl are on the machine) or off.")
@option("--big-world", env="BIG_WORLD", type=click.IntRange(0, 100_000), default=10_000,
        help="Employees of the world measured for build time, memory and the deep page (0: skip).")
@option("--cold-starts", env="COLD_STARTS", type=click.IntRange(0, 20), default=3,
        help="Cold starts of the default world timed (the median is reported).")
@option("--json", "json_path", env="JSON", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="Where to write the whole result.  [default: bench-results/<UTC time>.json]")
@option("--markdown", "markdown_path", env="MARKDOWN", type=click.Path(dir_okay=False, allow_dash=True),
        default=None, help="Also write README's table as Markdown there (- for stdout).")
@option("--cache-dir", env="CACHE_DIR", type=click.Path(file_okay=False, path_type=Path), default=None,
        help="Where WireMock and Prism are installed from npm on first use.  [default: ~/.cache/mockserver-bench]")
def bench(duration, rounds, warmup, threads, connections, workers, quick, peer_names, route_names, postgres,
          big_world, cold_starts, json_path, markdown_path, cache_dir) -> None:
    """Measure this server against WireMock and Prism on the same routes, interleaved, with wrk."""
    from ..cli import OneLineError

    if wrk_path() is None:
        raise OneLineError(WRK_MISSING)
    try:
        wanted_peers = _names(peer_names, peers.PEER_NAMES, "peer",
                              {"prism": ("prism-static", "prism-dynamic")})
        wanted_routes = _names(route_names, routes.ROUTE_NAMES, "route")
    except click.BadParameter as error:
        raise OneLineError(f"--peers/--routes: {error.message}") from None
    if not wanted_routes:
        raise OneLineError("--routes: at least one route")
    if postgres not in ("auto", "off") and not postgres.startswith(("postgresql://", "postgres://")):
        raise OneLineError(f"--postgres={postgres}: must be a postgresql:// URL, auto or off")
    if quick:
        duration, rounds, warmup, cold_starts = 1, 1, 0, min(cold_starts, 1)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    json_path = json_path or Path("bench-results") / f"{now.strftime('%Y-%m-%dT%H%M%SZ')}.json"
    settings = {"duration": duration, "rounds": rounds, "warmup": warmup, "threads": threads,
                "connections": connections, "workers": workers, "employees": 200, "big_world": big_world,
                "cold_starts": cold_starts,
                "peers": list(wanted_peers), "routes": list(wanted_routes), "quick": quick}
    result = {"date": now.isoformat(), "machine": machine.describe(), "settings": settings,
              "versions": {"mockserver": __version__, "wrk": wrk_version(),
                           "java": machine.tool_version(["java", "-version"]),
                           "node": machine.tool_version(["node", "--version"])}}

    def echo(line: str) -> None:
        click.echo(line, err=True)

    folder = Path(tempfile.mkdtemp(prefix="mockserver-bench-"))  # the servers' logs, kept when a run fails
    try:  # the processes stopped first, then PostgreSQL
        with stopped_by_sigterm(), ExitStack() as cleanup, Processes() as processes:
            measure(result, processes, cleanup, folder, wanted_routes, wanted_peers, postgres, cache_dir, echo)
    except (RuntimeError, requests.RequestException, OSError) as error:  # a server, wrk or a peer failed us
        raise OneLineError(f"{error} (logs in {folder})") from None
    except KeyboardInterrupt:
        shutil.rmtree(folder, ignore_errors=True)
        echo("interrupted: every process the benchmark started is stopped")
        sys.exit(130)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    shutil.rmtree(folder, ignore_errors=True)
    result["targets"] = evaluate(result)
    report.write_json(result, json_path)
    click.echo(report.text(result))
    click.echo(f"\nwrote {json_path}")
    if markdown_path == "-":
        click.echo("\n" + report.markdown(result))
    elif markdown_path:
        Path(markdown_path).write_text(report.markdown(result), encoding="utf-8")
        click.echo(f"wrote {markdown_path}")


def measure(result: dict, processes: Processes, cleanup: ExitStack, folder: Path, route_names: tuple[str, ...],
            peer_names: tuple[str, ...], postgres_choice: str, cache_dir: Path | None, echo) -> None:
    s = result["settings"]
    runs = dict(seconds=s["duration"], threads=s["threads"], connections=s["connections"])
    start: dict = {"cold_starts": []}
    if s["cold_starts"]:
        echo(f"{s['cold_starts']} cold start(s) of `mockserver serve`")
        start["cold_starts"] = startup.cold_starts(processes, folder, workers=s["workers"], samples=s["cold_starts"])
    main = ours.start(processes, folder, "ours", workers=s["workers"])
    start["main_first_200_s"] = main.first_200_seconds
    samples = [c["first_200_s"] for c in start["cold_starts"]] or [main.first_200_seconds]
    start["cold_start_s"] = statistics.median(samples)
    start["build_s"] = statistics.median([c["build_s"] for c in start["cold_starts"] if c["build_s"] is not None]
                                         or [main.build_seconds or 0])
    start["rss_mb_idle"] = main.worker_rss_mb()
    result["startup"] = start
    echo(f"our server up in {main.first_200_seconds:.2f} s; finding the routes")
    found = routes.discover(main.url, route_names)
    result["routes"] = [{"name": r.name, "title": r.title, "kind": r.kind} for r in found]
    servers = [Server("ours", main.url, stateful=True, version=__version__)]
    servers += postgres_replica(result, processes, cleanup, folder, s["workers"], postgres_choice, echo)
    if peer_names:
        echo("starting the peers: " + ", ".join(peer_names))
    started = peers.start(processes, folder, peer_names, main.url, found, echo, cache_dir)
    for peer in started:
        if peer.problem:
            echo(f"  {peer.label}: not run ({peer.problem})")
    servers += started
    result["versions"] |= {"wiremock": next((p.version for p in started if p.name == "wiremock"), None),
                           "prism": next((p.version for p in started if p.name.startswith("prism")), None)}
    result["servers"] = [{"name": sv.name, "label": sv.label, "version": sv.version, "problem": sv.problem}
                         for sv in servers]
    echo(f"comparing: {len(found)} routes x {len([sv for sv in servers if not sv.problem])} servers x "
         f"{s['rounds']} rounds of {s['duration']} s")
    result["runs"] = compare.compare(found, servers, rounds=s["rounds"], warmup=s["warmup"], echo=echo, **runs)
    result["table"] = compare.summarise(result["runs"], found, servers)
    start["rss_mb_loaded"] = main.worker_rss_mb()
    processes.close()  # the big world is measured with nothing else running
    cleanup.close()
    if s["big_world"]:
        echo(f"a world of {s['big_world']:,} employees")
        try:
            result["big_world"] = startup.world(processes, folder, employees=s["big_world"], workers=s["workers"],
                                                **runs, echo=echo)
        except ours.ServerFailed as error:
            result["big_world"] = {"problem": str(error).splitlines()[0]}


def postgres_replica(result: dict, processes: Processes, cleanup: ExitStack, folder: Path, workers: int,
                     choice: str, echo) -> list[Server]:
    """Our server on --state postgresql://: on the URL given, or a temporary PostgreSQL; none, saying why."""
    def skipped(reason: str) -> list[Server]:
        result["postgres"] = {"status": "skipped", "reason": reason}
        echo(f"PostgreSQL state: comparison skipped ({reason})")
        return []

    if choice == "off":
        return skipped("--postgres off")
    url, source, version = choice, "the URL given", None
    if choice == "auto":
        binaries = postgres.binaries()
        if binaries is None:
            return skipped("no PostgreSQL server binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql: "
                           "apt-get install postgresql, or give --postgres postgresql://...")
        echo("starting a temporary PostgreSQL")
        database = postgres.PostgresServer(binaries)
        cleanup.callback(database.cleanup)
        try:
            database.start()
        except Exception as error:  # initdb or pg_ctl refused: the rest of the run goes on
            detail = getattr(error, "stderr", "") or str(error)
            return skipped(f"the temporary PostgreSQL did not start: {detail.strip().splitlines()[-1][:200]}")
        url, source, version = database.url, "a temporary server", database.version()
    try:
        replica = ours.start(processes, folder, "ours-postgres", workers=workers, state=url)
    except ours.ServerFailed as error:
        return skipped(f"our server on {masked(url)} did not start: {str(error).splitlines()[-1].strip()}")
    result["postgres"] = {"status": "measured", "source": source, "url": masked(url), "version": version}
    result["versions"]["postgresql"] = version
    return [Server("ours-postgres", replica.url, stateful=True, serves_our_bytes=True, version=version or "")]
