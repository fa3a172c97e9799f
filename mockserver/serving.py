"""`mockserver serve`: gunicorn with several workers, the app (and its world) built once before they fork."""

from __future__ import annotations

import sys
import time

from gunicorn.app.base import BaseApplication

from . import __version__, ispring, ruangkerja
from .app import create_app
from .config import Config


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
        # One request at a time per process: a worker applies shared writes to its world in place, and no reader
        # may see one half-applied. Parallelism comes from the processes; gthread keeps connections alive.
        self.cfg.set("worker_class", "gthread")
        self.cfg.set("threads", 1)
        self.cfg.set("preload_app", True)
        self.cfg.set("control_socket_disable", True)  # several servers may run side by side (tests, CI)
        self.cfg.set("when_ready", lambda server: print(self.banner(), file=sys.stderr, flush=True))
        self.cfg.set("on_exit", lambda server: self.application.extensions["mockserver"].state.remove())

    def load(self):
        return self.application

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
        ]
        return "\n".join(lines)


def serve(config: Config) -> None:
    MockServer(config).run()
