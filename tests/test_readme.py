"""README's Routes section names every operation of the tables, so the documentation cannot fall behind them."""

import re
from pathlib import Path

import pytest

from mockserver.wings import WINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
ROUTES = README[README.index("## Routes"):README.index("## Configuration")]


def _documented_as(op) -> str:
    """Ruangkerja's docs write path parameters `:name`, iSpring's spec `{name}`: README follows each vendor."""
    path = op.path if op.vendor == "ruangkerja" else re.sub(r":(\w+)", r"{\1}", op.path)
    return f"{op.method} {path}"


ROWS = [op for wing in WINGS for op in wing.OPERATIONS]


@pytest.mark.parametrize("op", ROWS, ids=[op.qualified for op in ROWS])
def test_routes_section_names_the_operation(op):
    if op.soap is not None:
        assert f"`{op.name.removeprefix('soap.')}`" in ROUTES
    else:
        assert re.search(rf"`{re.escape(_documented_as(op))}[`? ]", ROUTES)
