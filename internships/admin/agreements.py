"""Admin of the internships app."""
