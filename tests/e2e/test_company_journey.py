"""In a real browser: a company registers in Japanese, the JIP office approves it in the admin, a second
manager is invited and joins, and a position is described."""

import re

import pytest
from django.core import mail

from companies.models import CompanyManager, HostCompany, PositionStatus, ReviewStatus

from ..conftest import PASSWORD as STAFF_PASSWORD
from ..conftest import enroll_totp
from .conftest import admin_log_in, sign_up_and_verify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ja(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "ja", "url": live_server.url}])


def test_register_approve_invite_and_describe_a_position(browser, live_server, open_cycle, staff):
    # A manager registers the company, in Japanese.
    manager = browser.new_context(viewport={"width": 1280, "height": 900})
    page = manager.new_page()
    page.set_default_timeout(15_000)
    ja(page, live_server)
    sign_up_and_verify(page, live_server, "sato@seiko.example")
    page.goto(live_server.url + "/company/register/")
    page.get_by_role("heading", name="受入企業として登録する").wait_for()
    page.locator("#id_name_ja").fill("株式会社サンプル精工")
    page.locator("#id_name_en").fill("Sample Seiko Co., Ltd.")
    page.locator("#id_corporate_number").fill("8-7001-1000-5901")
    page.locator("#id_organisation_type").select_option("kabushiki_kaisha")
    page.locator("#id_industry").select_option("manufacturing")
    page.locator("#id_capital_jpy").fill("30,000,000")
    page.locator("#id_regular_employees").fill("85")
    page.locator("#id_head_office_prefecture").select_option("23")
    page.locator("#id_head_office_city").fill("名古屋市")
    page.locator("#id_main_business_prefecture").select_option("23")
    page.locator("#id_main_business_city").fill("名古屋市")
    page.locator("#id_contact_name").fill("佐藤 健二")
    page.locator("#id_contact_email").fill("sato@seiko.example")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/company/")
    page.get_by_text("審査待ち").first.wait_for()
    company = HostCompany.objects.get(corporate_number="8700110005901")
    assert company.is_eligible and company.status == ReviewStatus.PENDING

    # The JIP office approves it in the admin (allauth login with an authenticator code).
    office = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = office.new_page()
    admin.set_default_timeout(15_000)
    admin_log_in(admin, live_server, staff.email, STAFF_PASSWORD, enroll_totp(staff))
    admin.goto(live_server.url + "/admin/companies/hostcompany/")
    admin.locator(f"input[name=_selected_action][value='{company.pk}']").check()
    admin.locator("select[name=action]").select_option("approve")
    admin.locator("button[name=index]").click()
    admin.get_by_text("1 host company approved.").wait_for()
    company.refresh_from_db()
    assert company.status == ReviewStatus.APPROVED
    office.close()

    # The manager invites a colleague, who signs up with the invited address and accepts.
    page.goto(live_server.url + "/company/managers/invite/")
    page.locator("#id_email").fill("tanaka@seiko.example")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/company/(#managers)?$"))
    invitation = next(m for m in mail.outbox if m.to == ["tanaka@seiko.example"])
    link = re.search(r"https?://\S+/company/invitations/\S+/", invitation.body).group(0)
    link = live_server.url + link[link.index("/company/") :]

    colleague = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    other = colleague.new_page()
    other.set_default_timeout(15_000)
    ja(other, live_server)
    sign_up_and_verify(other, live_server, "tanaka@seiko.example")
    other.goto(link)
    other.get_by_role("button", name="招待を承諾する").click()
    other.wait_for_url(re.compile(r".*/company/(#\w+)?$"))
    assert CompanyManager.objects.filter(company=company, user__email="tanaka@seiko.example").exists()
    colleague.close()

    # The first manager describes a position for the cycle.
    page.goto(live_server.url + "/company/positions/new/")
    page.locator("#id_title").fill("海外営業アシスタント")
    page.locator("#id_role_and_goals").fill("ベトナム市場の調査と販売計画の作成を輸出チームと行います。")
    page.locator("#id_course_0").check()  # in person
    page.locator("#id_place_prefecture").select_option("23")
    page.locator("#id_place_city").fill("名古屋市")
    page.locator("#id_hours_per_week").fill("35")
    page.locator("#id_interns").fill("0")
    page.locator("#id_mentor_name").fill("鈴木 花子")
    page.locator("main form button[type=submit]").last.click()
    page.locator(".invalid-feedback", has_text=re.compile(".+")).first.wait_for()  # zero interns: refused
    page.locator("#id_interns").fill("1")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/company/positions/\d+/$"))
    page.get_by_text("海外営業アシスタント").first.wait_for()
    position = company.positions.get()
    assert position.status == PositionStatus.SUBMITTED and position.cycle == open_cycle
    manager.close()
