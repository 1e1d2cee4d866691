from . import agreements, daily_reports, placements, preparation  # noqa: F401  (each module registers its models)
