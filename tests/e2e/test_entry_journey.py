"""In a real browser: a new applicant from sign-up to "application complete", in English on a desktop and in
Japanese on a phone; and one who meets the deadline."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from applicants.models import Application, ApplicationStatus
from jip import clock

from .conftest import sign_up_and_verify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mount-Fuji-at-dawn-2026"


def fill_entry(page, *, birth_date: str):
    """Fills every step by field id, so the same steps work in either language."""
    page.locator("#id_family_name").fill("Nguyen")
    page.locator("#id_given_names").fill("Thi Linh")
    page.locator("#id_birth_date").fill(birth_date)
    page.locator("#id_nationality").select_option("VN")
    page.locator("#id_residence_country").select_option("VN")
    page.locator("#id_phone").fill("+84 90 123 4567")
    page.locator("button.btn-primary[type=submit]").click()
    page.wait_for_url("**/apply/education/")

    page.locator("#id_education_status_1").check()  # graduate
    page.locator("#id_institution").fill("Hanoi University of Science and Technology")
    page.locator("#id_field_of_study").fill("Mechanical engineering")
    page.locator("#id_degree").select_option("bachelor")
    page.locator("#id_graduation_date").fill("2023-06-30")
    page.locator("button.btn-primary[type=submit]").click()
    page.wait_for_url("**/apply/languages/")

    page.locator("#id_jlpt_level").select_option("2")
    page.locator("#id_english_evidence").select_option("ielts")
    page.locator("#id_english_score").fill("6.5")
    page.locator("button.btn-primary[type=submit]").click()
    page.wait_for_url("**/apply/course/")

    page.locator("#id_course_preference_2").check()  # both
    page.locator("button.btn-primary[type=submit]").click()
    page.wait_for_url("**/apply/motivation/")

    page.locator("#id_motivation").fill(
        "I want to learn how a Japanese manufacturer builds quality into every step and bring it home."
    )
    page.locator("#id_skills").fill("CAD, Python, two years in a factory.")
    page.locator("button.btn-primary[type=submit]").click()
    page.wait_for_url("**/apply/declarations/")

    page.locator("#id_participated_before_1").check()  # no
    for name in ("agrees_with_purpose", "can_dedicate", "follows_timetable", "can_submit_documents",
                 "information_is_true"):  # fmt: skip
        page.locator(f"#id_{name}").check()
    page.locator("button.btn-primary[type=submit]").click()
    page.wait_for_url("**/apply/review/")


def test_new_applicant_applies_in_english_on_a_desktop(page, live_server, open_cycle):
    sign_up_and_verify(page, live_server, "desk@applicant.example")
    page.get_by_role("link", name="Start my application").click()
    page.wait_for_url("**/apply/personal/")
    # A bad answer is refused beside its field, and the rest of the step is kept.
    page.locator("#id_family_name").fill("グエン")
    page.locator("#id_given_names").fill("Linh")
    page.locator("button.btn-primary[type=submit]").click()
    page.get_by_text("Use Latin letters only, as in your passport.").wait_for()
    assert page.locator("#id_given_names").input_value() == "Linh"

    fill_entry(page, birth_date="2000-05-15")
    page.get_by_role("heading", name="Eligibility").wait_for()
    assert page.locator(".outcomes .badge", has_text="Met").count() == 7
    page.get_by_role("button", name="Submit my application").click()
    page.get_by_text("Application complete").wait_for()

    application = Application.objects.get(applicant__email="desk@applicant.example")
    assert application.status == ApplicationStatus.SUBMITTED
    assert page.get_by_text(application.number).first.is_visible()
    assert any(f"Application complete ({application.number})" in m.subject for m in mail.outbox)

    # A replayed submission changes nothing.
    page.go_back()
    page.wait_for_load_state()
    assert Application.objects.filter(applicant__email="desk@applicant.example").count() == 1


def test_new_applicant_applies_in_japanese_on_a_phone(phone, live_server, open_cycle):
    phone.context.add_cookies([{"name": "django_language", "value": "ja", "url": live_server.url}])
    sign_up_and_verify(phone, live_server, "phone@applicant.example")
    phone.get_by_role("link", name="応募を始める").click()
    phone.wait_for_url("**/apply/personal/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    fill_entry(phone, birth_date="1999-01-31")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="応募を提出する").click()
    phone.get_by_text("応募が完了しました").wait_for()
    application = Application.objects.get(applicant__email="phone@applicant.example")
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.applicant.preferred_language == "ja"
    complete = [m for m in mail.outbox if application.number in m.subject]
    assert complete and "応募" in complete[0].subject


def test_the_deadline_stops_a_late_submission(page, live_server, open_cycle):
    open_cycle.application_deadline = clock.today_jst()
    open_cycle.save()
    sign_up_and_verify(page, live_server, "late@applicant.example")
    page.goto(live_server.url + "/apply/")
    fill_entry(page, birth_date="2000-05-15")
    # The clock passes the end of the deadline day (JST) while the review page is open.
    with time_machine.travel(open_cycle.deadline_at + dt.timedelta(seconds=1), tick=True):
        page.get_by_role("button", name="Submit my application").click()
        page.get_by_text("The application deadline has passed.", exact=True).wait_for()
        page.goto(live_server.url + "/apply/")
        page.get_by_text("The application deadline has passed. Drafts that were not submitted").wait_for()
    assert (
        Application.objects.get(applicant__email="late@applicant.example").status == ApplicationStatus.DRAFT
    )
