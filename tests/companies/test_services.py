"""Services of host companies: one function per change, audited, the managers told by e-mail (docs/program.md §6–7)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from companies import services
from companies.eligibility import FAIL, PASS
from companies.models import (
    CompanyInvitation,
    CompanyManager,
    HostCompany,
    Position,
    PositionStatus,
    ReviewStatus,
)
from jip import clock
from jip.models import AuditEntry
from tests.factories import CompanyManagerFactory, HostCompanyFactory, PositionFactory, UserFactory

JST = clock.JST
NOW = dt.datetime(2024, 5, 10, 10, 0, tzinfo=JST)

# What a manager types when registering: a small stock company in Tokyo, the number pasted with hyphens.
REGISTRATION = {
    "name_ja": "株式会社テスト工業",
    "name_en": "Test Kogyo Co., Ltd.",
    "corporate_number": "8-7001-1000-5901",
    "organisation_type": "kabushiki_kaisha",
    "industry": "services",
    "business_description": "Precision parts for medical devices.",
    "capital_jpy": 10_000_000,
    "regular_employees": 120,
    "head_office_prefecture": "13",
    "head_office_city": "Chiyoda",
    "main_business_in_japan": True,
    "main_business_prefecture": "13",
    "main_business_city": "Chiyoda",
    "contact_name": "Tanaka Yui",
    "contact_email": "tanaka@test-kogyo.example",
}

POSITION = {
    "title": "Overseas sales assistant",
    "role_and_goals": "Research a market in Southeast Asia and prepare a sales plan with the export team.",
    "course": "in_person",
    "place_prefecture": "13",
    "place_city": "Chiyoda",
    "starts_on": dt.date(2024, 8, 19),
    "ends_on": dt.date(2024, 9, 13),
    "hours_per_week": 35,
    "interns": 2,
    "mentor_name": "Suzuki Hanako",
}

NO_PLACE = {"place_prefecture": ["Give the place of an in-person internship."]}
ENDS_BEFORE = {"ends_on": ["The internship cannot end before it starts."]}


def audits(action: str, target) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action=action, target_type=target._meta.label_lower, target_id=str(target.pk)
        ).order_by("at", "pk")
    )


def render_subject(template: str, language: str, **context) -> str:
    with translation.override(language):
        return " ".join(render_to_string(f"{template}_subject.txt", context).split())


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def ja_manager(company):
    """A second manager of `company` who reads mail in Japanese."""
    user = UserFactory(email="kanri@seiko.example", preferred_language="ja")
    CompanyManagerFactory(company=company, user=user)
    return user


@pytest.fixture
def pending_company(company):
    HostCompany.objects.filter(pk=company.pk).update(status=ReviewStatus.PENDING)
    company.refresh_from_db()
    return company


@pytest.fixture
def tokens(monkeypatch):
    """The invitation tokens the service draws, in order: still random, and recorded so a test can use them."""
    issued: list[str] = []
    draw = secrets.token_urlsafe

    def record(nbytes=None):
        token = draw(nbytes)
        issued.append(token)
        return token

    monkeypatch.setattr(services.secrets, "token_urlsafe", record)
    return issued


def accept_path(token: str) -> str:
    try:
        return reverse("companies:invitation_accept", args=[token])
    except NoReverseMatch:
        pytest.skip(
            "URL name companies:invitation_accept is missing from companies/urls.py (the portal engineer adds it); "
            "the invitation mail cannot be rendered without it"
        )


# --- Registering a company ------------------------------------------------------------------------


def test_register_creates_a_pending_company_with_its_manager_and_outcomes(db, now):
    user = UserFactory()
    company = services.company_register(user=user, data=REGISTRATION)
    company.refresh_from_db()
    assert company.corporate_number == "8700110005901"  # normalised
    assert (company.name_en, company.industry, company.capital_jpy) == (
        "Test Kogyo Co., Ltd.",
        "services",
        10**7,
    )
    assert company.status == ReviewStatus.PENDING
    assert company.reviewed_at is None
    assert company.is_eligible is True
    assert company.eligibility == [
        {"rule": "organisation", "outcome": PASS, "reason": "Stock company (kabushiki kaisha)."},
        {
            "rule": "sme",
            "outcome": PASS,
            "reason": "Services: capital of ¥10,000,000 is at most ¥50,000,000.",
        },
        {"rule": "location", "outcome": PASS, "reason": "Main business location in Tokyo."},
    ]
    assert list(CompanyManager.objects.filter(company=company).values_list("user", flat=True)) == [user.pk]
    [entry] = audits("company.registered", company)
    assert (entry.actor, entry.at) == (user, NOW)


def test_a_company_that_does_not_qualify_is_registered_with_its_outcomes(db):
    data = {
        **REGISTRATION,
        "organisation_type": "non_profit",
        "capital_jpy": 60_000_000,
        "regular_employees": 101,
    }
    company = services.company_register(user=UserFactory(), data=data)
    company.refresh_from_db()
    assert company.status == ReviewStatus.PENDING
    assert company.is_eligible is False
    assert [o["outcome"] for o in company.eligibility] == [FAIL, FAIL, PASS]
    assert company.eligibility[0]["reason"] == "Non-profit organisation cannot host interns in this program."


def test_register_refuses_a_user_who_manages_a_company(manager, company):
    with pytest.raises(ValidationError) as error:
        services.company_register(user=manager, data=REGISTRATION)
    assert error.value.code == "has_company"
    assert error.value.messages == ["You manage a host company already."]
    assert list(HostCompany.objects.all()) == [company]


@pytest.mark.parametrize("typed", ["same", "hyphens", "full_width"])
def test_register_refuses_a_corporate_number_registered_already(company, typed):
    number = {
        "same": company.corporate_number,
        "hyphens": f"{company.corporate_number[0]}-{company.corporate_number[1:]}",
        "full_width": company.corporate_number.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    }[typed]
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.company_register(user=user, data={**REGISTRATION, "corporate_number": number})
    assert error.value.message_dict == {
        "corporate_number": ["A company with this corporate number is registered already."]
    }
    assert [e.code for e in error.value.error_dict["corporate_number"]] == ["taken"]
    assert HostCompany.objects.count() == 1
    assert not CompanyManager.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("9700110005901", "check_digit"),
        ("870011000590", "format"),
        ("", "format"),
    ],
)
def test_register_refuses_a_corporate_number_that_is_not_valid(db, number, code):
    with pytest.raises(ValidationError) as error:
        services.company_register(user=UserFactory(), data={**REGISTRATION, "corporate_number": number})
    assert error.value.code == code
    assert not HostCompany.objects.exists()


def test_register_without_a_corporate_number_fails_on_format(db):
    data = {k: v for k, v in REGISTRATION.items() if k != "corporate_number"}
    with pytest.raises(ValidationError) as error:
        services.company_register(user=UserFactory(), data=data)
    assert error.value.code == "format"


@pytest.mark.parametrize(
    "extra", [{"status": "approved"}, {"is_eligible": True}, {"review_reason": "x"}, {"eligibility": []}]
)
def test_register_refuses_fields_a_manager_does_not_set(db, extra):
    with pytest.raises(ValueError, match=f"Not fields a company manager sets: \\['{next(iter(extra))}'\\]"):
        services.company_register(user=UserFactory(), data={**REGISTRATION, **extra})
    assert not HostCompany.objects.exists()


# --- Updating the profile -----------------------------------------------------------------------------


def test_update_changes_re_evaluates_and_audits_the_changed_fields(company, manager, now):
    assert company.is_eligible is True
    updated = services.company_update(
        company=company,
        data={
            "industry": "retail",
            "capital_jpy": 60_000_000,
            "regular_employees": 51,
            "name_en": company.name_en,
        },
        by=manager,
    )
    updated.refresh_from_db()
    assert (updated.industry, updated.capital_jpy, updated.regular_employees) == ("retail", 60_000_000, 51)
    assert updated.is_eligible is False
    assert updated.eligibility[1] == {
        "rule": "sme",
        "outcome": FAIL,
        "reason": "Retail: capital of ¥60,000,000 is over ¥50,000,000 and 51 regular employees is over 50, so "
        "the company is not an SME under the SME Basic Act.",
    }
    [entry] = audits("company.updated", company)
    assert (entry.actor, entry.at) == (manager, NOW)
    assert entry.data == {"fields": ["capital_jpy", "industry", "regular_employees"]}  # name_en unchanged


def test_update_back_within_the_limits_qualifies_again(company, manager):
    services.company_update(company=company, data={"organisation_type": "local_government"}, by=manager)
    company.refresh_from_db()
    assert company.is_eligible is False
    services.company_update(company=company, data={"organisation_type": "godo_kaisha"}, by=manager)
    company.refresh_from_db()
    assert company.is_eligible is True
    assert [o["outcome"] for o in company.eligibility] == [PASS, PASS, PASS]


def test_update_keeps_every_change_in_the_history_with_who_made_it(company, manager):
    before = company.history.count()
    services.company_update(company=company, data={"capital_jpy": 45_000_000}, by=manager)
    services.company_update(company=company, data={"main_business_city": "Toyota"}, by=manager)
    records = list(company.history.order_by("-history_id"))
    assert len(records) == before + 2
    latest, previous, original = records[:3]
    assert [(r.history_user, r.history_change_reason) for r in (latest, previous)] == [
        (manager, "profile update"),
        (manager, "profile update"),
    ]
    assert (latest.capital_jpy, latest.main_business_city) == (45_000_000, "Toyota")
    assert (previous.capital_jpy, previous.main_business_city) == (45_000_000, "Nagoya")
    assert (original.capital_jpy, original.main_business_city, original.history_user) == (
        30_000_000,
        "Nagoya",
        None,
    )


def test_update_normalises_the_corporate_number_and_accepts_its_own(company, manager):
    own = f"{company.corporate_number[:5]}-{company.corporate_number[5:]}"
    services.company_update(company=company, data={"corporate_number": own}, by=manager)
    company.refresh_from_db()
    assert company.corporate_number == own.replace("-", "")
    assert audits("company.updated", company)[0].data == {"fields": []}


def test_update_refuses_the_corporate_number_of_another_company(company, manager, other_company):
    with pytest.raises(ValidationError) as error:
        services.company_update(
            company=company, data={"corporate_number": other_company.corporate_number}, by=manager
        )
    assert error.value.message_dict == {
        "corporate_number": ["A company with this corporate number is registered already."]
    }
    assert [e.code for e in error.value.error_dict["corporate_number"]] == ["taken"]
    assert HostCompany.objects.get(pk=company.pk).corporate_number == company.corporate_number


def test_update_refuses_a_wrong_check_digit(company, manager):
    wrong = ("1" if company.corporate_number[0] != "1" else "2") + company.corporate_number[1:]
    with pytest.raises(ValidationError) as error:
        services.company_update(company=company, data={"corporate_number": wrong}, by=manager)
    assert error.value.code == "check_digit"
    assert audits("company.updated", company) == []


@pytest.mark.parametrize("extra", [{"status": "approved"}, {"is_eligible": True}, {"reviewed_at": None}])
def test_update_refuses_fields_a_manager_does_not_set(company, manager, extra):
    with pytest.raises(ValueError, match="Not fields a company manager sets"):
        services.company_update(company=company, data=extra, by=manager)
    assert audits("company.updated", company) == []


# --- The office's review of a company -------------------------------------------------------------


def test_approve_a_qualifying_company_and_mail_each_manager_in_their_language(
    pending_company, manager, ja_manager, staff, now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.company_review(company=pending_company, approve=True, by=staff)
    pending_company.refresh_from_db()
    assert (pending_company.status, pending_company.reviewed_at) == (ReviewStatus.APPROVED, NOW)
    assert pending_company.review_reason == ""
    [entry] = audits("company.approved", pending_company)
    assert (entry.actor, entry.data) == (staff, {"reason": ""})
    assert len(callbacks) == 1
    english, japanese = mail.outbox
    assert english.to == ["manager@seiko.example"]
    assert english.subject == "[JIP] Your company is approved as a host company"
    assert english.body.startswith("To the managers of Sample Seiko Co., Ltd.,")
    assert "The JIP office has approved your company as a host company." in english.body
    assert english.body.rstrip().endswith("JIP office")
    assert japanese.to == ["kanri@seiko.example"]
    assert japanese.subject == render_subject(
        "companies/email/company_reviewed", "ja", company=pending_company
    )
    assert "株式会社サンプル精工" in japanese.body  # the company's Japanese name
    assert japanese.body.rstrip().endswith("JIP事務局")


@pytest.mark.parametrize(
    "change",
    [
        {"organisation_type": "industry_association"},
        {"main_business_prefecture": ""},
        {"capital_jpy": 300_000_001, "regular_employees": 301},
    ],
)
def test_approve_refuses_a_company_that_does_not_qualify(
    pending_company, manager, staff, django_capture_on_commit_callbacks, change
):
    services.company_update(company=pending_company, data=change, by=manager)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        services.company_review(company=pending_company, approve=True, by=staff)
    assert error.value.code == "not_eligible"
    assert error.value.messages == ["This company does not qualify: see its eligibility."]
    pending_company.refresh_from_db()
    assert pending_company.status == ReviewStatus.PENDING
    assert audits("company.approved", pending_company) == []
    assert mail.outbox == []


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_needs_a_reason(pending_company, staff, django_capture_on_commit_callbacks, reason):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        services.company_review(company=pending_company, approve=False, by=staff, reason=reason)
    assert error.value.message_dict == {"reason": ["Say why the company is not approved."]}
    pending_company.refresh_from_db()
    assert pending_company.status == ReviewStatus.PENDING
    assert mail.outbox == []


def test_reject_with_a_reason_tells_the_managers_why(
    pending_company, manager, staff, now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.company_review(
            company=pending_company, approve=False, by=staff, reason="  A subsidiary of a large company.  "
        )
    pending_company.refresh_from_db()
    assert pending_company.status == ReviewStatus.REJECTED
    assert (pending_company.review_reason, pending_company.reviewed_at) == (
        "A subsidiary of a large company.",
        NOW,
    )
    [entry] = audits("company.rejected", pending_company)
    assert entry.data == {"reason": "A subsidiary of a large company."}
    [message] = mail.outbox
    assert message.to == [manager.email]
    assert message.subject == "[JIP] Your company's registration was not approved"
    assert "Reason: A subsidiary of a large company." in message.body


def test_reject_does_not_need_the_company_to_qualify(pending_company, manager, staff):
    services.company_update(company=pending_company, data={"organisation_type": "non_profit"}, by=manager)
    services.company_review(company=pending_company, approve=False, by=staff, reason="Not a company.")
    pending_company.refresh_from_db()
    assert pending_company.status == ReviewStatus.REJECTED


# --- Invitations ------------------------------------------------------------------------------------


def test_invitation_is_for_one_address_for_seven_days_and_keeps_only_a_hash(company, manager, now, tokens):
    invitation = services.invitation_create(
        company=company, email="  New.Colleague@Seiko.Example ", by=manager
    )
    invitation.refresh_from_db()
    [token] = tokens
    assert invitation.email == "new.colleague@seiko.example"
    assert (invitation.company, invitation.invited_by) == (company, manager)
    assert invitation.expires_at == NOW + dt.timedelta(days=7)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert services.invitation_for_token(token) == invitation
    assert services.invitation_for_token("not-a-token") is None
    [entry] = audits("company.invited", company)
    assert (entry.actor, entry.data) == (manager, {"email": "new.colleague@seiko.example"})


def test_invitation_mail_carries_the_link_with_the_token(
    company, manager, now, tokens, django_capture_on_commit_callbacks
):
    accept_path("probe")  # skips while the URL does not exist
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(company=company, email="new.colleague@seiko.example", by=manager)
    [token] = tokens
    [message] = mail.outbox
    assert message.to == ["new.colleague@seiko.example"]
    assert message.subject == "[JIP] You are invited to manage Sample Seiko Co., Ltd."
    assert "manager@seiko.example invites you to manage Sample Seiko Co., Ltd." in message.body
    path = accept_path(token)
    assert "/company/invitations/" in path
    assert f"{settings.JIP_SITE_URL.rstrip('/')}{path}" in message.body.split()
    assert "expires on May 17, 2024, 10 a.m. (JST)" in message.body


def test_invitation_mail_is_in_the_inviters_language(
    company, now, tokens, django_capture_on_commit_callbacks
):
    accept_path("probe")
    inviter = UserFactory(email="shacho@seiko.example", preferred_language="ja")
    CompanyManagerFactory(company=company, user=inviter)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(company=company, email="new.colleague@seiko.example", by=inviter)
    [message] = mail.outbox
    assert message.subject == render_subject("companies/email/invitation", "ja", company=company)
    assert "株式会社サンプル精工" in message.subject
    assert message.body.rstrip().endswith("JIP事務局")


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("manager@seiko.example", "This person manages the company already."),
        ("MANAGER@Seiko.example", "This person manages the company already."),
        ("manager@other.example", "This person manages another host company."),
    ],
)
def test_inviting_a_manager_is_a_field_error(
    company, manager, other_manager, django_capture_on_commit_callbacks, email, message
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as error,
    ):
        services.invitation_create(company=company, email=email, by=manager)
    assert error.value.message_dict == {"email": [message]}
    assert callbacks == []
    assert not CompanyInvitation.objects.exists()


def test_accept_makes_the_invited_user_a_manager_once(company, manager, now, tokens):
    invitation = services.invitation_create(company=company, email="new.colleague@seiko.example", by=manager)
    [token] = tokens
    colleague = UserFactory(email="New.Colleague@seiko.example")  # the address in another case
    membership = services.invitation_accept(token=token, user=colleague)
    assert (membership.company, membership.user) == (company, colleague)
    invitation.refresh_from_db()
    assert (invitation.accepted_at, invitation.accepted_by) == (NOW, colleague)
    [entry] = audits("company.manager_joined", company)
    assert (entry.actor, entry.data) == (colleague, {"email": "New.Colleague@seiko.example"})

    with pytest.raises(ValidationError) as error:
        services.invitation_accept(token=token, user=colleague)
    assert error.value.code == "used"
    assert error.value.messages == ["This invitation has been used already."]
    assert CompanyManager.objects.filter(company=company).count() == 2


def test_accept_by_another_address_is_refused(company, manager, tokens):
    services.invitation_create(company=company, email="new.colleague@seiko.example", by=manager)
    [token] = tokens
    intruder = UserFactory(email="someone.else@example.org")
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(token=token, user=intruder)
    assert error.value.code == "other_email"
    assert error.value.messages == [
        "This invitation is for new.colleague@seiko.example. Log in with that address to accept it."
    ]
    assert not CompanyManager.objects.filter(user=intruder).exists()


@pytest.mark.parametrize(
    ("later", "expired"),
    [
        (dt.timedelta(days=7) - dt.timedelta(seconds=1), False),
        (dt.timedelta(days=7), True),
        (dt.timedelta(days=30), True),
    ],
)
def test_invitation_expires_after_seven_days(company, manager, time_machine, tokens, later, expired):
    time_machine.move_to(NOW, tick=False)
    services.invitation_create(company=company, email="new.colleague@seiko.example", by=manager)
    [token] = tokens
    colleague = UserFactory(email="new.colleague@seiko.example")
    time_machine.move_to(NOW + later, tick=False)
    if not expired:
        assert services.invitation_accept(token=token, user=colleague).company == company
        return
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(token=token, user=colleague)
    assert error.value.code == "expired"
    assert error.value.messages == ["This invitation has expired. Ask for a new one."]
    assert not CompanyManager.objects.filter(user=colleague).exists()


def test_a_revoked_or_unknown_invitation_is_invalid(company, manager, now, tokens):
    invitation = services.invitation_create(company=company, email="new.colleague@seiko.example", by=manager)
    [token] = tokens
    services.invitation_revoke(invitation=invitation, by=manager)
    invitation.refresh_from_db()
    assert invitation.revoked_at == NOW
    [entry] = audits("company.invitation_revoked", company)
    assert entry.data == {"email": "new.colleague@seiko.example"}
    colleague = UserFactory(email="new.colleague@seiko.example")
    for attempt in (token, "made-up-token"):
        with pytest.raises(ValidationError) as error:
            services.invitation_accept(token=attempt, user=colleague)
        assert error.value.code == "invalid"
        assert error.value.messages == ["This invitation link is not valid."]
    assert not CompanyManager.objects.filter(user=colleague).exists()


def test_revoking_an_accepted_invitation_changes_nothing(company, manager, tokens):
    invitation = services.invitation_create(company=company, email="new.colleague@seiko.example", by=manager)
    services.invitation_accept(token=tokens[0], user=UserFactory(email="new.colleague@seiko.example"))
    services.invitation_revoke(invitation=invitation, by=manager)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert audits("company.invitation_revoked", company) == []


def test_accept_by_a_user_who_came_to_manage_another_company_is_refused(
    company, manager, other_company, tokens
):
    services.invitation_create(company=company, email="new.colleague@seiko.example", by=manager)
    [token] = tokens
    colleague = UserFactory(email="new.colleague@seiko.example")
    CompanyManagerFactory(company=other_company, user=colleague)  # after the invitation was sent
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(token=token, user=colleague)
    assert error.value.code == "has_company"
    assert error.value.messages == ["You manage a host company already."]
    assert list(CompanyManager.objects.filter(user=colleague).values_list("company", flat=True)) == [
        other_company.pk
    ]
    assert CompanyInvitation.objects.get().accepted_at is None


# --- Removing a manager -------------------------------------------------------------------------------


def test_remove_a_manager(company, manager):
    colleague = CompanyManagerFactory(company=company, user=UserFactory(email="colleague@seiko.example"))
    services.manager_remove(membership=colleague, by=manager)
    assert list(CompanyManager.objects.filter(company=company).values_list("user", flat=True)) == [manager.pk]
    [entry] = audits("company.manager_removed", company)
    assert (entry.actor, entry.data) == (manager, {"email": "colleague@seiko.example"})


def test_the_last_manager_cannot_be_removed(company, manager, staff):
    membership = CompanyManager.objects.get(user=manager)
    with pytest.raises(ValidationError) as error:
        services.manager_remove(membership=membership, by=staff)
    assert error.value.code == "last_manager"
    assert error.value.messages == ["A company needs at least one manager."]
    assert CompanyManager.objects.filter(pk=membership.pk).exists()
    assert audits("company.manager_removed", company) == []


# --- Positions ------------------------------------------------------------------------------------------


def test_create_a_position_for_review(company, manager, open_cycle):
    position = services.position_create(company=company, cycle=open_cycle, data=POSITION, by=manager)
    position.refresh_from_db()
    assert (position.company, position.cycle, position.status) == (
        company,
        open_cycle,
        PositionStatus.SUBMITTED,
    )
    assert (position.title, position.interns, position.place_prefecture) == (
        "Overseas sales assistant",
        2,
        "13",
    )
    [entry] = audits("position.created", position)
    assert entry.actor == manager


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"place_prefecture": ""}, NO_PLACE),
        ({"course": "both", "place_prefecture": ""}, NO_PLACE),
        ({"ends_on": dt.date(2024, 8, 18)}, ENDS_BEFORE),
        ({"interns": 0}, {"interns": ["A position has at least one intern."]}),
        ({"place_prefecture": "", "ends_on": dt.date(2024, 8, 1)}, {**NO_PLACE, **ENDS_BEFORE}),
        ({"course": "online", "place_prefecture": "", "place_city": ""}, None),
        ({"ends_on": dt.date(2024, 8, 19)}, None),  # a one-day internship
        ({"starts_on": None, "ends_on": None}, None),
        ({"ends_on": None}, None),
    ],
)
def test_position_checks(company, manager, open_cycle, change, errors):
    data = {**POSITION, **change}
    if errors is None:
        assert services.position_create(company=company, cycle=open_cycle, data=data, by=manager).pk
        return
    with pytest.raises(ValidationError) as error:
        services.position_create(company=company, cycle=open_cycle, data=data, by=manager)
    assert error.value.message_dict == errors
    assert not Position.objects.exists()


@pytest.mark.parametrize("extra", [{"status": "approved"}, {"company": None}, {"review_reason": ""}])
def test_create_refuses_fields_a_manager_does_not_set(company, manager, open_cycle, extra):
    with pytest.raises(ValueError, match="Not fields a company manager sets"):
        services.position_create(company=company, cycle=open_cycle, data={**POSITION, **extra}, by=manager)
    assert not Position.objects.exists()


def test_update_a_submitted_position(company, manager, open_cycle):
    position = PositionFactory(company=company, cycle=open_cycle)
    updated = services.position_update(
        position=position, data={"title": "Export assistant", "interns": 3}, by=manager
    )
    updated.refresh_from_db()
    assert (updated.title, updated.interns, updated.status) == (
        "Export assistant",
        3,
        PositionStatus.SUBMITTED,
    )
    [entry] = audits("position.updated", position)
    assert entry.actor == manager


def test_updating_a_rejected_position_submits_it_again(company, manager, open_cycle):
    position = PositionFactory(company=company, cycle=open_cycle, status=PositionStatus.REJECTED)
    services.position_update(position=position, data={"hours_per_week": 30}, by=manager)
    position.refresh_from_db()
    assert (position.status, position.hours_per_week) == (PositionStatus.SUBMITTED, 30)


@pytest.mark.parametrize("status", [PositionStatus.APPROVED, PositionStatus.WITHDRAWN])
def test_an_approved_or_withdrawn_position_cannot_be_changed(company, manager, open_cycle, status):
    position = PositionFactory(company=company, cycle=open_cycle, status=status, title="Export assistant")
    with pytest.raises(ValidationError) as error:
        services.position_update(position=position, data={"title": "Something else"}, by=manager)
    assert error.value.code == "locked"
    assert error.value.messages == ["An approved or withdrawn position can no longer be changed."]
    position.refresh_from_db()
    assert (position.status, position.title) == (status, "Export assistant")
    assert audits("position.updated", position) == []


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"place_prefecture": ""}, NO_PLACE),  # still in person: the stored course counts
        ({"course": "both"}, None),  # the stored place counts
        ({"ends_on": dt.date(2024, 8, 18)}, ENDS_BEFORE),  # before the stored start
        ({"course": "online", "place_prefecture": ""}, None),
    ],
)
def test_update_checks_the_position_as_it_will_be(company, manager, open_cycle, change, errors):
    position = PositionFactory(
        company=company, cycle=open_cycle, starts_on=dt.date(2024, 8, 19), ends_on=dt.date(2024, 9, 13)
    )
    if errors is None:
        services.position_update(position=position, data=change, by=manager)
        return
    with pytest.raises(ValidationError) as error:
        services.position_update(position=position, data=change, by=manager)
    assert error.value.message_dict == errors
    position.refresh_from_db()
    assert (position.place_prefecture, position.ends_on) == ("23", dt.date(2024, 9, 13))


@pytest.mark.parametrize(
    "status", [PositionStatus.SUBMITTED, PositionStatus.APPROVED, PositionStatus.REJECTED]
)
def test_withdraw_a_position_once(company, manager, open_cycle, status):
    position = PositionFactory(company=company, cycle=open_cycle, status=status)
    services.position_withdraw(position=position, by=manager)
    services.position_withdraw(position=position, by=manager)
    position.refresh_from_db()
    assert position.status == PositionStatus.WITHDRAWN
    assert len(audits("position.withdrawn", position)) == 1


# --- The office's review of a position ------------------------------------------------------------------


def test_approve_a_position_and_mail_the_managers(
    company, manager, ja_manager, staff, open_cycle, now, django_capture_on_commit_callbacks
):
    position = PositionFactory(company=company, cycle=open_cycle, title="Export assistant")
    with django_capture_on_commit_callbacks(execute=True):
        services.position_review(position=position, approve=True, by=staff)
    position.refresh_from_db()
    assert (position.status, position.reviewed_at, position.review_reason) == (
        PositionStatus.APPROVED,
        NOW,
        "",
    )
    [entry] = audits("position.approved", position)
    assert entry.actor == staff
    english, japanese = mail.outbox
    assert (english.to, japanese.to) == (["manager@seiko.example"], ["kanri@seiko.example"])
    assert english.subject == "[JIP] Position approved: Export assistant"
    assert "The JIP office has approved the position “Export assistant”." in english.body
    assert japanese.subject == render_subject(
        "companies/email/position_reviewed", "ja", company=company, position=position
    )
    assert japanese.body.rstrip().endswith("JIP事務局")


@pytest.mark.parametrize("reason", ["", "  "])
def test_reject_a_position_needs_a_reason(
    company, staff, open_cycle, django_capture_on_commit_callbacks, reason
):
    position = PositionFactory(company=company, cycle=open_cycle)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        services.position_review(position=position, approve=False, by=staff, reason=reason)
    assert error.value.message_dict == {"reason": ["Say why the position is not approved."]}
    position.refresh_from_db()
    assert position.status == PositionStatus.SUBMITTED
    assert mail.outbox == []


def test_reject_a_position_with_a_reason(
    company, manager, staff, open_cycle, now, django_capture_on_commit_callbacks
):
    position = PositionFactory(company=company, cycle=open_cycle, title="Export assistant")
    with django_capture_on_commit_callbacks(execute=True):
        services.position_review(position=position, approve=False, by=staff, reason=" No mentor named. ")
    position.refresh_from_db()
    assert (position.status, position.review_reason, position.reviewed_at) == (
        PositionStatus.REJECTED,
        "No mentor named.",
        NOW,
    )
    [entry] = audits("position.rejected", position)
    assert entry.data == {"reason": "No mentor named."}
    [message] = mail.outbox
    assert message.to == [manager.email]
    assert message.subject == "[JIP] Position not approved: Export assistant"
    assert "Reason: No mentor named." in message.body


@pytest.mark.parametrize("company_status", [ReviewStatus.PENDING, ReviewStatus.REJECTED])
def test_approve_a_position_needs_the_company_approved(
    company, staff, open_cycle, django_capture_on_commit_callbacks, company_status
):
    HostCompany.objects.filter(pk=company.pk).update(status=company_status)
    position = PositionFactory(company=company, cycle=open_cycle)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        services.position_review(position=position, approve=True, by=staff)
    assert error.value.code == "company"
    assert error.value.messages == ["Approve the company before its positions."]
    position.refresh_from_db()
    assert position.status == PositionStatus.SUBMITTED
    assert mail.outbox == []


@pytest.mark.parametrize(("approve", "reason"), [(True, ""), (False, "Not needed any more.")])
def test_a_withdrawn_position_cannot_be_reviewed(company, staff, open_cycle, approve, reason):
    position = PositionFactory(company=company, cycle=open_cycle, status=PositionStatus.WITHDRAWN)
    with pytest.raises(ValidationError) as error:
        services.position_review(position=position, approve=approve, by=staff, reason=reason)
    assert error.value.code == "withdrawn"
    position.refresh_from_db()
    assert (position.status, position.reviewed_at) == (PositionStatus.WITHDRAWN, None)


@pytest.fixture
def cap_of_two(open_cycle, company, other_company):
    """A cycle whose cap of two host companies is reached: `company` and `other_company` host."""
    open_cycle.company_cap = 2
    open_cycle.save()
    for host in (company, other_company):
        PositionFactory(company=host, cycle=open_cycle, status=PositionStatus.APPROVED)
    return open_cycle


def test_the_cap_refuses_a_third_company(cap_of_two, staff, django_capture_on_commit_callbacks):
    third = HostCompanyFactory()
    CompanyManagerFactory(company=third)
    position = PositionFactory(company=third, cycle=cap_of_two)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        services.position_review(position=position, approve=True, by=staff)
    assert error.value.code == "cap"
    assert error.value.messages == [
        "The cycle's cap of 2 host companies is reached: this position cannot be approved."
    ]
    position.refresh_from_db()
    assert position.status == PositionStatus.SUBMITTED
    assert audits("position.approved", position) == []
    assert mail.outbox == []


def test_the_cap_lets_a_hosting_company_add_a_position(cap_of_two, company, other_company, staff):
    position = PositionFactory(company=company, cycle=cap_of_two)
    assert (
        services.position_review(position=position, approve=True, by=staff).status == PositionStatus.APPROVED
    )
    assert services.companies_with_approved_position(cycle=cap_of_two) == {company.pk, other_company.pk}


def test_the_cap_counts_only_approved_positions_of_the_cycle(open_cycle, fy2024, company, staff):
    open_cycle.company_cap = 2
    open_cycle.save()
    PositionFactory(company=company, cycle=open_cycle, status=PositionStatus.APPROVED)
    for status in (PositionStatus.SUBMITTED, PositionStatus.REJECTED, PositionStatus.WITHDRAWN):
        PositionFactory(cycle=open_cycle, status=status)  # each of another company
    PositionFactory(cycle=fy2024, status=PositionStatus.APPROVED)  # hosting in another cycle
    second = PositionFactory(cycle=open_cycle)
    services.position_review(position=second, approve=True, by=staff)
    assert services.companies_with_approved_position(cycle=open_cycle) == {company.pk, second.company_id}


def test_withdrawing_an_approved_position_frees_a_place_under_the_cap(
    cap_of_two, other_company, other_manager, staff
):
    services.position_withdraw(position=other_company.positions.get(), by=other_manager)
    position = PositionFactory(cycle=cap_of_two)
    assert (
        services.position_review(position=position, approve=True, by=staff).status == PositionStatus.APPROVED
    )


def test_rejecting_a_company_rejects_its_open_positions_and_frees_the_cap(
    company, manager, staff, open_cycle
):
    from companies.models import PositionStatus

    from ..factories import PositionFactory

    approved = PositionFactory(company=company, cycle=open_cycle, status=PositionStatus.APPROVED)
    waiting = PositionFactory(company=company, cycle=open_cycle)
    withdrawn = PositionFactory(company=company, cycle=open_cycle, status=PositionStatus.WITHDRAWN)
    services.company_review(company=company, approve=False, reason="Not an SME after all.", by=staff)
    statuses = {p.pk: p.status for p in company.positions.all()}
    assert statuses == {
        approved.pk: PositionStatus.REJECTED,
        waiting.pk: PositionStatus.REJECTED,
        withdrawn.pk: PositionStatus.WITHDRAWN,
    }
    assert services.companies_with_approved_position(cycle=open_cycle) == set()


def test_a_rejected_company_that_corrects_its_profile_is_reviewed_again(company, manager, staff):
    services.company_review(company=company, approve=False, reason="Capital missing.", by=staff)
    services.company_update(company=company, data={"capital_jpy": 20_000_000}, by=manager)
    company.refresh_from_db()
    assert company.status == ReviewStatus.PENDING


def test_approving_twice_is_refused(company, staff, open_cycle):
    with pytest.raises(ValidationError) as exc:
        services.company_review(company=company, approve=True, by=staff)
    assert exc.value.code == "repeated"
    position = services.position_create(
        company=company, cycle=open_cycle, by=staff,
        data={"title": "Analyst", "role_and_goals": "Market research.", "course": "online", "hours_per_week": 20,
              "mentor_name": "Suzuki"},
    )  # fmt: skip
    services.position_review(position=position, approve=True, by=staff)
    with pytest.raises(ValidationError) as exc:
        services.position_review(position=position, approve=True, by=staff)
    assert exc.value.code == "repeated"
