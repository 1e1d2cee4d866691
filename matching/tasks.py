"""Mail about referrals, interviews and matches, to applicants and to companies' managers."""

from celery import shared_task

from jip.tasks import MAIL_RETRY, mail_to_user

from .models import Interview, Match, Referral


def _to_managers(company, template: str, context: dict) -> list[dict]:
    managers = company.managers.select_related("user").order_by("pk")
    return [mail_to_user(user=m.user, template=template, context=context) for m in managers]


@shared_task(**MAIL_RETRY)
def matching_mail_send(kind: str, object_id: int, template: str) -> list[dict]:
    """`kind` names the object and who is told: "referral" (the applicant), "referral_company" (the
    company's managers), "interview", "interview_company", "match", "match_company"."""
    if kind.startswith("referral"):
        obj = Referral.objects.select_related("application__applicant", "position__company").get(pk=object_id)
        referral = obj
    elif kind.startswith("interview"):
        obj = Interview.objects.select_related(
            "referral__application__applicant", "referral__position__company", "chosen_slot"
        ).get(pk=object_id)
        referral = obj.referral
    else:
        obj = Match.objects.select_related("application__applicant", "position__company").get(pk=object_id)
        referral = obj
    application, position = referral.application, referral.position
    context = {"application": application, "position": position, "company": position.company, "object": obj}
    if kind.endswith("_company"):
        return _to_managers(position.company, template, context)
    return [mail_to_user(user=application.applicant, template=template, context=context)]
