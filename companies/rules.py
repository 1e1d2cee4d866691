"""Who may use the company portal (django-rules). The roles' predicates live in jip/rules.py.

Any signed-in user may open the portal: who manages no company is taken to the registration page (an
applicant may also be the person who registers their employer). What a manager then sees is scoped to the
company they manage; `companies.manage_hostcompany` is checked against that company.
"""

import rules

from jip.rules import is_company_manager_of

is_signed_in = rules.is_authenticated & rules.is_active

rules.add_perm("companies.use_portal", is_signed_in)
rules.add_perm("companies.manage_hostcompany", is_signed_in & is_company_manager_of)
