import pytest
from django.contrib import admin
from django.urls import reverse

from jip.models import ProgramCycle

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_allauth_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login.status_code == 302
    assert login["Location"].startswith(reverse("account_login"))


def test_the_admin_has_no_password_form_of_its_own(client, staff_with_mfa):
    response = client.post(reverse("admin:login"), {"username": staff_with_mfa.email, "password": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["applicant", "company_manager"])
def test_non_staff_get_no_admin_page(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("admin:index"), follow=True).status_code == 403
    assert client.get(reverse("admin:jip_programcycle_changelist"), follow=True).status_code == 403


def test_staff_without_an_authenticator_must_enroll_first(client, staff):
    client.force_login(staff)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[1][0].startswith(reverse("mfa_activate_totp"))
    assert "Staff must set up an authenticator app before using the admin." in response.content.decode()


def test_staff_with_an_authenticator_see_the_program_index(client, staff_with_mfa, fy2024):
    client.force_login(staff_with_mfa)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "JIP Admin" in html
    assert "This cycle at a glance" in html
    assert fy2024.name_en in html


def test_every_admin_page_opens_for_staff(client, staff_with_mfa, fy2024):
    client.force_login(staff_with_mfa)
    for model in admin.site._registry:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        obj = model._default_manager.first()
        if obj is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert client.get(change).status_code == 200, change
            history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
            assert client.get(history).status_code == 200, history


def test_staff_edit_of_a_cycle_is_kept_in_its_history(client, staff_with_mfa, fy2024):
    client.force_login(staff_with_mfa)
    url = reverse("admin:jip_programcycle_change", args=[fy2024.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    # Submit the whole page (inlines included) with one change: the cap.
    page = client.get(url).context
    post = {}
    for formset in page["inline_admin_formsets"]:
        fs = formset.formset
        post.update({f"{fs.prefix}-{k}": v for k, v in fs.management_form.initial.items()})
        for i, f in enumerate(fs.forms):
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                if value is not None:
                    post[f"{fs.prefix}-{i}-{name}"] = value.pk if hasattr(value, "pk") else value
    data.update(post)
    data["company_cap"] = 61
    data["country_list"] = fy2024.country_list_id
    data["excluded_countries"] = ["CN"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    fy2024.refresh_from_db()
    assert fy2024.company_cap == 61
    assert fy2024.history.first().history_user == staff_with_mfa
    assert fy2024.history.count() >= 2


def test_copy_to_next_year_action(client, staff_with_mfa, fy2024):
    client.force_login(staff_with_mfa)
    url = reverse("admin:jip_programcycle_changelist")
    client.post(url, {"action": "copy_to_next_year", "_selected_action": [fy2024.pk]})
    assert ProgramCycle.objects.filter(fiscal_year=2025, is_published=False).exists()
    response = client.post(url, {"action": "copy_to_next_year", "_selected_action": [fy2024.pk]}, follow=True)
    assert "A cycle for FY2025 exists already." in response.content.decode()
