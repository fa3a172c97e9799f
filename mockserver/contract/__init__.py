"""Checking the real vendor APIs against the contracts: `mockserver contract verify|check|list` and `mockserver proxy`.

catalogue.py  what a vendor plugs in: its operations (its wing's table) and how a response is judged
vendors.py    every vendor, and lookups of an operation by name
validate.py   one response against its operation's contract: a list of `path: reason` differences
              (worded by contracts/wording.py, which the mock's own 400s share)
runner.py     calls operations against a base URL, one row per call; the vendor's verify plan discovers the identifiers
report.py     the table, the progress line and the exit codes
junit.py      the same rows as JUnit XML
samples.py    recorded responses on disk (contracts/samples/, `proxy --record`)
proxy.py      a forwarding proxy that checks every response on its way back and keeps a drift log
"""
