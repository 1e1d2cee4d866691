"""Who acts for a host company, and who may use the company portal (django-rules).

A company manager is a user linked to a host company (a `CompanyManager`). Any signed-in user may open the
portal: who manages no company is taken to the registration page (an applicant may also be the person who
registers their employer). What a manager then sees is scoped to the company they manage;
`companies.manage_hostcompany` is checked against that company.
"""

import rules


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


is_signed_in = rules.is_authenticated & rules.is_active

rules.add_perm("companies.use_portal", is_signed_in)
rules.add_perm("companies.manage_hostcompany", is_signed_in & is_company_manager_of)
