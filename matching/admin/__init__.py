"""The JIP office's matching workplace: referrals with their fit, fixed pairs, and matching rounds
(run, read the reasons, approve with the screening committee's decision, publish)."""

from . import pairs, referrals, rounds  # noqa: F401  (each module registers its models)
