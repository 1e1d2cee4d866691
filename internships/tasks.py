"""Background work of the internships app. Agreements: render a version's PDF, generate a cycle's batch,
tell the parties a version is ready, and mail them. Each task receives ids and calls a service.

A task's follow-ups (the batch's renders, the render's notice, the notice's mails) go to the queue the task
came from: the default queue in production, a private one when a test or the benchmark runs its own worker.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps

from celery import shared_task

from jip.tasks import MAIL_RETRY, mail_to_user

RENDER_RETRIES = 3

_queue: ContextVar[str | None] = ContextVar("internships_task_queue", default=None)


def enqueue(task, *args):
    """Queues `task` on the current task's queue (or the default one outside a worker)."""
    queue = _queue.get()
    return task.apply_async(args=args, queue=queue) if queue else task.delay(*args)


def _on_own_queue(function: Callable) -> Callable:
    @wraps(function)
    def run(self, *args, **kwargs):
        token = _queue.set((self.request.delivery_info or {}).get("routing_key") or None)
        try:
            return function(self, *args, **kwargs)
        finally:
            _queue.reset(token)

    return run


@shared_task(bind=True, max_retries=RENDER_RETRIES, soft_time_limit=120, time_limit=150, acks_late=True)
@_on_own_queue
def agreement_render(self, version_id: int) -> dict:
    """Renders one version; retries with back-off only when storage or the database failed for a moment."""
    from .services import agreements as services

    try:
        version = services.agreement_render(version_id=version_id)
    except services.TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            services.agreement_render_failed(version_id=version_id, error=f"{type(exc).__name__}: {exc}")
            raise
        raise self.retry(exc=exc, countdown=5 * 2**self.request.retries) from exc
    return {"version": version.pk, "status": version.status, "sha256": version.sha256, "size": version.size}


@shared_task(bind=True, soft_time_limit=30 * 60, time_limit=31 * 60)
@_on_own_queue
def agreement_batch_generate(self, batch_id: int) -> dict:
    """Generates every agreement of a batch's cycle; each version's PDF is rendered by its own task."""
    from .services import agreements as services

    batch = services.agreement_batch_run(batch_id=batch_id)
    return {
        "batch": batch.pk,
        "total": batch.total,
        "unchanged": batch.unchanged,
        "refused": len(batch.refused),
    }


@shared_task(bind=True, autoretry_for=MAIL_RETRY["autoretry_for"], retry_backoff=True, max_retries=5)
@_on_own_queue
def agreement_ready_notify(self, version_id: int) -> list[int]:
    from .services import agreements as services

    return services.agreement_version_notify(version_id=version_id)


@shared_task(**MAIL_RETRY)
def agreement_mail_send(user_id: int, template: str, context: dict) -> dict:
    """One party's mail about an agreement, in their language, with the link to their agreement page."""
    from django.conf import settings
    from django.urls import reverse

    from jip.models import User

    user = User.objects.get(pk=user_id)
    url = settings.JIP_SITE_URL.rstrip("/") + reverse(
        "internships:agreement_detail", args=[context["agreement_id"]]
    )
    return mail_to_user(user=user, template=template, context={**context, "url": url})
