"""Mock and contract-test server for the Ruangkerja and iSpring Learn APIs."""

__version__ = "0.1.0"
