"""`mockserver serve`: gunicorn with several workers, the app (and its world) built once before they fork; each worker
reads and writes connections in many threads and answers one request at a time (http_worker.py)."""

from __future__ import annotations

import ctypes
import errno
import socket
import sys
import time

from gunicorn.app.base import BaseApplication

from . import __version__, access, ispring, ruangkerja
from .app import create_app
from .config import Config, SettingError
from .http_worker import THREADS, OneAtATime, Worker


class MockServer(BaseApplication):
    def __init__(self, config: Config):
        self.mock_config = config
        started = time.perf_counter()
        self.application = create_app(config)
        self.build_seconds = time.perf_counter() - started
        super().__init__()

    def load_config(self) -> None:
        config = self.mock_config
        self.cfg.set("bind", f"{config.host}:{config.port}")
        self.cfg.set("workers", config.worker_count)
        # Parallelism comes from the processes; a worker's threads wait on slow connections (http_worker.py).
        self.cfg.set("worker_class", Worker)
        self.cfg.set("threads", THREADS)
        self.cfg.set("preload_app", True)
        self.cfg.set("control_socket_disable", True)  # several servers may run side by side (tests, CI)
        self.cfg.set("when_ready", lambda server: print(self.banner(), file=sys.stderr, flush=True))
        self.cfg.set("on_exit", lambda server: self.application.extensions["mockserver"].state.remove())

    def load(self):
        return OneAtATime(self.application, self.mock_config.max_body_bytes)

    def banner(self) -> str:
        config = self.mock_config
        rt = self.application.extensions["mockserver"]
        world = rt.world
        base = f"http://{config.host}:{config.port}"
        source = f"fixtures {config.fixtures}" if config.fixtures else f"seed {world.seed}"
        lines = [
            f"mockserver {__version__}: {source}, {len(world.people)} people, {len(world.courses)} courses "
            f"(built in {self.build_seconds:.2f} s), {config.worker_count} workers",
            *ruangkerja.describe(config, base),
            *ispring.describe(config, base),
            f"  Admin        {base}/__admin/health",
            f"  State        {rt.state.path}" + (" (temporary, removed on exit)" if rt.state.temporary else ""),
            *access.describe(config),
        ]
        return "\n".join(lines)


def check_listen(host: str, port: int) -> None:
    """Bind once before anything else, so that a port in use is one line now, not gunicorn's retries for 5 s."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as error:
        raise SettingError("host", host, f"cannot listen there ({getattr(error, 'strerror', None) or error})") \
            from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise SettingError("port", port, f"{host}:{port} is in use: stop what listens there, or choose "
                                   "another port") from None
            if error.errno == errno.EACCES:
                raise SettingError("port", port, f"this user may not listen on {port}: choose one above 1023") \
                    from None
            raise SettingError("host", host, f"cannot listen on {host}:{port} ({error.strerror or error})") from None


def with_access_log_default(config: Config, console) -> Config:
    """No --access-log given: a line per request on a terminal; none when the console goes to a file or a pipe."""
    if config.access_log is not None:
        return config
    return config.replace(access_log="text" if console.isatty() else "off")


def few_malloc_arenas(count: int = 2) -> None:
    """glibc gives each thread that allocates under contention an arena of its own, up to 8 per core, and memory freed
    in one is not reused by another: with a worker's 32 connection threads its RSS crept up under a steady load. Set
    in the master, inherited by the workers it forks; nothing on another C library."""
    try:
        ctypes.CDLL(None).mallopt(-8, count)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


def serve(config: Config) -> None:
    """Check what can be checked before building anything, then run gunicorn until it is stopped."""
    config = with_access_log_default(config, sys.stderr)
    check_listen(config.host, config.port)
    few_malloc_arenas()
    MockServer(config).run()
