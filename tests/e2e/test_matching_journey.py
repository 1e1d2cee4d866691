"""The whole matching path in a real browser: the office refers, the company interviews and ranks, the
applicant chooses a time and ranks, the office runs, approves and publishes a round, both accept."""

import datetime as dt

import pytest

from applicants.models import ApplicationStatus
from jip import clock
from matching.models import InterviewSlot, MatchingRound, Placement, Referral, RoundStatus

from ..conftest import PASSWORD as STAFF_PASSWORD
from ..conftest import enroll_totp
from ..factories import (
    ApplicationFactory,
    CompanyManagerFactory,
    HostCompanyFactory,
    PositionFactory,
    UserFactory,
)
from .conftest import PASSWORD, admin_log_in, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_refer_interview_rank_match_and_accept(browser, live_server, open_cycle, staff):
    company = HostCompanyFactory(name_en="Sample Seiko Co., Ltd.", status="approved")
    manager = UserFactory(email="manager@seiko.example", password=PASSWORD)
    CompanyManagerFactory(company=company, user=manager)
    position = PositionFactory(
        company=company, cycle=open_cycle, status="approved", title="Overseas sales assistant",
        reviewed_at=clock.now(),
    )  # fmt: skip
    applicant = UserFactory(email="an@applicant.example", password=PASSWORD)
    application = ApplicationFactory(
        cycle=open_cycle, applicant=applicant, status=ApplicationStatus.POOL, family_name="Nguyen",
        given_names="Van An", residence_country="VN", number="JIP90-000001",
    )  # fmt: skip

    # The office refers the applicant from the pool, after reading how the pair fits.
    office_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    office = office_context.new_page()
    office.set_default_timeout(15_000)
    admin_log_in(office, live_server, staff.email, STAFF_PASSWORD, enroll_totp(staff))
    office.goto(live_server.url + "/admin/applicants/application/?status__exact=pool")
    office.locator(f"input[name=_selected_action][value='{application.pk}']").check()
    office.locator("select[name=action]").select_option("refer_to_positions")
    office.locator("button[name=index]").click()
    office.get_by_label("Overseas sales assistant").check()
    office.get_by_role("button", name="Check the fit").click()
    office.locator("#fit-table").get_by_text("Both can take part in").wait_for()
    office.get_by_role("button", name="Refer", exact=True).click()
    office.get_by_text("1 referral made.").wait_for()
    referral = Referral.objects.get()

    # The company proposes an interview slot, in Japan time.
    company_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    company_page = company_context.new_page()
    company_page.set_default_timeout(15_000)
    log_in(company_page, live_server, manager.email)
    company_page.goto(live_server.url + "/company/candidates/")
    company_page.get_by_role("link", name="JIP90-000001").first.click()
    company_page.get_by_label("Online").check()
    company_page.locator("#id_place").fill("https://meet.example.org/seiko")
    slot = (
        (clock.now() + dt.timedelta(days=3))
        .astimezone(clock.JST)
        .replace(hour=10, minute=0, second=0, microsecond=0)
    )
    company_page.locator("#id_slots_1").fill(slot.strftime("%Y-%m-%dT%H:%M"))
    company_page.get_by_role("button", name="Send the slots").click()
    company_page.get_by_text("Slots proposed").first.wait_for()

    # The applicant, on a phone in Viet Nam, sees the time in both zones and chooses it.
    phone_context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    phone = phone_context.new_page()
    phone.set_default_timeout(15_000)
    log_in(phone, live_server, applicant.email)
    phone.goto(live_server.url + "/referrals/")
    phone.get_by_text("08:00 (Asia/Ho_Chi_Minh)").wait_for()
    phone.get_by_text("10:00 JST").first.wait_for()
    phone.locator("input[name=slot]").check()
    phone.get_by_role("button", name="Confirm this time").click()
    phone.get_by_text("Your interview time is confirmed.").wait_for()
    assert phone.get_by_role("link", name="Add to my calendar (iCal)").is_visible()

    # The interview takes place; the company records it and ranks the candidate.
    InterviewSlot.objects.filter(pk=referral.interview.chosen_slot_id).update(
        starts_at=clock.now() - dt.timedelta(hours=1)
    )
    company_page.reload()
    company_page.get_by_label("Would host").check()
    company_page.get_by_role("button", name="Save the outcome").click()
    company_page.get_by_text("The outcome of the interview is saved.").wait_for()
    company_page.goto(live_server.url + f"/company/positions/{position.pk}/ranking/")
    company_page.locator(f"input[name=rank_{referral.pk}]").fill("1")
    company_page.get_by_role("button", name="Save the ranking").click()
    company_page.wait_for_load_state()

    # The applicant ranks the position.
    phone.goto(live_server.url + "/referrals/#ranking")
    phone.locator(f"input[name=ranking-rank_{referral.pk}]").fill("1")
    phone.get_by_role("button", name="Save my ranking").click()
    phone.get_by_text("Your ranking is saved.").wait_for()
    referral.refresh_from_db()
    assert (referral.company_rank, referral.applicant_rank) == (1, 1)

    # The office runs a round, reads why, records the committee's approval and publishes.
    office.goto(live_server.url + "/admin/matching/matchinground/")
    office.locator("#id_cycle").select_option(str(open_cycle.pk))
    office.get_by_role("button", name="Run", exact=True).click()
    office.get_by_text("their choice no. 1").wait_for()
    assert office.locator("#round-stability").inner_text().startswith("✓ Stable")
    office.locator("#id_committee_note").fill("Screening committee, ref. JIP-90-01")
    office.get_by_role("button", name="Record the approval").click()
    office.get_by_role("button", name="Publish the round").click()
    office.get_by_text("The round is published").wait_for()
    assert MatchingRound.objects.get().status == RoundStatus.PUBLISHED

    # Both accept: the placement is final.
    phone.goto(live_server.url + "/referrals/")
    phone.get_by_role("button", name="Accept the match").click()
    phone.get_by_text("You have accepted the match.").wait_for()
    company_page.goto(live_server.url + "/company/matches/")
    company_page.get_by_role("link", name="Accept").first.click()
    company_page.get_by_role("button", name="Accept the match").click()
    company_page.wait_for_load_state()
    placement = Placement.objects.get()
    assert (placement.application_id, placement.position_id) == (application.pk, position.pk)
    phone.goto(live_server.url + "/referrals/")
    phone.get_by_text("Placement final").wait_for()
    for context in (office_context, company_context, phone_context):
        context.close()
