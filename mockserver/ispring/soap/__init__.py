"""SOAP 1.1 as iSpring speaks it: the Spyne service of the table's SOAP rows (service.py), its types (types.py), the
vendor's wire (wire.py) and the fast result writer (render.py)."""

from . import spyne_compat  # noqa: F401  (before any Spyne import: Spyne 2.14 on Python 3.12+)
