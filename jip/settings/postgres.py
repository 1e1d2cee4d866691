"""PostgreSQL's prepared statements, for the production settings (and the benchmark's, which copy them)."""


def prepare_options(env) -> dict:
    """Parameters bound by the server, and a query prepared from its second run on a connection: PostgreSQL
    parses and plans the pages' repeated queries once per connection instead of on every request (about half
    its CPU per request in scripts/profile_applications.py). With a pooler in transaction mode (PgBouncer
    before 1.21) set DJANGO_DB_PREPARE_THRESHOLD= (empty) to prepare nothing."""
    threshold = env("DJANGO_DB_PREPARE_THRESHOLD", default="2")
    return {"server_side_binding": True, "prepare_threshold": int(threshold) if threshold else None}
