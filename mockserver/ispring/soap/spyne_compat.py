"""Makes Spyne 2.14 (its last release, 2021) import on Python 3.12 and 3.13. Imported before any `spyne` module.

What it mends:
- Python 3.12 no longer calls a meta path importer's `find_module`/`load_module` (PEP 451 only). Spyne bundles an old
  six (`spyne/util/six.py`) whose `spyne.util.six.moves` importer has only those, so `import spyne` fails with
  "No module named 'spyne.util.six.moves'". The finder below gives that importer the `find_spec`/`create_module`/
  `exec_module` trio that six 1.16 added to its own, the moment the bundled six is loaded, then steps aside.
- Python 3.13 removed `cgi`, which Spyne's SOAP and WSGI modules import for `parse_header`: the `legacy-cgi`
  package (a dependency on 3.13 only, see pyproject.toml) puts the very same module back. Nothing to do here.
- Spyne forces a full garbage collection after a call once a second: switched off at the end of this module (that
  shim stays as long as Spyne does).

When it can go: when Spyne publishes a release with six >= 1.16 and without `cgi` (its master branch has both), or
when the SOAP layer (mockserver/ispring/soap/, the only place that imports Spyne) no longer uses Spyne. Then delete
this module, its import in mockserver/ispring/soap/__init__.py and the `legacy-cgi` dependency.
"""

from __future__ import annotations

import importlib.util
import sys

BUNDLED_SIX = "spyne.util.six"


def _find_spec(self, fullname, path=None, target=None):
    return importlib.util.spec_from_loader(fullname, self) if fullname in self.known_modules else None


def _create_module(self, spec):
    return self.load_module(spec.name)


def _exec_module(self, module):
    pass


class _BundledSixFinder:
    """Waits on sys.meta_path for the first `spyne.util.six.moves` import, mends that importer's class, then leaves."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        six = sys.modules.get(BUNDLED_SIX)
        if six is None or not fullname.startswith(BUNDLED_SIX + "."):
            return None
        importer = six._importer
        kind = type(importer)
        if not hasattr(kind, "find_spec"):
            kind.find_spec, kind.create_module, kind.exec_module = _find_spec, _create_module, _exec_module
        sys.meta_path.remove(_BundledSixFinder)
        return importer.find_spec(fullname, path)


if sys.version_info >= (3, 12) and "spyne" not in sys.modules:
    sys.meta_path.insert(0, _BundledSixFinder)


# --- no forced garbage collection -------------------------------------------------------------------------------
# Spyne's MethodContext.close() (spyne/context.py) runs gc.collect() after a call whenever more than
# spyne.const.MIN_GC_INTERVAL (1 s) passed since the last one, "to have file descriptors returned in a timely manner"
# (its file uploads: this service takes none). A full collection in a worker holding the world stalls that call for
# milliseconds, once a second per worker: SOAP's p99.9 was 34 ms against REST's 3.6 ms. Python's own generational
# collector still runs as usual. An infinite interval is the switch Spyne's own test uses (test_no_gc_collect); the
# constant is read at each call, so setting it here, once, is enough.
import spyne.const  # noqa: E402  (after the finder above: `import spyne` needs it on Python 3.12+)

spyne.const.MIN_GC_INTERVAL = float("inf")
