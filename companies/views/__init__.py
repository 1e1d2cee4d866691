"""The company portal: a host company's registration, profile, managers, invitations and positions.

Every view states its permission. A portal page (`companies.portal.portal_view`) finds the company through the
user's own memberships and looks every other object up within that company, so another company's id finds
nothing (404). Who manages no company is taken to the registration page; JIP office staff, who work in the
admin, to a note that says so.
"""
