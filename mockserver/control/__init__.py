"""The control plane for tests and QA: see what was called (the request journal), break it on purpose (faults and
named scenarios), override one answer (stubs); all of it in the shared SQLite file, in force on every worker.

incoming.py   what a vendor request is before its handler runs (vendor, row, path, body)
plane.py      the request hooks (faults, stubs, the journal entry) and the WSGI wrapper for truncated/drop
faults.py     fault specs, the X-Mockserver-Fault header, matching and acting
scenarios.py  named scenarios, each one fault
stubs.py      stub specs, matching and their answers
journal.py    journal entries with the secrets masked
store.py      their rows in the shared state
routes.py     the admin rows (admin.py's table takes them)
"""

from .plane import init_app

__all__ = ["init_app"]
