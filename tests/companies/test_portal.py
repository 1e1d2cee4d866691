"""The company portal through the test client: registration, the company page, profile and history,
managers and invitations, positions, and that a manager never reaches another company's data."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from companies import forms, services
from companies.models import CompanyInvitation, CompanyManager, HostCompany, Position, PositionStatus
from jip import clock

from ..factories import (
    CompanyManagerFactory,
    PositionFactory,
    UserFactory,
    valid_corporate_number,
)

pytestmark = pytest.mark.django_db

NUMBER = valid_corporate_number(123_456_789_012)
HYPHENATED = f"{NUMBER[0]}-{NUMBER[1:5]}-{NUMBER[5:9]}-{NUMBER[9:]}"
FULL_WIDTH = NUMBER.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
WRONG_CHECK_DIGIT = f"{(int(NUMBER[0]) % 9) + 1}{NUMBER[1:]}"

REGISTRATION = {
    "name_ja": "株式会社テスト工業", "name_en": "Test Kogyo Co., Ltd.", "corporate_number": HYPHENATED,
    "website": "", "business_description": "Precision metal parts.",
    "organisation_type": "kabushiki_kaisha", "industry": "manufacturing", "capital_jpy": "30,000,000",
    "regular_employees": "45", "head_office_prefecture": "13", "head_office_city": "Chiyoda",
    "main_business_in_japan": "on", "main_business_prefecture": "13", "main_business_city": "Chiyoda",
    "overseas_plans": "A sales office in Viet Nam.", "contact_name": "Yamada Taro",
    "contact_email": "yamada@test.example", "contact_phone": "+81 3 0000 0000",
}  # fmt: skip

POSITION = {
    "title": "Overseas sales assistant", "course": "in_person", "place_prefecture": "23",
    "role_and_goals": "Research a market in Southeast Asia and prepare a sales plan with the export team.",
    "place_city": "Nagoya", "starts_on": "2090-08-01", "ends_on": "2090-09-30", "hours_per_week": "35",
    "interns": "1", "skills": "Spreadsheets", "japanese_level": "", "english_level": "B1", "conditions": "",
    "mentor_name": "Suzuki Hanako", "mentor_title": "Export manager",
}  # fmt: skip


def url(name, *args):
    return reverse(f"companies:{name}", args=args)


@pytest.fixture
def as_applicant(client, applicant):
    client.force_login(applicant)
    return client


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


def page(response) -> str:
    return response.content.decode()


# --- Registration ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "label", "number"),
    [("en", "Corporate number", HYPHENATED), ("ja", "法人番号", FULL_WIDTH)],
)
def test_registration_and_the_outcome_at_once(as_applicant, applicant, language, label, number):
    as_applicant.cookies["django_language"] = language
    form_page = as_applicant.get(url("register"))
    assert form_page.status_code == 200
    assert f'<html lang="{language}">' in page(form_page)
    assert label in page(form_page)

    response = as_applicant.post(url("register"), {**REGISTRATION, "corporate_number": number}, follow=True)

    company = HostCompany.objects.get()
    assert response.redirect_chain == [(url("home"), 302)]
    assert company.corporate_number == NUMBER
    assert company.capital_jpy == 30_000_000
    assert company.status == "pending"
    assert company.is_eligible is True
    assert CompanyManager.objects.get().user == applicant
    html = page(response)
    assert company.name in html
    if language == "en":
        assert "Your company is registered." in html
        assert "Awaiting review" in html
        assert "The JIP office reviews every registration." in html
        assert "Your company qualifies as a host company." in html
        for title in (
            "Type of organisation",
            "Small or medium-sized enterprise",
            "Main business location in Japan",
        ):
            assert title in html
        assert "capital of ¥30,000,000 is at most ¥300,000,000" in html
    else:
        assert "株式会社テスト工業" in html


def test_a_second_click_registers_nothing_more(as_applicant):
    assert as_applicant.post(url("register"), REGISTRATION)["Location"] == url("home")
    assert as_applicant.post(url("register"), REGISTRATION)["Location"] == url("home")
    assert HostCompany.objects.count() == 1


def test_a_company_that_is_not_an_sme_is_told_why_at_once(as_applicant):
    data = {**REGISTRATION, "industry": "services", "capital_jpy": "60000000", "regular_employees": "101"}
    html = page(as_applicant.post(url("register"), data, follow=True))
    assert HostCompany.objects.get().is_eligible is False
    assert "Your company does not qualify as a host company." in html
    assert (
        "Services: capital of ¥60,000,000 is over ¥50,000,000 and 101 regular employees is over 100, so the "
        "company is not an SME under the SME Basic Act."
    ) in html
    assert "Not met" in html
    assert "The JIP office reviews every registration." in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"corporate_number": WRONG_CHECK_DIGIT}, "corporate_number", "This corporate number is not valid: check the digits."),
        ({"corporate_number": NUMBER[:12]}, "corporate_number", "A corporate number has 13 digits."),
        ({"corporate_number": "ABCDEFGHIJKLM"}, "corporate_number", "A corporate number has 13 digits."),
        ({"corporate_number": ""}, "corporate_number", "This field is required."),
        ({"capital_jpy": "-5"}, "capital_jpy", "The capital cannot be negative."),
        ({"capital_jpy": "30000000000000"}, "capital_jpy", "more than ten trillion yen"),
        ({"capital_jpy": "thirty million"}, "capital_jpy", "Enter a whole number."),
        ({"regular_employees": "2,000,000"}, "regular_employees", "more than a million employees"),
        ({"regular_employees": "-1"}, "regular_employees", "The number of employees cannot be negative."),
        ({"name_ja": ""}, "name_ja", "This field is required."),
        ({"industry": ""}, "industry", "This field is required."),
        ({"capital_jpy": ""}, "capital_jpy", "This field is required."),
        ({"organisation_type": "yakuza"}, "organisation_type", "Select a valid choice."),
        ({"main_business_prefecture": ""}, "main_business_prefecture", "Give the prefecture of the main business location."),
        ({"contact_email": "not an address"}, "contact_email", "Enter a valid email address."),
        ({"website": "javascript:alert(1)"}, "website", "Enter a valid URL."),
    ],
)  # fmt: skip
def test_bad_registration_input_is_refused_beside_the_field(as_applicant, changes, field, message):
    response = as_applicant.post(url("register"), {**REGISTRATION, **changes})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert "invalid-feedback" in page(response)
    assert not HostCompany.objects.exists()


def test_a_corporate_number_registered_already_is_refused_beside_the_field(as_applicant, other_company):
    number = other_company.corporate_number
    response = as_applicant.post(
        url("register"), {**REGISTRATION, "corporate_number": f"{number[:6]} {number[6:]}"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["corporate_number"] == [
        "A company with this corporate number is registered already."
    ]
    assert HostCompany.objects.count() == 1


def test_an_empty_or_junk_post_breaks_nothing(as_applicant):
    for data in ({}, {"junk": "x" * 10_000, "capital_jpy": "9" * 400, "corporate_number": "１" * 40}):
        response = as_applicant.post(url("register"), data)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not HostCompany.objects.exists()


def test_who_manages_a_company_or_works_in_the_office_does_not_register_one(client, manager, staff):
    client.force_login(manager)
    assert client.get(url("register"))["Location"] == url("home")
    client.post(url("register"), REGISTRATION)
    client.force_login(staff)
    assert client.get(url("register"))["Location"] == url("home")
    html = page(client.get(url("home")))
    assert "review companies and positions in the admin" in html
    assert HostCompany.objects.count() == 1


# --- The company page and the profile ----------------------------------------------------------------


def test_the_company_page_shows_status_eligibility_managers_invitations_positions(
    as_manager, company, manager, open_cycle
):
    colleague = CompanyManagerFactory(company=company, user=UserFactory(email="colleague@seiko.example"))
    services.invitation_create(company=company, email="new@seiko.example", by=manager)
    position = PositionFactory(company=company, cycle=open_cycle, title="Export assistant")
    html = page(as_manager.get(url("home")))
    assert "Sample Seiko Co., Ltd." in html and "株式会社サンプル精工" in html
    assert "Approved" in html
    assert "Your company qualifies as a host company." in html
    assert "colleague@seiko.example" in html and "manager@seiko.example" in html
    assert url("manager_remove", colleague.pk) in html
    own = CompanyManager.objects.get(user=manager)
    assert url("manager_remove", own.pk) not in html  # "remove" is offered for the others
    assert "new@seiko.example" in html
    assert "Export assistant" in html and url("position_detail", position.pk) in html
    assert "¥30,000,000" in html


def test_a_rejected_company_sees_the_reason(as_manager, company):
    company.status, company.review_reason = "rejected", "The capital could not be confirmed."
    company.save()
    html = page(as_manager.get(url("home")))
    assert "Not approved" in html
    assert "The capital could not be confirmed." in html
    assert url("position_create") not in html


def test_editing_the_profile_keeps_its_history(as_manager, company, manager):
    data = {
        **REGISTRATION,
        "corporate_number": company.corporate_number,
        "name_ja": company.name_ja,
        "name_en": company.name_en,
        "capital_jpy": "45000000",
        "regular_employees": "120",
    }
    before = company.history.count()
    response = as_manager.post(url("edit"), data)
    assert response["Location"] == url("home")
    company.refresh_from_db()
    assert (company.capital_jpy, company.regular_employees) == (45_000_000, 120)
    assert company.history.count() == before + 1
    assert company.history.first().history_user == manager

    html = page(as_manager.get(url("edit")))
    assert "Recent changes" in html
    assert "by manager@seiko.example" in html
    assert "capital (yen), regular employees" in html

    # Saving without a change writes no history.
    assert as_manager.post(url("edit"), data)["Location"] == url("home")
    assert company.history.count() == before + 1


def test_the_profile_cannot_take_another_companys_corporate_number(as_manager, company, other_company):
    data = {**REGISTRATION, "corporate_number": other_company.corporate_number}
    response = as_manager.post(url("edit"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["corporate_number"] == [
        "A company with this corporate number is registered already."
    ]
    company.refresh_from_db()
    assert company.name_en == "Sample Seiko Co., Ltd."


def test_the_register_and_edit_forms_set_what_the_service_accepts():
    assert set(forms.CompanyProfileForm.base_fields) == services.PROFILE_FIELDS
    assert {name for s in forms.CompanyProfileForm.SECTIONS for name in s.fields} == services.PROFILE_FIELDS
    assert set(forms.PositionForm.base_fields) == services.POSITION_FIELDS
    assert {name for s in forms.PositionForm.SECTIONS for name in s.fields} == services.POSITION_FIELDS


# --- Managers and invitations ------------------------------------------------------------------------


def invite(client, email, django_capture_on_commit_callbacks) -> str:
    """Invites through the page and returns the token from the mail's link."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("manager_invite"), {"email": email})
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert response["Location"] == url("home") + "#managers"
    message = mail.outbox[-1]
    assert message.to == [email.lower()]
    link = re.search(r"https?://\S+/company/invitations/(\S+)/", message.body)
    assert link, message.body
    return link.group(1)


def test_an_invitation_is_mailed_and_accepted_once(
    client, as_manager, company, django_capture_on_commit_callbacks
):
    token = invite(as_manager, "Colleague@Seiko.example", django_capture_on_commit_callbacks)
    assert mail.outbox[-1].subject == "[JIP] You are invited to manage Sample Seiko Co., Ltd."
    assert "manager@seiko.example invites you to manage Sample Seiko Co., Ltd." in mail.outbox[-1].body
    accept = url("invitation_accept", token)

    colleague = UserFactory(email="colleague@seiko.example")
    client.force_login(colleague)
    assert "Accept the invitation" in page(client.get(accept))
    response = client.post(accept, follow=True)
    assert response.redirect_chain == [(url("home"), 302)]
    assert "Welcome: you now manage" in page(response)
    assert CompanyManager.objects.filter(company=company, user=colleague).exists()

    again = client.post(accept)
    assert again.status_code == 400
    assert "This invitation has been used already." in page(again)
    assert CompanyManager.objects.filter(user=colleague).count() == 1


def test_an_invitation_for_another_address_is_refused(client, as_manager, django_capture_on_commit_callbacks):
    token = invite(as_manager, "colleague@seiko.example", django_capture_on_commit_callbacks)
    stranger = UserFactory(email="stranger@example.org")
    client.force_login(stranger)
    accept = url("invitation_accept", token)
    message = "This invitation is for colleague@seiko.example. Log in with that address to accept it."
    assert message in page(client.get(accept))
    response = client.post(accept)
    assert response.status_code == 400
    assert message in page(response)
    assert not CompanyManager.objects.filter(user=stranger).exists()


def test_an_expired_invitation_is_refused(client, manager, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(dt.datetime(2030, 1, 10, 9, 0, tzinfo=clock.JST), tick=False)
    client.force_login(manager)
    token = invite(client, "colleague@seiko.example", django_capture_on_commit_callbacks)
    time_machine.move_to(dt.datetime(2030, 1, 17, 9, 0, 1, tzinfo=clock.JST), tick=False)
    colleague = UserFactory(email="colleague@seiko.example")
    client.force_login(colleague)
    response = client.post(url("invitation_accept", token))
    assert response.status_code == 400
    assert "This invitation has expired. Ask for a new one." in page(response)
    assert not CompanyManager.objects.filter(user=colleague).exists()


def test_a_revoked_invitation_is_invalid(client, as_manager, company, django_capture_on_commit_callbacks):
    token = invite(as_manager, "colleague@seiko.example", django_capture_on_commit_callbacks)
    invitation = CompanyInvitation.objects.get()
    assert as_manager.post(url("invitation_revoke", invitation.pk))["Location"] == url("home") + "#managers"
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    as_manager.get(url("home"))  # shows the message "… is revoked"
    assert "colleague@seiko.example" not in page(as_manager.get(url("home")))

    colleague = UserFactory(email="colleague@seiko.example")
    client.force_login(colleague)
    for response in (
        client.get(url("invitation_accept", token)),
        client.post(url("invitation_accept", token)),
    ):
        assert response.status_code == 404
        assert "This invitation link is not valid." in page(response)
    assert not CompanyManager.objects.filter(user=colleague).exists()


def test_a_manager_of_another_company_cannot_accept(
    client, as_manager, other_company, django_capture_on_commit_callbacks
):
    token = invite(as_manager, "busy@example.org", django_capture_on_commit_callbacks)
    busy = CompanyManagerFactory(company=other_company, user=UserFactory(email="busy@example.org")).user
    client.force_login(busy)
    response = client.post(url("invitation_accept", token))
    assert response.status_code == 400
    assert "You manage a host company already." in page(response)
    assert list(CompanyManager.objects.filter(user=busy).values_list("company", flat=True)) == [
        other_company.pk
    ]


def test_an_anonymous_visitor_is_asked_to_log_in_with_the_invited_address(
    client, as_manager, django_capture_on_commit_callbacks
):
    token = invite(as_manager, "colleague@seiko.example", django_capture_on_commit_callbacks)
    client.logout()
    accept = url("invitation_accept", token)
    response = client.get(accept)
    html = page(response)
    assert response.status_code == 200
    assert "株式会社サンプル精工" in html and "Sample Seiko Co., Ltd." in html
    assert "log in with colleague@seiko.example" in html
    assert f"{reverse('account_login')}?next=%2Fcompany%2Finvitations%2F{token}%2F" in html
    assert f"{reverse('account_signup')}?next=%2Fcompany%2Finvitations%2F{token}%2F" in html
    assert "Accept the invitation" not in html
    assert client.post(accept)["Location"].startswith(reverse("account_login"))
    assert CompanyManager.objects.count() == 1


def test_a_wrong_token_is_a_friendly_404(client, db):
    response = client.get(url("invitation_accept", "not-a-token"))
    assert response.status_code == 404
    assert "This invitation link is not valid." in page(response)


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("manager@seiko.example", "This person manages the company already."),
        ("manager@other.example", "This person manages another host company."),
        ("not an address", "Enter a valid email address."),
        ("", "This field is required."),
    ],
)
def test_bad_invitations_are_refused_beside_the_field(as_manager, other_manager, email, message):
    response = as_manager.post(url("manager_invite"), {"email": email})
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors["email"])
    assert "invalid-feedback" in page(response)
    assert not CompanyInvitation.objects.exists()


def test_remove_a_manager_but_never_the_last(as_manager, company, manager):
    colleague = CompanyManagerFactory(company=company, user=UserFactory(email="colleague@seiko.example"))
    confirm = as_manager.get(url("manager_remove", colleague.pk))
    assert "colleague@seiko.example" in page(confirm)
    response = as_manager.post(url("manager_remove", colleague.pk), follow=True)
    assert "colleague@seiko.example no longer manages the company." in page(response)
    assert list(company.managers.values_list("user", flat=True)) == [manager.pk]

    own = CompanyManager.objects.get(user=manager)
    response = as_manager.post(url("manager_remove", own.pk), follow=True)
    assert "A company needs at least one manager." in page(response)
    assert CompanyManager.objects.filter(pk=own.pk).exists()


# --- Positions ---------------------------------------------------------------------------------------


def test_describe_a_position(as_manager, company, open_cycle):
    assert "Save the position" in page(as_manager.get(url("position_create")))
    response = as_manager.post(url("position_create"), POSITION)
    position = Position.objects.get()
    assert response["Location"] == url("position_detail", position.pk)
    assert (position.company, position.cycle, position.status) == (company, open_cycle, "submitted")
    assert position.japanese_level is None and position.english_level == "B1"
    html = page(as_manager.get(url("position_detail", position.pk)))
    assert "Overseas sales assistant" in html and "Awaiting review" in html
    assert "B1" in html and "Aug. 1, 2090" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"interns": "0"}, "interns", "A position has at least one intern."),
        ({"interns": ""}, "interns", "This field is required."),
        ({"place_prefecture": ""}, "place_prefecture", "Give the place of an in-person internship."),
        ({"course": "both", "place_prefecture": ""}, "place_prefecture", "Give the place of an in-person internship."),
        ({"ends_on": "2090-07-01"}, "ends_on", "The internship cannot end before it starts."),
        ({"hours_per_week": "80"}, "hours_per_week", "Ensure this value is less than or equal to 60."),
        ({"course": ""}, "course", "This field is required."),
        ({"japanese_level": "9"}, "japanese_level", "Select a valid choice."),
        ({"starts_on": "1 August"}, "starts_on", "Enter a valid date."),
        ({"title": ""}, "title", "This field is required."),
    ],
)  # fmt: skip
def test_bad_position_input_is_refused_beside_the_field(as_manager, open_cycle, changes, field, message):
    response = as_manager.post(url("position_create"), {**POSITION, **changes})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert "invalid-feedback" in page(response)
    assert not Position.objects.exists()


def test_an_online_position_needs_no_place(as_manager, open_cycle):
    as_manager.post(url("position_create"), {**POSITION, "course": "online", "place_prefecture": ""})
    assert Position.objects.get().course == "online"


def test_a_pending_company_may_describe_positions_a_rejected_one_not(as_manager, company, open_cycle):
    company.status = "pending"
    company.save()
    as_manager.post(url("position_create"), POSITION)
    assert Position.objects.count() == 1
    company.status = "rejected"
    company.save()
    html = page(as_manager.get(url("position_create")))
    assert "did not approve your company" in html
    as_manager.post(url("position_create"), POSITION)
    assert Position.objects.count() == 1


def test_without_a_cycle_there_is_nothing_to_describe_positions_for(as_manager):
    response = as_manager.get(url("position_create"))
    assert "No program cycle is open yet" in page(response)
    as_manager.post(url("position_create"), POSITION)
    assert not Position.objects.exists()


def test_edit_a_position_while_it_awaits_review(as_manager, company, open_cycle):
    position = PositionFactory(company=company, cycle=open_cycle, status=PositionStatus.REJECTED)
    form_page = as_manager.get(url("position_edit", position.pk))
    assert position.title in page(form_page)
    response = as_manager.post(url("position_edit", position.pk), {**POSITION, "title": "Market research"})
    assert response["Location"] == url("position_detail", position.pk)
    position.refresh_from_db()
    assert position.title == "Market research"
    assert position.status == PositionStatus.SUBMITTED  # a change submits it again


def test_an_approved_position_cannot_be_edited(as_manager, company, open_cycle):
    position = PositionFactory(company=company, cycle=open_cycle, status=PositionStatus.APPROVED)
    assert "Change the position" not in page(as_manager.get(url("position_detail", position.pk)))
    response = as_manager.get(url("position_edit", position.pk), follow=True)
    assert response.redirect_chain == [(url("position_detail", position.pk), 302)]
    assert "An approved or withdrawn position can no longer be changed." in page(response)
    as_manager.post(url("position_edit", position.pk), {**POSITION, "title": "Changed"})
    position.refresh_from_db()
    assert position.title != "Changed"


def test_withdraw_a_position(as_manager, company, open_cycle):
    position = PositionFactory(company=company, cycle=open_cycle)
    assert "Do you want to withdraw" in page(as_manager.get(url("position_withdraw", position.pk)))
    as_manager.post(url("position_withdraw", position.pk))
    position.refresh_from_db()
    assert position.status == PositionStatus.WITHDRAWN
    html = page(as_manager.get(url("position_detail", position.pk)))
    assert "Withdrawn" in html
    assert url("position_withdraw", position.pk) not in html


# --- Isolation: every page is the manager's own company ----------------------------------------------


@pytest.fixture
def others(other_company, other_manager, open_cycle):
    """Another company's rows, each named by something that must not appear on our pages."""
    second = CompanyManagerFactory(company=other_company, user=UserFactory(email="second@other.example"))
    position = PositionFactory(company=other_company, cycle=open_cycle, title="Secret wholesale role")
    invitation = services.invitation_create(
        company=other_company, email="invitee@other.example", by=other_manager
    )
    return {"manager": second, "position": position, "invitation": invitation}


def other_urls(others):
    position = others["position"].pk
    return [
        ("get", url("position_detail", position)),
        ("get", url("position_edit", position)),
        ("post", url("position_edit", position)),
        ("get", url("position_withdraw", position)),
        ("post", url("position_withdraw", position)),
        ("get", url("manager_remove", others["manager"].pk)),
        ("post", url("manager_remove", others["manager"].pk)),
        ("post", url("invitation_revoke", others["invitation"].pk)),
    ]


PORTAL_PAGES = ["home", "edit", "position_list", "position_create", "manager_invite"]


def test_a_manager_gets_404_for_another_companys_ids(as_manager, others, other_company):
    for method, address in other_urls(others):
        response = getattr(as_manager, method)(address, POSITION if method == "post" else None)
        assert response.status_code == 404, (method, address)
    others["position"].refresh_from_db()
    others["invitation"].refresh_from_db()
    assert others["position"].status == PositionStatus.SUBMITTED
    assert others["position"].title == "Secret wholesale role"
    assert others["invitation"].revoked_at is None
    assert other_company.managers.count() == 2


def test_a_managers_pages_never_show_another_companys_data(as_manager, company, others, open_cycle):
    PositionFactory(company=company, cycle=open_cycle, title="Our own role")
    for name in PORTAL_PAGES:
        html = page(as_manager.get(url(name)))
        for secret in ("Other Trading", "アザー商事", "Secret wholesale role", "@other.example"):
            assert secret not in html, (name, secret)
    assert "Our own role" in page(as_manager.get(url("position_list")))


def test_anonymous_visitors_are_sent_to_log_in(client, others):
    for name in [*PORTAL_PAGES, "register"]:
        response = client.get(url(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login")), name
    for method, address in other_urls(others):
        response = getattr(client, method)(address)
        assert response["Location"].startswith(reverse("account_login")), address


def test_an_applicant_is_sent_to_register_and_sees_no_company(as_applicant, others):
    for name in PORTAL_PAGES:
        response = as_applicant.get(url(name))
        assert response["Location"] == url("register"), name
    for method, address in other_urls(others):
        response = getattr(as_applicant, method)(address, POSITION if method == "post" else None)
        assert response["Location"] == url("register"), address
    html = page(as_applicant.get(url("register")))
    assert "Other Trading" not in html and "Secret wholesale role" not in html
    others["position"].refresh_from_db()
    assert others["position"].status == PositionStatus.SUBMITTED


def test_the_dashboard_links_a_manager_to_the_portal_and_an_applicant_to_nothing_new(
    client, manager, applicant
):
    client.force_login(manager)
    assert url("home") in page(client.get(reverse("dashboard")))
    client.force_login(applicant)
    html = page(client.get(reverse("dashboard")))
    assert "/company/" not in html
    assert "Host company" not in html


def test_the_home_page_leads_host_companies_to_registration(client, fy2024):
    html = page(client.get(reverse("home")))
    assert "For host companies" in html
    assert url("register") in html


# --- Query counts: fixed whatever the number of rows ---------------------------------------------------


def grow(company, manager, cycle, n):
    for i in range(n):
        CompanyManagerFactory(company=company)
        PositionFactory(company=company, cycle=cycle)
        services.invitation_create(company=company, email=f"invitee{i}@seiko.example", by=manager)
        services.company_update(company=company, data={"regular_employees": 50 + i}, by=manager)


@pytest.mark.parametrize(
    ("name", "queries"),
    [("home", 7), ("position_list", 5), ("edit", 5)],
)
def test_portal_pages_use_a_fixed_number_of_queries(
    as_manager, company, manager, open_cycle, django_assert_num_queries, name, queries
):
    grow(company, manager, open_cycle, 1)
    as_manager.get(url(name))  # the first request keeps the current cycle in the cache
    with django_assert_num_queries(queries):
        assert as_manager.get(url(name)).status_code == 200
    grow(company, manager, open_cycle, 12)
    with django_assert_num_queries(queries):
        assert as_manager.get(url(name)).status_code == 200


def test_position_page_uses_a_fixed_number_of_queries(
    as_manager, company, manager, open_cycle, django_assert_num_queries
):
    grow(company, manager, open_cycle, 1)
    position = Position.objects.filter(company=company).first()
    as_manager.get(
        url("position_detail", position.pk)
    )  # the first request keeps the current cycle in the cache
    with django_assert_num_queries(5):
        assert as_manager.get(url("position_detail", position.pk)).status_code == 200
    grow(company, manager, open_cycle, 12)
    with django_assert_num_queries(5):
        assert as_manager.get(url("position_detail", position.pk)).status_code == 200
