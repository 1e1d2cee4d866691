"""Who may see and sign which agreement (django-rules). Autodiscovered by rules.apps.AutodiscoverRulesConfig.

An agreement is its parties' and the office's: the intern's agreement is seen by the intern (the applicant of
the placement); the company's by the managers of the position's host company; both by JIP office staff.
"""

import rules

from jip.rules import company_ids_managed_by, is_jip_staff

from .models import Agreement, AgreementKind, AgreementVersion

is_signed_in = rules.is_authenticated & rules.is_active


@rules.predicate
def is_agreement_party(user, agreement: Agreement | None) -> bool:
    if agreement is None or not user.is_authenticated:
        return False
    placement = agreement.placement
    if agreement.kind == AgreementKind.INTERN:
        return placement.application.applicant_id == user.pk
    return placement.position.company_id in company_ids_managed_by(user)


@rules.predicate
def is_agreement_version_party(user, version: AgreementVersion | None) -> bool:
    return version is not None and is_agreement_party(user, version.agreement)


rules.add_perm("internships.use_agreements", is_signed_in)
rules.add_perm("internships.view_agreement_of", is_signed_in & (is_agreement_party | is_jip_staff))
rules.add_perm("internships.sign_agreement", is_signed_in & is_agreement_party)
rules.add_perm("internships.view_agreement_file", is_signed_in & (is_agreement_version_party | is_jip_staff))
