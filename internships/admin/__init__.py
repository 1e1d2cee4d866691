from . import agreements, placements, preparation  # noqa: F401  (each module registers its models)
