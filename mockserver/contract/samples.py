"""Recorded responses on disk: contracts/samples/<vendor>/<operation>/<name>.json|.xml, as `proxy --record` writes them.

A sample is a response body exactly as the vendor sent it (or, for the doc examples, as the docs print it with its
JSON typos mended: contracts/samples/README.md lists each mend). Samples of failures sit in the `error` folder.
"""

from __future__ import annotations

from pathlib import Path

from mockserver import contracts

from ..api.operation import Operation
from .vendors import vendor
from .runner import FAIL, PASS, Row

CONTENT_TYPES = {".json": "application/json", ".xml": "application/xml"}
ROOT = Path(contracts.__file__).resolve().parent / "samples"


def check_file(op: Operation, path: Path, *, ordered: bool = False) -> Row:
    body = path.read_bytes()
    content_type = CONTENT_TYPES.get(path.suffix.lower())
    contract, differences = vendor(op.vendor).judge(op, 200, body, content_type, ordered=ordered)
    return Row(op.qualified, str(path), None, FAIL if differences else PASS, differences, contract)


def all_samples(root: Path = ROOT) -> list[Path]:
    return sorted(p for p in root.glob("*/*/*") if p.suffix.lower() in CONTENT_TYPES)
