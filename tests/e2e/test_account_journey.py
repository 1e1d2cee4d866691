"""In a real browser: sign up, verify the e-mail, log in, switch to Japanese."""

import re

import pytest
from django.core import mail

from jip import services
from jip.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mount-Fuji-at-dawn-2026"


def test_sign_up_verify_log_in_and_switch_to_japanese(page, live_server):
    services.cycle_load_file(name="fy2024")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Create an account").click()

    page.get_by_label("Email").fill("journey@applicant.example")
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_text("We have sent an email to you for verification").wait_for()

    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="My page").wait_for()

    page.get_by_role("link", name="Log out").click()
    page.get_by_role("button", name="Sign Out").click()
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Email").fill("journey@applicant.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="My page").wait_for()

    page.get_by_role("button", name="日本語").click()
    page.get_by_role("heading", name="マイページ").wait_for()
    assert page.locator("html").get_attribute("lang") == "ja"
    assert User.objects.get(email="journey@applicant.example").preferred_language == "ja"


def test_the_home_page_fits_a_phone(phone, live_server):
    services.cycle_load_file(name="fy2024")
    phone.goto(live_server.url + "/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling
    phone.get_by_role("button", name="Menu").click()
    phone.get_by_role("button", name="日本語").click()
    phone.get_by_role("heading", name="経済産業省 ジャパン・インターンシップ・プログラム").wait_for()
