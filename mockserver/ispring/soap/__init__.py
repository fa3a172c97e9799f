"""SOAP 1.1 as iSpring speaks it: the Spyne service of the table's SOAP rows (service.py), its types (types.py), the
vendor's wire (wire.py) and the fast result writer (render.py)."""
