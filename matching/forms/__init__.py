"""Forms of matching, by side: the company's (company.py) and the applicant's (applicant.py)."""
