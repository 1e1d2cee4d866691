"""Views of matching, by side: the company's portal (company.py) and the applicant's pages (applicant.py)."""
