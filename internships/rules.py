"""Who may see and sign which agreement (django-rules). Autodiscovered by rules.apps.AutodiscoverRulesConfig.

An agreement is its parties' and the office's: the intern's agreement is seen by the intern (the applicant of
the placement); the company's by the managers of the position's host company; both by JIP office staff.

Who may see and change what of an internship's preparation (django-rules).

The intern (the applicant of the placement), the managers of the position's host company and JIP office
staff see an internship, its checklist and its schedule; no one else does. The checklist is the office's to
keep, except two items: an intern on the online course asks for a PC, and the host company of an in-person
intern keeps the PC item (FY2024 call: the PC comes from the host company in person, and from the office
online on separate request; docs/program.md §12).
"""

import rules

from companies.rules import company_ids_managed_by
from jip.models import CourseKind
from jip.rules import is_jip_staff

from .models import Agreement, AgreementKind, AgreementVersion, Internship, LogisticsItem, LogisticsKind

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


is_signed_in = rules.is_authenticated & rules.is_active


@rules.predicate
def is_intern_of(user, internship: Internship | None) -> bool:
    return (
        internship is not None
        and user.is_authenticated
        and internship.placement.application.applicant_id == user.pk
    )


@rules.predicate
def is_host_manager_of(user, internship: Internship | None) -> bool:
    return internship is not None and internship.placement.position.company_id in company_ids_managed_by(user)


@rules.predicate
def is_online_internship(user, internship: Internship | None) -> bool:
    return internship is not None and internship.placement.course == CourseKind.ONLINE


@rules.predicate
def is_host_pc_item(user, item: LogisticsItem | None) -> bool:
    """The PC of an in-person intern, which the host company provides."""
    return (
        item is not None
        and item.kind == LogisticsKind.PC
        and item.internship.placement.course == CourseKind.IN_PERSON
        and is_host_manager_of(user, item.internship)
    )


# The pages: signed in; each page then finds only what is the user's own (another's internship is a 404).
rules.add_perm("internships.view_own_internship", is_signed_in)
rules.add_perm(
    "internships.view_internship_of", is_signed_in & (is_intern_of | is_host_manager_of | is_jip_staff)
)
rules.add_perm("internships.request_pc", is_signed_in & is_intern_of & is_online_internship)
rules.add_perm("internships.update_logistics_item", is_signed_in & (is_jip_staff | is_host_pc_item))


# Daily reports (docs/daily-reports.md): the intern writes their own; the host company's managers read and
# review their interns' (another company's are a 404: every read is scoped to the manager's company first);
# the office works in the admin, which asks staff for an authenticator (jip.admin_site).
rules.add_perm("internships.write_daily_report", is_signed_in & is_intern_of)
rules.add_perm("internships.review_daily_reports_of", is_signed_in & is_host_manager_of)
