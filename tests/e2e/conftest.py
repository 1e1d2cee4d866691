import datetime as dt
import os
import re

import pytest
from django.core import mail

from jip import clock, services

from ..services import chromium_path, require

PASSWORD = "Mount-Fuji-at-dawn-2026"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    require(chromium_path() is not None, "Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def open_cycle():
    """A published cycle whose application window is open today (real time: the browser's cookies use it)."""
    fy2024 = services.cycle_load_file(name="fy2024")
    today = clock.today_jst()
    cycle = services.cycle_copy(source=fy2024, fiscal_year=2090, publish=True)
    cycle.application_opens_on = today - dt.timedelta(days=10)
    cycle.application_deadline = today + dt.timedelta(days=20)
    cycle.age_reference_date = today + dt.timedelta(days=40)
    cycle.save()
    return cycle


def sign_up_and_verify(page, live_server, email):
    page.goto(live_server.url + "/accounts/signup/")
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button").last.click()
    page.wait_for_url("**/confirm-email/**")
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.locator("main form button").last.click()
    page.wait_for_url("**/dashboard/")


def log_in(page, live_server, email: str, password: str = PASSWORD) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form button").last.click()
    page.wait_for_load_state()


def admin_log_in(page, live_server, email: str, password: str, totp_secret: str) -> None:
    """The office's way in: allauth's login, then a code from the authenticator app."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    page.goto(live_server.url + "/admin/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main form button").last.click()
    page.locator("#id_code").fill(
        format_hotp_value(hotp_value(totp_secret, next(yield_hotp_counters_from_time())))
    )
    page.locator("main form button").first.click()
    page.wait_for_url("**/admin/")
