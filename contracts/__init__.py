"""Marshmallow contracts of the vendor responses. Imports nothing from mockserver."""
