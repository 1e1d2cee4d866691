"""Who may see what of an application: the applicant who owns it, and JIP office staff."""

import rules

from jip.rules import is_jip_staff


@rules.predicate
def is_applicant_owner(user, application) -> bool:
    return application is not None and user.is_authenticated and application.applicant_id == user.pk


@rules.predicate
def is_document_owner(user, document) -> bool:
    return document is not None and is_applicant_owner(user, document.application)


rules.add_perm("applicants.apply", rules.is_authenticated & rules.is_active)
rules.add_perm("applicants.view_application_of", is_applicant_owner | is_jip_staff)
# A company reads the CV of a candidate referred to it through matching's own page (matching.view_candidate).
rules.add_perm("applicants.view_document_file", is_document_owner | is_jip_staff)
