"""Contracts of the mock's own admin routes."""

from .base import StrictSchema, one_of
from .fields import Int, Str


class HealthSchema(StrictSchema):
    status = Str(validate=one_of("ok"))
    seed = Int()
    version = Str()


class ResetSchema(StrictSchema):
    status = Str(validate=one_of("ok"))
    seq = Int()  # the reset's place in the shared log
