"""Reads of the internships app, one module per area: agreements.py, preparation.py."""
