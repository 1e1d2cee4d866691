"""The one way to queue background work, and the base every task runs on (pretix's TransactionAwareTask).

A service queues a task by its registered name, `task_enqueue("applicants.tasks.application_mail_send", id,
...)`: on commit, with plain JSON arguments only, to the queue of the task that is running if any. So services
never import their app's tasks module, and tasks import services freely. Every task is a `JipTask` (the
Celery app's task class): the same retries and the same failure handling wherever it runs, because in-process
(the local and test settings, no broker) it runs through Celery's own eager path, not as a plain call.
"""

from __future__ import annotations

from typing import Any

from celery import Task, current_app, shared_task
from django.db import OperationalError, transaction

from .mail import mail_send
from .models import User

# Failures worth another try: the mail server, the storage or the database away for a moment
# (smtplib.SMTPException and ConnectionError are OSErrors).
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (OSError, OperationalError)


class JipTask(Task):
    """Retries on transient errors with exponential back-off (about 5 s, 10 s, 20 s… with jitter, at most
    10 minutes apart), five times; after that the failure is Celery's: logged, and marked failed."""

    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 5
    retry_backoff_max = 10 * 60
    retry_jitter = True
    max_retries = 5


def _plain(value: Any, where: str) -> None:
    if value is None or isinstance(value, bool | int | float | str):
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _plain(item, f"{where}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where} has the key {key!r}: a JSON object's keys are strings")
            _plain(item, f"{where}[{key!r}]")
        return
    raise TypeError(
        f"{where} is a {type(value).__name__}: a task takes plain JSON (ids, strings, numbers, lists and "
        "objects of them) and reads the rest itself"
    )


def task_registered(name: str) -> Task:
    """The task registered under `name`; the apps' task modules are discovered first if it is not known yet
    (a worker discovers them when it starts, a web process when it first queues one)."""
    app = current_app
    if name not in app.tasks:
        app.autodiscover_tasks(force=True)
    return app.tasks[name]  # celery.exceptions.NotRegistered for a name no task has


def task_enqueue(task_or_name: Task | str, *args: Any) -> None:
    """Queues the task with `args` once the current transaction commits (at once outside one), and never if
    it rolls back. Arguments must be plain JSON: a TypeError here, not a surprise in the worker.

    A task's follow-ups go to the queue the running task came from: the default one in production, a private
    one where a test or the benchmark runs its own worker."""
    task = task_registered(task_or_name) if isinstance(task_or_name, str) else task_or_name
    _plain(list(args), f"{task.name}'s arguments")
    running = current_app.current_worker_task
    queue = (running.request.delivery_info or {}).get("routing_key") if running is not None else None

    def publish() -> None:
        if queue:
            task.apply_async(args=args, queue=queue)
        else:
            task.apply_async(args=args)

    transaction.on_commit(publish)


@shared_task
def user_mail_send(user_id: int, template: str, context: dict | None = None) -> dict:
    """A mail to one user, in their language; `context` is the plain data the template shows."""
    user = User.objects.values("email", "preferred_language").get(pk=user_id)
    return mail_send(
        to=user["email"], language=user["preferred_language"], template=template, context=context
    )
