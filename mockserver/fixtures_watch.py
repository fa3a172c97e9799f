"""`--fixtures FILE` is watched: an edit reloads the world on every worker, without a restart.

Each worker, before a request, compares the file's stamp (mtime, size, inode: one stat) with the one it saw last.
When it changed, the worker reads the file and, if its content is not the world's already, records the content as
one event of the shared log (world/driving.py FIXTURES_LOADED): every worker loads that same content when it applies
the event, even if the file changes again meanwhile. A bad edit (not JSON, not a world) keeps the old world and logs
one line; the next good edit loads. Writes made before a reload are dropped, as by a reset: the file is a new
pristine world.
"""

from __future__ import annotations

import hashlib
import logging
import os

from flask import Flask

from .config import SettingError
from .context import runtime
from .world import driving

log = logging.getLogger("mockserver")


class FixturesWatch:
    def __init__(self, path: str):
        self.path = path
        self.stamp: tuple | None = None  # None: not looked at yet by this worker (a restart may replay older content)

    def check(self) -> None:
        try:
            found = os.stat(self.path)
            stamp = (found.st_mtime_ns, found.st_size, found.st_ino)
        except OSError as error:
            stamp = ("unreadable", error.errno)
        if stamp == self.stamp:
            return
        self.stamp = stamp
        from .app import parse_fixtures, read_fixtures  # app.py mounts this module

        rt = runtime()
        try:
            content = read_fixtures(self.path)
            sha256 = hashlib.sha256(content).hexdigest()
            rt.world.catch_up(rt.state)
            if sha256 == rt.world.loaded_sha256:
                return
            data = parse_fixtures(self.path, content)[1]
        except SettingError as error:
            log.warning("--fixtures %s: the edit is not loaded, the world stays as it was: %s", self.path,
                        error.reason)
            return
        if driving.load_fixtures(rt.world, rt.state, sha256, data):
            log.warning("--fixtures %s changed: reloaded the world on every worker (writes before it dropped)",
                        self.path)


def init_app(app: Flask, path: str) -> None:
    app.before_request(FixturesWatch(path).check)
