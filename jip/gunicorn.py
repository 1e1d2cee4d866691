"""gunicorn's settings for JIP Admin: `gunicorn -c python:jip.gunicorn jip.wsgi`, the production command.

Sync workers, one per CPU core; `WEB_CONCURRENCY` sets another number. The pages spend their time on the CPU,
and PostgreSQL answers each query in well under a millisecond, so a worker seldom waits: more workers than
cores only take turns on the cores and their caches. Measured on two cores with the benchmark
(docs/benchmarks.md, "Third round"): two workers served the most requests of every kind, more workers
fewer, and threads fewer still. Sync workers belong behind a proxy that buffers requests and responses
(nginx), so a slow connection, a phone uploading a certificate, never holds one.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 0)) or len(os.sched_getaffinity(0))
worker_class = "sync"
timeout = 60  # the longest request (the office's export of a whole cycle) takes a few seconds
