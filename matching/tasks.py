"""Mail about referrals, interviews and matches, to applicants and to companies' managers."""

from __future__ import annotations

from celery import shared_task

from companies.selectors import company_mail_recipients
from jip.mail import by_language, mail_send

from .models import Interview, Match, Referral

# What the mails show of the pair (application, position), by the ORM's name from the referral or the match.
PAIR_FIELDS = (
    "application__number",
    "application__given_names",
    "application__applicant__email",
    "application__applicant__preferred_language",
    "position__title",
    "position__company_id",
    "position__company__name_en",
    "position__company__name_ja",
)


def _pair(kind: str, object_id: int) -> dict:
    """The pair's values, keyed as PAIR_FIELDS, read in one query; an interview's adds its chosen time."""
    if kind.startswith("interview"):
        row = Interview.objects.values(
            *(f"referral__{name}" for name in PAIR_FIELDS), "chosen_slot__starts_at"
        )
        values = row.get(pk=object_id)
        return {
            **{name: values[f"referral__{name}"] for name in PAIR_FIELDS},
            "starts_at": values["chosen_slot__starts_at"],
        }
    model = Referral if kind.startswith("referral") else Match
    return model.objects.values(*PAIR_FIELDS).get(pk=object_id)


@shared_task
def matching_mail_send(kind: str, object_id: int, template: str) -> list[dict]:
    """`kind` names the object and who is told: "referral" (the applicant), "referral_company" (the
    company's managers), "interview", "interview_company", "match", "match_company"."""
    pair = _pair(kind, object_id)
    context = {
        "application": {
            "number": pair["application__number"],
            "given_names": pair["application__given_names"],
            "applicant": {"email": pair["application__applicant__email"]},
        },
        "position": {"title": pair["position__title"]},
        "company": {
            "name": by_language(en=pair["position__company__name_en"], ja=pair["position__company__name_ja"])
        },
        "interview": {"starts_at": pair.get("starts_at")},
    }
    if kind.endswith("_company"):
        recipients = company_mail_recipients(company_id=pair["position__company_id"])
    else:
        recipients = [
            {
                "email": pair["application__applicant__email"],
                "language": pair["application__applicant__preferred_language"],
            }
        ]
    return [
        mail_send(to=r["email"], language=r["language"], template=template, context=context)
        for r in recipients
    ]
