"""Helpers of the tests (no fixtures: those are in tests/conftest.py).

apps          an app on the small seeded world the tests share, and the check of its JSON answers
fuzzing       schemathesis against the app in-process: rows, tokens, world dictionaries, Accept, the XML reader
ispring_spec  the official iSpring REST spec (../shared/specs/) and its XML read by the spec's own xml hints
ispring_wire  iSpring SOAP envelopes and REST bodies built with lxml, and answers checked on the wire
nested        a pytest run inside a test: its exit code and each inner test's outcome, from its JUnit XML
outcomes      what a `mockserver contract verify|check` run decided, from its JUnit XML, not its table
servers       WSGI apps served on a loopback port in a thread, and real `mockserver serve` processes
upstream      a local stand-in for the real Ruangkerja API, which can drift
"""
