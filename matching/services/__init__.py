"""Every change in matching: referrals, scores, interviews, rankings, fixed pairs, rounds and answers.

A module per area; callers use the names below. One function per change, in a transaction, with an audit
entry; the people concerned are told by e-mail through Celery, in their own language (docs/program.md §8–10).
"""

from .interviews import MAX_SLOTS, interview_outcome_record, interview_propose, interview_slot_choose
from .matches import match_respond, placement_create
from .preferences import applicant_ranking_set, company_ranking_set
from .referrals import (
    BulkOutcome,
    candidate_score,
    referral_create,
    referral_decline,
    referral_withdraw,
    referrals_create,
)
from .rounds import pair_constraint_remove, pair_constraint_set, round_approve, round_publish, round_run

__all__ = [
    "MAX_SLOTS", "BulkOutcome", "applicant_ranking_set", "candidate_score", "company_ranking_set",
    "interview_outcome_record", "interview_propose", "interview_slot_choose", "match_respond",
    "pair_constraint_remove", "pair_constraint_set", "placement_create", "referral_create",
    "referral_decline", "referral_withdraw", "referrals_create", "round_approve", "round_publish",
    "round_run",
]  # fmt: skip
