"""The wings, in the order they claim paths for errors: iSpring last, as it owns every path of the root the others
do not (as on the real hosts, where every other path is iSpring Learn's)."""

from . import admin, ispring, ruangkerja

WINGS = (ruangkerja, admin, ispring)
