"""The consumer's own `contracts` package: a name many projects use. mockserver must not shadow it, nor be shadowed."""

COURSE_FIELDS = ("serial", "name", "description")
