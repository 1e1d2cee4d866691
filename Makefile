.PHONY: run test lint worker messages

run:        ## set up and serve the demo on http://127.0.0.1:8000
	bin/run
test:       ## the whole suite
	bin/test
lint:       ## ruff, the import contracts, the types and the migration check
	.venv/bin/ruff check .
	.venv/bin/lint-imports
	.venv/bin/mypy
	.venv/bin/python manage.py makemigrations --check --dry-run
worker:     ## Celery worker and beat against $$REDIS_URL
	bin/worker
messages:   ## refresh the Japanese catalogue after changing strings
	.venv/bin/python manage.py makemessages -l ja --ignore=.venv --ignore=staticfiles --ignore=scripts --ignore=tests
