"""The shared state in one SQLite file (WAL), for the workers of one machine: the embedded default.

Connections are per process and thread: gunicorn forks after the app is built, and a SQLite connection must not
cross a fork. One writer at a time is SQLite's own: BEGIN IMMEDIATE takes the file's write lock.

The file is the one the server started on, or nothing: a file deleted (or replaced) while the server runs would leave
the workers that have it open writing to the deleted one and a worker started later on a new one, two worlds. So each
request first looks at the path (`verify`: one stat, compared with the file's device and inode when the server
started, and its write permission; a write asks the kernel too) and answers StateUnavailableError, the vendor's 503,
while it is not that file or not writable, said in one log line per worker; a connection opens an existing file only
(`mode=rw`), so no worker makes a new one where the old one was deleted.

The WAL is checkpointed into the file every CHECKPOINT_PAGES pages and truncated after a reset (`compact`), so
steady writes keep it bounded.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
import threading
from contextlib import contextmanager
from typing import Iterable, Iterator
from urllib.parse import quote

from ..config import SettingError
from ..errors import StateUnavailableError
from ..state_files import TEMPORARY_PREFIX, create_private, remove_stale_temporaries
from .base import SharedState

log = logging.getLogger("mockserver")
BUSY_TIMEOUT_SECONDS = 30  # how long a statement waits for another process's write lock
CHECKPOINT_PAGES = 1000  # SQLite's default: the WAL is copied into the file (and its pages reused) past ~4 MB
WAL_LIMIT_BYTES = 4 << 20  # what a WAL grown past that (a checkpoint a long reader held off) is cut back to


class SqliteState(SharedState):
    BACKEND = "sqlite"

    def __init__(self, path: str | None = None, belongs_to: dict[str, str] | None = None):
        """The state file at `path` (a fresh temporary one if None); `belongs_to` claims it for one world."""
        if path is None:
            remove_stale_temporaries()
            # the creating process's pid in the name: a later start can tell the file of a killed server (0600)
            handle, path = tempfile.mkstemp(prefix=f"{TEMPORARY_PREFIX}{os.getpid()}-", suffix=".sqlite3")
            os.close(handle)
            self.temporary = True
        else:
            self.temporary = False
            create_private(path)
        self.path = path
        self._local = threading.local()
        self._file: tuple[int, int] | None = None  # (device, inode) of the file the server started on
        self._said: str | None = None  # the problem this process last logged
        self._check_writable()
        try:
            self._connection().execute("PRAGMA journal_mode=WAL")
            with self.locked():
                self._create_schema("INTEGER PRIMARY KEY AUTOINCREMENT", "REAL")
            if belongs_to is not None:
                self._claim(belongs_to)
        except sqlite3.Error as error:
            raise SettingError("state", path, f"not a state file this mockserver can use ({error})") from None
        found = os.stat(path)
        self._file = (found.st_dev, found.st_ino)  # the workers fork with it: the file they all must write

    def _check_writable(self) -> None:
        """SQLite in WAL mode writes the file and, beside it, `-wal` and `-shm`: the folder must be writable too."""
        folder = os.path.dirname(os.path.abspath(self.path))
        if os.path.isdir(self.path):
            problem = "a folder, not a file: name a file in it, e.g. " + os.path.join(self.path, "state.sqlite")
        elif not os.path.isdir(folder):
            problem = f"its folder {folder} does not exist"
        elif not os.access(folder, os.W_OK | os.X_OK):
            problem = (f"its folder {folder} is not writable by uid {os.getuid()}: give that uid the folder (for a "
                       f"host folder mounted into the image: `chown {os.getuid()}` it, podman's `:U`, or `docker run "
                       "--user \"$(id -u)\"`), or name a file elsewhere")
        elif os.path.exists(self.path) and not os.access(self.path, os.W_OK):
            problem = f"not writable by uid {os.getuid()}: make it writable for that user, or name a file elsewhere"
        else:
            return
        raise SettingError("state", self.path, problem)

    def _connection(self) -> sqlite3.Connection:
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            # isolation_level=None: we open transactions ourselves (BEGIN IMMEDIATE in `locked`).
            # mode=rw: never create the file again where it was deleted (verify says so instead)
            try:
                db = sqlite3.connect(f"file:{quote(os.path.abspath(self.path))}?mode=rw", uri=True,
                                     timeout=BUSY_TIMEOUT_SECONDS,
                                     isolation_level=None, check_same_thread=False)
            except sqlite3.OperationalError:
                self.verify()  # the file is gone or read-only: StateUnavailableError, said once
                raise
            local.db = db
            local.db.execute("PRAGMA synchronous=NORMAL")
            local.db.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
            local.db.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
            local.pid = os.getpid()
        return local.db

    def execute(self, sql, args=()):
        return self._connection().execute(sql, tuple(args))

    def executemany(self, sql, rows) -> None:
        self._connection().executemany(sql, rows)

    def verify(self, writing: bool = False) -> None:
        """One stat per request: the file the server started on, with write permission left. A write (`locked`)
        also asks the kernel whether this process may write it (an immutable file, a read-only mount, another
        owner), a second system call that reads can do without."""
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            problem = "was deleted"
        except OSError as error:
            problem = f"cannot be looked at ({error.strerror})"
        else:
            if self._file is not None and (found.st_dev, found.st_ino) != self._file:
                problem = "was replaced by another file"
            elif not found.st_mode & 0o222 or (writing and not os.access(self.path, os.W_OK)):
                problem = "was made read-only"
            else:
                if self._said is not None:
                    log.warning("state file %s is writable again: worker %s serves", self.path, os.getpid())
                    self._said = None
                return
        if self._said != problem:
            self._said = problem
            until = ("until it is writable again" if problem == "was made read-only" else
                     "until the server is restarted (a new state, the file's writes gone)")
            log.error("state file %s %s while the server ran: worker %s answers 503 %s", self.path, problem,
                      os.getpid(), until)
        raise StateUnavailableError(f"the shared state is unavailable: the state file {self.path} {problem} while "
                                    "the server ran")

    def compact(self, start: int, standing: Iterable[Iterable[str]] = ()) -> int:
        """As SharedState's, and the WAL truncated after the transaction (a reset is a moment to give space back)."""
        self._local.truncate_wal = True
        return super().compact(start, standing)

    @contextmanager
    def locked(self) -> Iterator[None]:
        self.verify(writing=True)
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._local.truncate_wal = False
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        if getattr(self._local, "truncate_wal", False):
            self._local.truncate_wal = False
            # Without waiting: a reader on the WAL makes it answer busy at once (journal_size_limit bounds it then).
            db.execute("PRAGMA busy_timeout=0")
            try:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except sqlite3.OperationalError:
                pass  # busy: the next checkpoint does it
            finally:
                db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")

    def glob(self, column: str, pattern: str) -> tuple[str, str]:
        return f"{column} GLOB ?", pattern

    def remove(self) -> None:
        """Delete a temporary state file (and its WAL companions) when the server stops."""
        if self.temporary:
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.unlink(self.path + suffix)
                except FileNotFoundError:
                    pass
