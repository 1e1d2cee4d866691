"""Who sees what in matching: a company only the candidates referred to its positions, after referral;
an applicant only their own referrals and matches; the rounds only the JIP office."""

import rules

from companies.rules import company_ids_managed_by, is_company_manager
from jip.rules import is_jip_staff

from .models import ReferralStatus


@rules.predicate
def is_referral_company(user, referral) -> bool:
    return (
        referral is not None
        and referral.status != ReferralStatus.WITHDRAWN
        and referral.position.company_id in company_ids_managed_by(user)
    )


@rules.predicate
def is_referral_applicant(user, referral) -> bool:
    return referral is not None and user.is_authenticated and referral.application.applicant_id == user.pk


@rules.predicate
def is_match_applicant(user, match) -> bool:
    return match is not None and user.is_authenticated and match.application.applicant_id == user.pk


@rules.predicate
def is_match_company(user, match) -> bool:
    return match is not None and match.position.company_id in company_ids_managed_by(user)


rules.add_perm("matching.view_candidates", is_company_manager)
rules.add_perm("matching.view_candidate", is_referral_company)
rules.add_perm("matching.view_my_referrals", rules.is_authenticated & rules.is_active)
rules.add_perm("matching.act_on_referral", is_referral_applicant)
rules.add_perm("matching.answer_match_as_applicant", is_match_applicant)
rules.add_perm("matching.answer_match_as_company", is_match_company)
rules.add_perm("matching.run_rounds", is_jip_staff)
