"""Background work of the internships app. Agreements: render a version's PDF, generate a cycle's batch,
tell the parties a version is ready, and mail them. Daily reports: their mails and the reminders of the beat.
Each task receives ids (or plain data) and calls a service; what a task queues in turn goes to the queue it
came from (`jip.tasks.task_enqueue`)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from jip.mail import by_language, mail_send
from jip.models import User
from jip.tasks import TRANSIENT_ERRORS, JipTask

from .services import agreements as services
from .services import daily_reports
from .services import funds as fund_services

RENDER_RETRIES = 3


class AgreementRenderTask(JipTask):
    max_retries = RENDER_RETRIES

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """Out of retries on a transient error: the version is marked failed with it, for staff to see and
        generate again (a deterministic error is marked by the service itself)."""
        if isinstance(exc, TRANSIENT_ERRORS):
            services.agreement_render_failed(version_id=args[0], error=f"{type(exc).__name__}: {exc}")


@shared_task(base=AgreementRenderTask, soft_time_limit=120, time_limit=150, acks_late=True)
def agreement_render(version_id: int) -> dict:
    """Renders one version; a storage or database error is retried with back-off, RENDER_RETRIES times."""
    version = services.agreement_render(version_id=version_id)
    return {"version": version.pk, "status": version.status, "sha256": version.sha256, "size": version.size}


@shared_task(soft_time_limit=30 * 60, time_limit=31 * 60)
def agreement_batch_generate(batch_id: int) -> dict:
    """Generates every agreement of a batch's cycle; each version's PDF is rendered by its own task."""
    batch = services.agreement_batch_run(batch_id=batch_id)
    return {
        "batch": batch.pk,
        "total": batch.total,
        "unchanged": batch.unchanged,
        "refused": len(batch.refused),
    }


@shared_task
def agreement_ready_notify(version_id: int) -> list[int]:
    return services.agreement_version_notify(version_id=version_id)


@shared_task
def agreement_mail_send(user_id: int, template: str, context: dict) -> dict:
    """One party's mail about an agreement, in their language, with the link to their agreement page."""
    user = User.objects.values("email", "preferred_language").get(pk=user_id)
    url = settings.JIP_SITE_URL.rstrip("/") + reverse(
        "internships:agreement_detail", args=[context["agreement_id"]]
    )
    return mail_send(
        to=user["email"],
        language=user["preferred_language"],
        template=template,
        context={**context, "url": url},
    )


# --- Daily reports: the mails and the reminders (Celery beat) -----------------------------------------


def _plain_for_template(value):
    """A daily-report mail's plain context as its templates read it: ISO dates ("day", "week") as dates for
    the date filters, and names kept in both languages ({"en", "ja"}) said in the mail's language."""
    if isinstance(value, list):
        return [_plain_for_template(item) for item in value]
    if isinstance(value, dict):
        if set(value) == {"en", "ja"}:
            return by_language(en=value["en"], ja=value["ja"])
        return {
            key: dt.date.fromisoformat(item)
            if key in ("day", "week") and isinstance(item, str)
            else _plain_for_template(item)
            for key, item in value.items()
        }
    return value


@shared_task
def daily_report_mail_send(user_id: int, template: str, context: dict) -> dict:
    """One mail about daily reports, in the reader's language; `context` is plain data (dates in ISO, the
    page's path), as the service queued it."""
    user = User.objects.values("email", "preferred_language").get(pk=user_id)
    context = _plain_for_template(context)
    if context.get("path"):
        context["url"] = settings.JIP_SITE_URL.rstrip("/") + context["path"]
    return mail_send(
        to=user["email"], language=user["preferred_language"], template=template, context=context
    )


@shared_task
def daily_report_intern_reminders_send() -> int:
    return daily_reports.intern_reminders_send()


@shared_task
def daily_report_company_reminders_send() -> int:
    return daily_reports.company_reminders_send()


@shared_task
def daily_report_office_digest_send() -> int:
    return daily_reports.office_digest_send()


@shared_task(soft_time_limit=30 * 60, time_limit=31 * 60)
def fund_statements_generate(cycle_id: int, by_id: int | None = None) -> dict:
    """The cycle's activity-support statements whose period has ended; run twice, it creates nothing twice."""
    return fund_services.fund_statements_generate(cycle_id=cycle_id, by_id=by_id)
