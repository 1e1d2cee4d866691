"""The applicant's pages: the entry form in steps, review and submission (entry.py); the application's status,
withdrawal and documents (applications.py).

Every view states its permission; every object is looked up within the applicant's own rows, so another
applicant's id finds nothing (404).
"""
