from allauth.account.signals import email_confirmed
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from .tasks import task_enqueue


@receiver(email_confirmed)
def welcome_after_verification(sender, request, email_address, **kwargs):
    """Once the e-mail is verified, the new applicant is told what comes next (queued on commit)."""
    task_enqueue("jip.tasks.user_mail_send", email_address.user_id, "jip/email/welcome")


@receiver(post_migrate)
def staff_group_after_migrate(sender, **kwargs):
    from .services import STAFF_APP_LABELS, staff_group_sync

    if sender.label in STAFF_APP_LABELS:
        staff_group_sync()


@receiver(post_save, sender="jip.EligibleCountry")
@receiver(post_delete, sender="jip.EligibleCountry")
def country_list_cache_drop(sender, instance, **kwargs):
    from django.core.cache import cache

    from .selectors import country_list_cache_key

    cache.delete(country_list_cache_key(instance.country_list_id))


@receiver(post_save, sender="jip.ProgramCycle")
@receiver(post_delete, sender="jip.ProgramCycle")
@receiver(post_save, sender="jip.EligibleCountryList")
@receiver(post_delete, sender="jip.EligibleCountryList")
def current_cycle_forget(sender, **kwargs):
    from .selectors import cycle_current_forget

    # Now, for what this transaction reads next, and again once it commits: a page that read the old row
    # meanwhile may have kept it.
    cycle_current_forget()
    transaction.on_commit(cycle_current_forget)
