"""The JIP office's workplace for host companies and positions, through the admin as staff use it."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from companies import eligibility
from companies.models import CompanyInvitation, HostCompany, Position, PositionStatus, ReviewStatus
from jip.clock import JST
from jip.models import AuditEntry

from ..factories import CompanyManagerFactory, HostCompanyFactory, PositionFactory, UserFactory

pytestmark = pytest.mark.django_db

# In the past, so the staff session opened today is still valid.
REVIEW_DAY = dt.datetime(2025, 3, 3, 10, 0, tzinfo=JST)


@pytest.fixture
def office(client, staff_with_mfa):
    client.force_login(staff_with_mfa)
    return client


@pytest.fixture
def review_day(time_machine):
    time_machine.move_to(REVIEW_DAY, tick=False)
    return REVIEW_DAY


def companies_url() -> str:
    return reverse("admin:companies_hostcompany_changelist")


def positions_url() -> str:
    return reverse("admin:companies_position_changelist")


def company_url(company: HostCompany) -> str:
    return reverse("admin:companies_hostcompany_change", args=[company.pk])


def position_url(position: Position) -> str:
    return reverse("admin:companies_position_change", args=[position.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def listed(response) -> set[int]:
    return {row.pk for row in response.context["cl"].result_list}


def act(client, url: str, action: str, rows, **extra):
    """Runs an admin action on the selected rows and follows to the list, where its messages show."""
    data = {"action": action, "_selected_action": [row.pk for row in rows], **extra}
    return client.post(url, data, follow=True)


def change_form_post(client, url: str, **changes):
    """The change page as the browser submits it: its fields and the inlines' management forms."""
    context = client.get(url).context
    form = context["adminform"].form
    data = {name: value for name, value in form.initial.items() if name in form.fields and value is not None}
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        for i, inline_form in enumerate(formset.forms):
            data[f"{formset.prefix}-{i}-id"] = inline_form.instance.pk
            data[f"{formset.prefix}-{i}-company"] = inline_form.instance.company_id
    data.update(changes)
    return client.post(url, data)


def not_an_sme(**kwargs) -> HostCompany:
    """A manufacturer over both SME limits (¥300M capital, 300 employees)."""
    return HostCompanyFactory(capital_jpy=500_000_000, regular_employees=800, **kwargs)


# --- Finding host companies -----------------------------------------------------------------------


def test_company_list_counts_the_positions_approved_in_the_current_cycle(office, fy2024, open_cycle):
    company = HostCompanyFactory(name_ja="株式会社サンプル精工", name_en="Sample Seiko Co., Ltd.")
    PositionFactory.create_batch(2, company=company, cycle=open_cycle, status=PositionStatus.APPROVED)
    PositionFactory(company=company, cycle=open_cycle, status=PositionStatus.SUBMITTED)
    PositionFactory(company=company, cycle=fy2024, status=PositionStatus.APPROVED)  # an earlier cycle
    idle = HostCompanyFactory(status=ReviewStatus.PENDING)

    response = office.get(companies_url())

    assert response.status_code == 200
    rows = {c.pk: c for c in response.context["cl"].result_list}
    assert (rows[company.pk].approved_positions, rows[idle.pk].approved_positions) == (2, 0)
    html = response.content.decode()
    for text in (
        "株式会社サンプル精工",
        "Sample Seiko Co., Ltd.",
        company.corporate_number,
        "Aichi",
        "¥30,000,000",
    ):
        assert text in html, text
    assert f"Approved positions are counted in the current cycle: {open_cycle.name_en}." in html
    assert f'<a href="{reverse("admin:companies_hostcompany_export")}?" class="export_link">' in html
    assert "admin_jip/admin.css" in html
    # Registration is the managers': there is no "add" button.
    assert reverse("admin:companies_hostcompany_add") not in html


def test_company_search(office):
    by_name = HostCompanyFactory(name_ja="株式会社みどり工業", name_en="Midori Kogyo Co., Ltd.")
    by_number = HostCompanyFactory()
    by_contact = HostCompanyFactory(contact_email="soumu@aozora.example")
    by_manager = HostCompanyFactory()
    CompanyManagerFactory(company=by_manager, user=UserFactory(email="tanaka@kumo.example"))
    CompanyManagerFactory(company=by_manager)  # a second manager: the company is listed once

    def found(q):
        response = office.get(companies_url(), {"q": q})
        assert len(response.context["cl"].result_list) == len(listed(response))
        return listed(response)

    assert found("みどり") == {by_name.pk}
    assert found("midori kogyo") == {by_name.pk}
    assert found(by_number.corporate_number) == {by_number.pk}
    assert found("soumu@aozora") == {by_contact.pk}
    assert found("tanaka@kumo.example") == {by_manager.pk}


def test_company_filters(office):
    tokyo_retail = HostCompanyFactory(
        industry="retail", main_business_prefecture="13", head_office_prefecture="13", status="pending"
    )
    osaka_big = not_an_sme(main_business_prefecture="27", head_office_prefecture="13")
    aichi_llc = HostCompanyFactory(organisation_type="godo_kaisha", status="rejected")
    assert (tokyo_retail.is_eligible, osaka_big.is_eligible, aichi_llc.is_eligible) == (True, False, True)

    def filtered(**params):
        return listed(office.get(companies_url(), params))

    assert filtered(main_business_prefecture__exact="27") == {osaka_big.pk}
    assert filtered(head_office_prefecture__exact="13") == {tokyo_retail.pk, osaka_big.pk}
    assert filtered(industry__exact="retail") == {tokyo_retail.pk}
    assert filtered(organisation_type__exact="godo_kaisha") == {aichi_llc.pk}
    assert filtered(status__exact="pending") == {tokyo_retail.pk}
    assert filtered(status__exact="approved") == {osaka_big.pk}
    assert filtered(is_eligible__exact=0) == {osaka_big.pk}
    assert filtered(is_eligible__exact=1) == {tokyo_retail.pk, aichi_llc.pk}


def test_prefecture_filters_offer_the_prefectures_in_use(office):
    HostCompanyFactory(main_business_prefecture="27")
    HostCompanyFactory(main_business_prefecture="13")
    HostCompanyFactory()  # Aichi

    def offered(**params) -> list[str]:
        changelist = office.get(companies_url(), params).context["cl"]
        spec = next(f for f in changelist.filter_specs if f.field_path == "main_business_prefecture")
        return [str(option["display"]) for option in spec.choices(changelist)]

    assert offered() == ["All", "Tokyo", "Aichi", "Osaka"]
    # A prefecture in the address stays offered, selected, though no company is there.
    assert offered(main_business_prefecture__exact="01") == ["All", "Hokkaido", "Tokyo", "Aichi", "Osaka"]


# --- Reviewing host companies ---------------------------------------------------------------------


def test_approve_companies_refuses_those_that_do_not_qualify(
    office, staff_with_mfa, review_day, django_capture_on_commit_callbacks
):
    ok = HostCompanyFactory(status=ReviewStatus.PENDING)
    ok_manager = CompanyManagerFactory(company=ok).user
    too_big = not_an_sme(status=ReviewStatus.PENDING, name_en="Giant Heavy Industries")
    CompanyManagerFactory(company=too_big)

    with django_capture_on_commit_callbacks(execute=True):
        response = act(office, companies_url(), "approve", [ok, too_big])

    assert response.redirect_chain == [(companies_url(), 302)]
    assert messages_of(response) == [
        "1 host company approved.",
        "1 host company could not be reviewed: Giant Heavy Industries: "
        "This company does not qualify: see its eligibility.",
    ]
    ok.refresh_from_db()
    too_big.refresh_from_db()
    assert (ok.status, ok.reviewed_at) == (ReviewStatus.APPROVED, REVIEW_DAY)
    assert too_big.status == ReviewStatus.PENDING
    entry = AuditEntry.objects.get(action="company.approved")
    assert (entry.target_id, entry.actor) == (str(ok.pk), staff_with_mfa)
    assert [m.to for m in mail.outbox] == [[ok_manager.email]]
    assert mail.outbox[0].subject == "[JIP] Your company is approved as a host company"


def test_reject_without_a_reason_is_refused(office, django_capture_on_commit_callbacks):
    company = HostCompanyFactory(status=ReviewStatus.PENDING, name_en="Aozora Foods K.K.")
    CompanyManagerFactory(company=company)

    with django_capture_on_commit_callbacks(execute=True):
        response = act(office, companies_url(), "reject", [company], reason="   ")

    assert messages_of(response) == [
        "1 host company could not be reviewed: Aozora Foods K.K.: Say why the company is not approved."
    ]
    company.refresh_from_db()
    assert company.status == ReviewStatus.PENDING
    assert not AuditEntry.objects.filter(action="company.rejected").exists()
    assert mail.outbox == []


def test_reject_with_a_reason_tells_every_manager_in_their_language(
    office, staff_with_mfa, review_day, django_capture_on_commit_callbacks
):
    company = HostCompanyFactory(
        status=ReviewStatus.PENDING, name_en="Aozora Foods K.K.", name_ja="青空食品株式会社"
    )
    english = CompanyManagerFactory(company=company, user__preferred_language="en").user
    japanese = CompanyManagerFactory(company=company, user__preferred_language="ja").user
    reason = "The main business location is a sales office of a foreign parent."

    with django_capture_on_commit_callbacks(execute=True):
        response = act(office, companies_url(), "reject", [company], reason=reason)

    assert messages_of(response) == ["1 host company not approved; its managers are told why."]
    company.refresh_from_db()
    assert (company.status, company.review_reason, company.reviewed_at) == (
        ReviewStatus.REJECTED,
        reason,
        REVIEW_DAY,
    )
    entry = AuditEntry.objects.get(action="company.rejected", target_id=str(company.pk))
    assert (entry.actor, entry.data) == (staff_with_mfa, {"reason": reason})
    assert company.history.first().history_user == staff_with_mfa
    sent = {m.to[0]: m for m in mail.outbox}
    assert sorted(sent) == sorted([english.email, japanese.email])
    assert reason in sent[english.email].body and reason in sent[japanese.email].body
    assert "Aozora Foods K.K." in sent[english.email].body
    assert "Reason:" in sent[english.email].body
    assert "青空食品株式会社" in sent[japanese.email].body
    assert "理由：" in sent[japanese.email].body
    assert "Aozora Foods K.K." not in sent[japanese.email].body


def test_a_decision_is_not_taken_twice(office, django_capture_on_commit_callbacks):
    company = HostCompanyFactory(status=ReviewStatus.APPROVED, name_en="Kumo Systems")
    CompanyManagerFactory(company=company)

    with django_capture_on_commit_callbacks(execute=True):
        response = act(office, companies_url(), "approve", [company])

    assert messages_of(response) == [
        "1 host company could not be reviewed: Kumo Systems: It is “Approved” already."
    ]
    assert not AuditEntry.objects.exists()
    assert mail.outbox == []


# --- One host company on its page -----------------------------------------------------------------


def test_company_page_shows_everything_at_once(office, open_cycle):
    company = not_an_sme(name_en="Giant Heavy Industries", status=ReviewStatus.PENDING)
    manager = CompanyManagerFactory(company=company, user=UserFactory(email="kanri@giant.example")).user
    invitation = CompanyInvitation.objects.create(
        company=company,
        email="colleague@giant.example",
        token_hash="f" * 64,
        invited_by=manager,
        expires_at=REVIEW_DAY,
    )
    position = PositionFactory(company=company, cycle=open_cycle, title="Export market research")

    response = office.get(company_url(company))

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Giant Heavy Industries",
        company.corporate_number,
        "¥500,000,000",
        "Organisation",
        "Locations",
        "Contact",
        "kanri@giant.example",
        "colleague@giant.example",
        "Export market research",
        position_url(position),
    ):
        assert text in html, text
    # The invitation's token hash is never shown.
    assert invitation.token_hash not in html
    # Each rule's outcome as a row of a table: its title, the outcome in words and the kept reason.
    outcomes = {o["rule"]: o for o in company.eligibility}
    for rule, label in [("organisation", "Met"), ("sme", "Not met"), ("location", "Met")]:
        row = (
            f'<tr><th scope="row">{eligibility.title(rule)}</th><td class="outcome-{outcomes[rule]["outcome"]}">'
            f"{label}</td><td>{escape(outcomes[rule]['reason'])}</td></tr>"
        )
        assert row in html, row
    # The profile is shown, never offered for editing; the review is the only thing to fill in.
    assert set(response.context["adminform"].form.fields) == {"decision", "reason"}
    for inline in response.context["inline_admin_formsets"]:
        assert not inline.has_add_permission and not inline.has_change_permission, inline


def test_the_company_page_changes_nothing_but_by_a_decision(office):
    company = HostCompanyFactory(status=ReviewStatus.PENDING, name_en="Kumo Systems")
    CompanyManagerFactory(company=company)

    response = change_form_post(office, company_url(company), name_en="Changed", status="approved")

    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.name_en, company.status) == ("Kumo Systems", ReviewStatus.PENDING)
    assert not AuditEntry.objects.exists()


def test_company_decision_on_its_page(office, review_day):
    company = HostCompanyFactory(status=ReviewStatus.PENDING)
    CompanyManagerFactory(company=company)

    response = change_form_post(office, company_url(company), decision="reject", reason=" ")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"reason": ["Say why the company is not approved."]}

    response = change_form_post(office, company_url(company), decision="", reason="A note")
    assert response.context["adminform"].form.errors == {
        "decision": ["Choose “Approve” or “Reject” to record a reason."]
    }

    response = change_form_post(office, company_url(company), decision="approve")
    assert response.status_code == 302
    company.refresh_from_db()
    assert (company.status, company.reviewed_at) == (ReviewStatus.APPROVED, REVIEW_DAY)


def test_a_refused_decision_on_the_page_shows_the_reason(office):
    company = not_an_sme(status=ReviewStatus.PENDING)

    response = change_form_post(office, company_url(company), decision="approve")

    assert response.status_code == 302
    assert response.url == company_url(company)
    assert messages_of(office.get(response.url)) == ["This company does not qualify: see its eligibility."]
    company.refresh_from_db()
    assert company.status == ReviewStatus.PENDING


def test_history_pages_open(office, open_cycle, review_day):
    company = HostCompanyFactory(status=ReviewStatus.PENDING, name_en="Kumo Systems")
    position = PositionFactory(company=company, cycle=open_cycle, title="Data analyst")
    act(office, companies_url(), "approve", [company])

    response = office.get(reverse("admin:companies_hostcompany_history", args=[company.pk]))
    assert response.status_code == 200
    assert "Kumo Systems" in response.content.decode()
    response = office.get(reverse("admin:companies_position_history", args=[position.pk]))
    assert response.status_code == 200
    assert "Data analyst" in response.content.decode()


def test_there_is_no_add_or_delete(office, open_cycle):
    position = PositionFactory(cycle=open_cycle)
    for url in (
        reverse("admin:companies_hostcompany_add"),
        reverse("admin:companies_hostcompany_delete", args=[position.company_id]),
        reverse("admin:companies_position_add"),
        reverse("admin:companies_position_delete", args=[position.pk]),
    ):
        assert office.get(url).status_code == 403, url


def test_invitations_and_managers_have_no_admin_of_their_own(office):
    for name in ("companyinvitation", "companymanager"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:companies_{name}_changelist")


# --- Positions ------------------------------------------------------------------------------------


def test_position_list_shows_the_cap_of_the_current_or_the_filtered_cycle(office, fy2024, open_cycle):
    open_cycle.company_cap = 2
    open_cycle.save()
    hosting = PositionFactory(
        cycle=open_cycle,
        company__name_en="Sample Seiko Co., Ltd.",
        status=PositionStatus.APPROVED,
        title="Overseas sales assistant",
        japanese_level=3,
        english_level="B2",
    )
    PositionFactory(cycle=open_cycle, company=hosting.company, status=PositionStatus.APPROVED)
    PositionFactory(cycle=open_cycle)
    PositionFactory(cycle=fy2024, status=PositionStatus.APPROVED)
    PositionFactory(cycle=fy2024, status=PositionStatus.APPROVED)

    response = office.get(positions_url())

    assert response.status_code == 200
    html = response.content.decode()
    cap = f"{open_cycle.name_en}: 1 of 2 host companies have an approved position."
    assert f'<strong data-hosting="1" data-cap="2">{cap}</strong>' in html
    assert "The cap is reached" not in html
    for text in (
        "Overseas sales assistant",
        "Sample Seiko Co., Ltd.",
        company_url(hosting.company),
        "N3",
        "B2",
    ):
        assert text in html, text

    response = office.get(positions_url(), {"cycle__id__exact": fy2024.pk})
    assert response.context["cl"].cap_status["text"] == (
        f"{fy2024.name_en}: 2 of 60 host companies have an approved position."
    )


def test_position_filters_and_search(office, fy2024, open_cycle):
    sme = HostCompanyFactory(name_ja="株式会社みどり工業", industry="wholesale")
    big = not_an_sme()
    nagoya = PositionFactory(cycle=open_cycle, company=sme, title="Export assistant", japanese_level=2)
    online = PositionFactory(
        cycle=open_cycle,
        company=big,
        course="online",
        place_prefecture="",
        english_level="B2",
        status=PositionStatus.REJECTED,
    )
    earlier = PositionFactory(cycle=fy2024, company=sme, place_prefecture="13")

    def filtered(**params):
        return listed(office.get(positions_url(), params))

    assert filtered(cycle__id__exact=fy2024.pk) == {earlier.pk}
    assert filtered(status__exact="rejected") == {online.pk}
    assert filtered(course__exact="online") == {online.pk}
    assert filtered(place_prefecture__exact="13") == {earlier.pk}
    assert filtered(japanese_level__exact=2) == {nagoya.pk}
    assert filtered(english_level__exact="B2") == {online.pk}
    assert filtered(company__industry__exact="wholesale") == {nagoya.pk, earlier.pk}
    assert filtered(company__is_eligible__exact=0) == {online.pk}
    html = office.get(positions_url()).content.decode()
    assert "company’s industry" in html or "company&#x27;s industry" in html
    assert filtered(q="export assistant") == {nagoya.pk}
    assert filtered(q="みどり") == {nagoya.pk, earlier.pk}
    assert filtered(q=big.name_en) == {online.pk}


def test_position_page_shows_the_internship_plan(office, open_cycle):
    position = PositionFactory(
        cycle=open_cycle,
        company__name_en="Sample Seiko Co., Ltd.",
        role_and_goals="Research the Vietnamese market for machine tools.",
        skills="Spreadsheets",
        conditions="A driving licence is welcome.",
        mentor_name="Suzuki Hanako",
    )
    PositionFactory(cycle=open_cycle, status=PositionStatus.APPROVED)

    response = office.get(position_url(position))

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Internship plan",
        "Research the Vietnamese market for machine tools.",
        "Spreadsheets",
        "A driving licence is welcome.",
        "Suzuki Hanako",
        company_url(position.company),
        f"{open_cycle.name_en}: 1 of 60 host companies have an approved position.",
    ):
        assert text in html, text
    assert set(response.context["adminform"].form.fields) == {"decision", "reason"}


def test_position_approve_and_reject(
    office, staff_with_mfa, open_cycle, review_day, django_capture_on_commit_callbacks
):
    good = PositionFactory(cycle=open_cycle, title="Data analyst", company__name_en="Kumo Systems")
    CompanyManagerFactory(company=good.company, user=UserFactory(email="kanri@kumo.example"))
    pending_company = PositionFactory(
        cycle=open_cycle, title="Sales", company__name_en="Aozora Foods", company__status=ReviewStatus.PENDING
    )
    withdrawn = PositionFactory(
        cycle=open_cycle, title="Designer", company__name_en="Midori", status=PositionStatus.WITHDRAWN
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = act(office, positions_url(), "approve", [good, pending_company, withdrawn])

    assert messages_of(response) == [
        "1 position approved.",
        # Newest first, as the list shows them.
        "2 positions could not be reviewed: Designer (Midori): This position has been withdrawn.; "
        "Sales (Aozora Foods): Approve the company before its positions.",
    ]
    good.refresh_from_db()
    assert (good.status, good.reviewed_at) == (PositionStatus.APPROVED, REVIEW_DAY)
    assert AuditEntry.objects.get(action="position.approved").target_id == str(good.pk)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["kanri@kumo.example"], "[JIP] Position approved: Data analyst")
    ]

    mail.outbox.clear()
    response = act(office, positions_url(), "reject", [pending_company], reason="")
    assert messages_of(response) == [
        "1 position could not be reviewed: Sales (Aozora Foods): Say why the position is not approved."
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = act(office, positions_url(), "reject", [good], reason="Simple repetitive work.")
    assert messages_of(response) == ["1 position not approved; the company's managers are told why."]
    good.refresh_from_db()
    assert (good.status, good.review_reason) == (PositionStatus.REJECTED, "Simple repetitive work.")
    entry = AuditEntry.objects.get(action="position.rejected")
    assert (entry.actor, entry.data) == (staff_with_mfa, {"reason": "Simple repetitive work."})
    assert [m.subject for m in mail.outbox] == ["[JIP] Position not approved: Data analyst"]
    assert "Simple repetitive work." in mail.outbox[0].body


def test_position_decision_on_its_page(office, open_cycle):
    position = PositionFactory(cycle=open_cycle)

    response = change_form_post(office, position_url(position), decision="reject", reason="")
    assert response.context["adminform"].form.errors == {"reason": ["Say why the position is not approved."]}
    response = change_form_post(office, position_url(position), decision="reject", reason="No mentor named.")
    assert response.status_code == 302
    position.refresh_from_db()
    assert (position.status, position.review_reason) == (PositionStatus.REJECTED, "No mentor named.")


# --- The cycle's company cap ----------------------------------------------------------------------


def test_the_cap_refuses_a_new_company_but_not_a_second_position_of_a_hosting_one(office, open_cycle):
    open_cycle.company_cap = 2
    open_cycle.save()
    first, second = (
        PositionFactory(cycle=open_cycle, status=PositionStatus.APPROVED, company__name_en=name)
        for name in ("First K.K.", "Second K.K.")
    )
    newcomer = PositionFactory(cycle=open_cycle, title="Translator", company__name_en="Third K.K.")
    again = PositionFactory(cycle=open_cycle, title="Engineer", company=first.company)

    response = act(office, positions_url(), "approve", [newcomer, again])

    assert messages_of(response) == [
        "1 position approved.",
        "1 position could not be reviewed: Translator (Third K.K.): "
        "The cycle's cap of 2 host companies is reached: this position cannot be approved.",
    ]
    newcomer.refresh_from_db()
    again.refresh_from_db()
    assert (newcomer.status, again.status) == (PositionStatus.SUBMITTED, PositionStatus.APPROVED)
    html = response.content.decode()
    assert f"{open_cycle.name_en}: 2 of 2 host companies have an approved position." in html
    assert "The cap is reached: only positions of these companies can still be approved." in html

    # On the position's page, the same message.
    response = change_form_post(office, position_url(newcomer), decision="approve")
    assert messages_of(office.get(response.url)) == [
        "The cycle's cap of 2 host companies is reached: this position cannot be approved."
    ]
    # Rejecting a hosting company's only position frees its place.
    act(office, positions_url(), "reject", [second], reason="The mentor left the company.")
    assert messages_of(act(office, positions_url(), "approve", [newcomer])) == ["1 position approved."]


# --- Export -------------------------------------------------------------------------------------


def export(client, model: str, file_format: str, **filters):
    url = reverse(f"admin:companies_{model}_export")
    form = client.get(url, filters).context["form"]
    formats = {label: value for value, label in form.fields["format"].choices}
    data = {"format": formats[file_format], "resource": "0"}
    # Every column ticked, as the form offers them.
    data |= {name: "on" for name, f in form.fields.items() if getattr(f, "is_selectable_field", False)}
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return client.post(f"{url}?{query}" if query else url, data)


def test_company_csv_export_of_the_filtered_list(office, open_cycle):
    company = HostCompanyFactory(name_en='=HYPERLINK("http://evil.example")', name_ja="株式会社みどり工業")
    PositionFactory(company=company, cycle=open_cycle, status=PositionStatus.APPROVED)
    pending = HostCompanyFactory(status=ReviewStatus.PENDING)

    response = export(office, "hostcompany", "csv", status__exact="approved")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["corporate number"] for row in rows] == [company.corporate_number]
    row = rows[0]
    assert row["legal name (Japanese)"] == "株式会社みどり工業"
    assert row["legal name (English)"].startswith("'=HYPERLINK")  # never a formula in a spreadsheet
    assert (row["industry (SME Basic Act)"], row["main business location: prefecture"]) == (
        "Manufacturing, construction, transport and others",
        "Aichi",
    )
    assert (row["qualifies"], row["status"], row["approved positions (current cycle)"]) == (
        "yes",
        "Approved",
        "1",
    )
    assert pending.corporate_number not in response.content.decode()


def test_company_xlsx_export(office):
    company = HostCompanyFactory()

    response = export(office, "hostcompany", "xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("legal name (Japanese)", "legal name (English)", "corporate number")
    assert rows[1][:3] == (company.name_ja, company.name_en, company.corporate_number)
    assert len(rows) == 2


def test_position_exports(office, fy2024, open_cycle):
    position = PositionFactory(cycle=open_cycle, title="Data analyst", japanese_level=2)
    earlier = PositionFactory(cycle=fy2024, title="Translator")

    response = export(office, "position", "csv", cycle__id__exact=open_cycle.pk)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["fiscal year"], r["title"], r["company (English)"]) for r in rows] == [
        ("2090", "Data analyst", position.company.name_en)
    ]
    assert (rows[0]["Japanese needed (JLPT)"], rows[0]["status"]) == ("N2", "Awaiting review")

    response = export(office, "position", "xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == (
        "fiscal year",
        "company (Japanese)",
        "company (English)",
        "corporate number",
        "title",
    )
    assert sorted(row[4] for row in rows[1:]) == sorted([position.title, earlier.title])


# --- Nobody but the office ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["applicant", "manager"])
def test_applicants_and_company_managers_get_403_on_every_companies_admin_page(
    client, who, request, open_cycle
):
    user = request.getfixturevalue(who)
    position = PositionFactory(cycle=open_cycle)
    company = position.company
    client.force_login(user)
    urls = [
        companies_url(),
        company_url(company),
        reverse("admin:companies_hostcompany_history", args=[company.pk]),
        reverse("admin:companies_hostcompany_export"),
        reverse("admin:companies_hostcompany_add"),
        reverse("admin:companies_hostcompany_delete", args=[company.pk]),
        positions_url(),
        position_url(position),
        reverse("admin:companies_position_history", args=[position.pk]),
        reverse("admin:companies_position_export"),
        reverse("admin:app_list", args=["companies"]),
    ]
    for url in urls:
        assert client.get(url, follow=True).status_code == 403, url
    response = client.post(
        companies_url(), {"action": "approve", "_selected_action": [company.pk]}, follow=True
    )
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="company.").exists()
    company.refresh_from_db()
    assert company.status == ReviewStatus.APPROVED


# --- A constant number of queries, whatever the size of the list -----------------------------------


@pytest.mark.parametrize("size", [2, 30])
def test_company_changelist_queries_do_not_grow(office, open_cycle, django_assert_num_queries, size):
    for i in range(size):
        company = HostCompanyFactory(status=["approved", "pending"][i % 2])
        CompanyManagerFactory(company=company)
        PositionFactory(company=company, cycle=open_cycle, status=PositionStatus.APPROVED)

    with django_assert_num_queries(12):
        response = office.get(companies_url())

    assert len(response.context["cl"].result_list) == size


@pytest.mark.parametrize("size", [2, 30])
def test_position_changelist_queries_do_not_grow(office, open_cycle, django_assert_num_queries, size):
    for i in range(size):
        PositionFactory(cycle=open_cycle, status=["approved", "submitted"][i % 2])

    with django_assert_num_queries(12):
        response = office.get(positions_url())

    assert len(response.context["cl"].result_list) == size
