"""The small vendor-neutral framework both wings stand on.

operation.py  an operation row: everything about one vendor operation, declared once
routing.py    the rows as Flask routes: one generic view per row, the auth gate, the wing's answer
paging.py     the two paging styles (numbered pages, page tokens), done once
checking.py   --check-contracts: a body that breaks its contract becomes an error naming the violation
openapi.py    the OpenAPI document of every REST row of every table (apispec, from the contracts)
xml.py        the one hardened XML parser, for the server and the verifier alike
"""
