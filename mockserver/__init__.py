"""Mock and contract-test server for the Ruangkerja and iSpring Learn APIs."""

import os as _os

__version__ = "0.1.0"

# The contracts are mockserver.contracts. The wheel has them inside this package (pyproject.toml maps contracts/ to
# mockserver/contracts); a checkout has them at the repository root, beside it, and they are found there.
if not _os.path.isdir(_os.path.join(__path__[0], "contracts")):
    __path__.append(_os.path.dirname(__path__[0]))
