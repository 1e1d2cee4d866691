"""The core's permission predicates (django-rules): who is JIP office staff, who may use the admin.

Roles: every sign-up is an applicant; JIP office staff are staff users in the "JIP staff" group (or
superusers). Each app names its own roles and registers its own permissions in its `rules.py` (a company
manager is a user who manages a host company: `companies.rules`).
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


is_applicant = rules.is_authenticated & rules.is_active

rules.add_perm("jip.view_dashboard", rules.is_authenticated)
rules.add_perm("jip.use_admin", is_jip_staff)
