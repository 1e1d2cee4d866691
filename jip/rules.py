"""Named permission predicates (django-rules), the one place that says who may do what.

Roles: every sign-up is an applicant; a company manager is a user who manages a host company;
JIP office staff are staff users in the "JIP staff" group (or superusers).
"""

import rules

JIP_STAFF_GROUP = "JIP staff"


@rules.predicate
def is_jip_staff(user) -> bool:
    if not (user and user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_jip_is_staff", None)
    if cached is None:
        cached = user.groups.filter(name=JIP_STAFF_GROUP).exists()
        user._jip_is_staff = cached
    return cached


def company_ids_managed_by(user) -> frozenset[int]:
    """The host companies this user manages, read once per request-bound user object."""
    if not (user and user.is_authenticated):
        return frozenset()
    cached = getattr(user, "_jip_company_ids", None)
    if cached is None:
        cached = frozenset(user.company_memberships.values_list("company_id", flat=True))
        user._jip_company_ids = cached
    return cached


@rules.predicate
def is_company_manager(user) -> bool:
    return bool(company_ids_managed_by(user))


@rules.predicate
def is_company_manager_of(user, company) -> bool:
    return company is not None and company.pk in company_ids_managed_by(user)


is_applicant = rules.is_authenticated & rules.is_active

rules.add_perm("jip.view_dashboard", rules.is_authenticated)
rules.add_perm("jip.use_admin", is_jip_staff)
rules.add_perm("companies.view_portal", is_company_manager | is_jip_staff)
rules.add_perm("companies.view_hostcompany_in_portal", is_company_manager_of | is_jip_staff)
