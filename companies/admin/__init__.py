"""The JIP office's workplace for host companies and their internship positions (docs/program.md §6–7).

Staff read what the company's managers entered and never edit it: registration and the profile are the
managers', in the company portal. The office's one write is the review of a company or a position, and it
goes through `companies.services` (checked, audited, mailed, and held to the cycle's company cap); the admin
only parses the request, calls the service and reports the outcome.
"""

from . import host_companies, positions  # noqa: F401  (each module registers its models)
