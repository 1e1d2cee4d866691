"""In a real browser: the intern signs their agreement on a phone, the company manager signs the company's on a
desktop, and the JIP office countersigns both in the admin and sees every signature."""

import re

import pytest

from internships.models import AgreementKind, AgreementSignature, SignatureParty
from internships.services import agreements as services

from ..conftest import PASSWORD, enroll_totp
from ..factories import CompanyManagerFactory, HostCompanyFactory, UserFactory
from ..internships.test_agreement_fixtures import place, private_storage  # noqa: F401  (fixture)
from .conftest import admin_log_in, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_on_the_page(page, name: str) -> None:
    page.locator("#id_typed_name").fill(name)
    page.locator("#id_agree").check()
    page.get_by_role("button", name="Sign the agreement").click()


def test_intern_and_company_sign_and_the_office_countersigns(
    browser,
    live_server,
    fy2024,
    staff,
    private_storage,  # noqa: F811
    tmp_path,
):
    screenshots = tmp_path

    services.agreement_templates_load_defaults()
    company = HostCompanyFactory(name_ja="株式会社サンプル精工", name_en="Sample Seiko Co., Ltd.")
    manager = UserFactory(email="sato@seiko.example", first_name="Kenji", last_name="Sato")
    CompanyManagerFactory(company=company, user=manager)
    intern = UserFactory(email="an.nguyen@intern.example")
    placement = place(
        company=company, fy2024=fy2024, intern=intern, family_name="Nguyen", given_names="Van An"
    )
    versions = {
        kind: services.agreement_generate(placement=placement, kind=kind, by=staff)
        for kind in AgreementKind.values
    }  # rendered on commit, in-process (no broker in the tests)
    for version in versions.values():
        version.refresh_from_db()
        assert version.status == "ready", version.error

    # The intern, on a phone: the list, the agreement, the PDF link, the signature.
    phone_context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    phone = phone_context.new_page()
    phone.set_default_timeout(15_000)
    log_in(phone, live_server, intern.email, PASSWORD)
    phone.wait_for_url("**/dashboard/")
    phone.goto(live_server.url + "/internship/agreements/")
    phone.get_by_text("Waiting for your signature").wait_for()
    phone.get_by_role("link", name="JIP office and intern").click()
    phone.wait_for_url(re.compile(r".*/internship/agreements/\d+/$"))
    pdf_link = phone.get_by_role("link", name="Open the PDF")
    assert pdf_link.get_attribute("href") == f"/internship/agreements/versions/{versions['intern'].pk}/file/"
    pdf = phone.request.get(live_server.url + pdf_link.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-")
    sign_on_the_page(phone, "Nguyen Van Somebody")  # not their name: refused on the form
    phone.get_by_text("Type the name as it appears on the agreement: Van An Nguyen.").first.wait_for()
    sign_on_the_page(phone, "Van An Nguyen")
    phone.get_by_text("You signed version 1 of the agreement.").wait_for()
    phone.locator('[data-signed="intern"]').wait_for()
    phone.screenshot(path=str(screenshots / "agreement-intern-phone.png"), full_page=True)
    phone_context.close()

    # The company manager, on a desktop: the PDF framed beside the form.
    desk_context = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = desk_context.new_page()
    desk.set_default_timeout(15_000)
    log_in(desk, live_server, manager.email, PASSWORD)
    desk.wait_for_url("**/dashboard/")
    desk.goto(live_server.url + f"/internship/agreements/{versions['company'].agreement_id}/")
    frame = desk.locator("iframe.agreement-pdf")
    assert frame.is_visible()
    assert frame.get_attribute("src") == f"/internship/agreements/versions/{versions['company'].pk}/file/"
    sign_on_the_page(desk, "Kenji Sato")
    desk.locator('[data-signed="company"]').wait_for()
    desk_context.close()

    # The office countersigns both in the admin (allauth login with an authenticator code).
    office_context = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = office_context.new_page()
    admin.set_default_timeout(15_000)
    admin_log_in(admin, live_server, staff.email, PASSWORD, enroll_totp(staff))
    admin.goto(live_server.url + "/admin/internships/agreement/?waiting=office")
    assert admin.locator("#result_list tbody tr").count() == 2
    for kind in AgreementKind.values:
        agreement_id = versions[kind].agreement_id
        admin.goto(live_server.url + f"/admin/internships/agreement/{agreement_id}/change/")
        admin.locator("#countersign-form input[name=typed_name]").fill(staff.get_full_name())
        admin.locator("#countersign-form input[name=agree]").check()
        admin.locator("#countersign-form input[type=submit]").click()
        admin.get_by_text(
            "Version 1 countersigned for the JIP office; the agreement is concluded."
        ).wait_for()
        admin.locator('[data-countersigned="yes"]').wait_for()
        other = "intern" if kind == "intern" else "company"
        assert admin.locator(f'[data-party="{other}"]').count() == 1
        assert admin.locator('[data-party="office"]').count() == 1
        assert admin.locator('[data-intact="yes"]').count() == 1
    admin.goto(live_server.url + "/admin/internships/agreement/?waiting=signed")
    assert admin.locator("#result_list tbody tr").count() == 2
    admin.screenshot(path=str(screenshots / "agreement-admin-signed.png"), full_page=True)
    office_context.close()

    signed = {
        (s.version.agreement.kind, s.party, s.user.email)
        for s in AgreementSignature.objects.select_related("version__agreement", "user")
    }
    assert signed == {
        ("intern", SignatureParty.INTERN, intern.email),
        ("company", SignatureParty.COMPANY, manager.email),
        ("intern", SignatureParty.OFFICE, staff.email),
        ("company", SignatureParty.OFFICE, staff.email),
    }
    assert all(
        s.file_sha256 == s.version.sha256 for s in AgreementSignature.objects.select_related("version")
    )
