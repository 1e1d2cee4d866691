from . import agreements, daily_reports, funds, placements, preparation  # noqa: F401  (each module registers its models)
