"""The JIP office's workplace for applications and their documents (docs/program.md §4–5).

Staff read what the applicant entered and never edit it. Every change of state (an application's
status, an age waiver, a document's review) goes through `applicants.services`, where it is checked,
audited and mailed; the admin only parses the request, calls the service and reports the outcome.
"""

from . import applications, documents  # noqa: F401  (each module registers its models)
