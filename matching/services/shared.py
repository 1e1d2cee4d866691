"""What matching's services share: a mail queued on commit, a referral read under lock, the open check."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jip.tasks import task_enqueue

from ..models import Referral, ReferralStatus


def mail_queue(kind: str, object_id: int, template: str) -> None:
    """Queues a matching mail (`matching.tasks.matching_mail_send`) for when the transaction commits."""
    task_enqueue("matching.tasks.matching_mail_send", kind, object_id, template)


def referral_locked(referral: Referral) -> Referral:
    """The referral, read again under a row lock, with what its checks read."""
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("application__cycle", "position__company")
        .get(pk=referral.pk)
    )


def referral_open_check(referral: Referral) -> None:
    """Scores and interviews change only while the referral is open."""
    if referral.status != ReferralStatus.REFERRED:
        raise ValidationError(_("This referral is closed."), code="closed")
