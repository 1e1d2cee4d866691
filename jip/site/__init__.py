"""The wiring: what composes the apps into one site and may therefore import any of them.

The house stands one way: internships → matching → applicants, companies → jip (the core). The core (cycle,
accounts, audit, clock, mail, the admin's shared pieces) imports no app. What needs every app lives here: the
admin site with its overview and the actions one app adds to another's pages (`admin`, configured by `apps`),
the signed-in user's start page (`dashboard`) and the demo data (`demo`). Nothing imports this package but
Django's own entry points: the root URLconf, the admin app's configuration and `manage.py seed_demo`.
The import-linter contracts in pyproject.toml hold all of this.
"""
