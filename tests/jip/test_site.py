"""The wiring composes the apps: what one app adds to another's admin pages is attached once, by the site."""

from django.contrib import admin

from applicants.admin.applications import ApplicationAdmin
from applicants.models import Application
from jip.site.admin import admin_compose
from matching.admin.referrals import refer_to_positions


def test_the_applications_list_carries_matchings_referral_action_once():
    applications = admin.site.get_model_admin(Application)
    assert refer_to_positions not in ApplicationAdmin.actions  # applicants does not know matching's admin
    assert applications.actions.count(refer_to_positions) == 1

    admin_compose(admin.site)  # composing again changes nothing

    assert applications.actions.count(refer_to_positions) == 1
    assert applications.actions[: len(ApplicationAdmin.actions)] == ApplicationAdmin.actions
