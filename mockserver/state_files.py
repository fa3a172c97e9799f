"""The state file on disk: created private (it holds access tokens), and a temporary one a killed server left
behind found and removed at the next start.

A temporary state file is named `mockserver-state-<pid>-<random>.sqlite3` after the process that created it (the
gunicorn master, which builds the app before it forks). It is removed when the server stops; after a SIGKILL it
stays, and the next start that makes a temporary file removes those whose process is gone: same user, and no
process of that pid. (A pid reused by an unrelated process keeps its file until that process ends: the check never
removes a live server's file, at worst it leaves a dead one's a while longer.)
"""

from __future__ import annotations

import glob
import os
import re
import tempfile

TEMPORARY_PREFIX = "mockserver-state-"
_TEMPORARY = re.compile(re.escape(TEMPORARY_PREFIX) + r"([0-9]+)-[A-Za-z0-9_]+\.sqlite3")
COMPANIONS = ("", "-wal", "-shm")  # SQLite in WAL mode writes these beside the file (with the file's mode)


def create_private(path: str) -> None:
    """Create `path` empty and readable by its owner only (0600), unless it exists: SQLite would create it with the
    umask's mode (0644 as a rule), and the WAL and shared-memory files SQLite adds copy the file's mode."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:
        pass  # a folder it cannot be made in: SharedState's own check says why, in its words


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def remove_stale_temporaries(folder: str | None = None) -> list[str]:
    """Remove the temporary state files (and companions) in `folder` (the temp dir) of this user whose creating
    process is gone; the paths removed."""
    removed = []
    for path in glob.glob(os.path.join(folder or tempfile.gettempdir(), f"{TEMPORARY_PREFIX}*.sqlite3")):
        found = _TEMPORARY.fullmatch(os.path.basename(path))
        try:
            if found is None or os.stat(path).st_uid != os.getuid() or _alive(int(found[1])):
                continue
        except OSError:
            continue
        for suffix in COMPANIONS:
            try:
                os.unlink(path + suffix)
            except OSError:
                pass
        removed.append(path)
    return removed
