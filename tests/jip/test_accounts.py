import re

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core import mail
from django.urls import reverse

from jip.models import AuditEntry, User

from ..conftest import PASSWORD, enroll_totp
from ..factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sakura-and-mountains-77"


def signup(client, email="new@applicant.example", password=NEW_PASSWORD, language="en"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_signup_sends_a_verification_mail_and_verifying_logs_in(
    client, fy2024, django_capture_on_commit_callbacks
):
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new@applicant.example")
    assert user.preferred_language == "en"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@applicant.example"]
    key_url = link_in(mail.outbox[0])

    page = client.get(key_url)
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(key_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    # Verified and logged in: the welcome mail (a Celery task, in-process here) follows.
    assert client.get(reverse("dashboard")).status_code == 200
    assert mail.outbox[-1].subject == "[JIP] Your account is ready"


def test_signup_in_japanese_mails_in_japanese_and_remembers_it(client, django_capture_on_commit_callbacks):
    client.cookies["django_language"] = "ja"
    signup(client, email="ja@applicant.example")
    user = User.objects.get(email="ja@applicant.example")
    assert user.preferred_language == "ja"
    assert "メール" in mail.outbox[0].subject or "メール" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_in(mail.outbox[0]))
    assert mail.outbox[-1].subject == "【JIP】アカウントの準備ができました"


def test_a_taken_email_is_said_plainly(client, applicant):
    response = signup(client, email=applicant.email.upper())
    assert response.status_code == 200
    assert "A user is already registered with this email address." in response.content.decode()
    assert User.objects.filter(email__iexact=applicant.email).count() == 1


def test_a_taken_email_is_said_in_japanese(client, applicant):
    client.cookies["django_language"] = "ja"
    response = signup(client, email=applicant.email)
    assert "ほかのユーザーがこのメールアドレスでアカウント登録済みです。" in response.content.decode()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "This password is too short. It must contain at least 10 characters."),
        ("1234567890123", "This password is entirely numeric."),
        ("password1234", "This password is too common."),
    ],
)
def test_a_weak_password_is_refused_beside_the_field(client, password, message):
    response = signup(client, password=password)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'id="id_password1"' in html and "is-invalid" in html
    assert not User.objects.filter(email="new@applicant.example").exists()


def test_an_unverified_login_is_told_to_verify(client):
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True)
    assert "We have sent an email to you for verification" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302  # not logged in
    assert len(mail.outbox) == 1  # a fresh link


def test_a_wrong_password_gets_a_message(client, applicant):
    response = client.post(reverse("account_login"), {"login": applicant.email, "password": "nope-nope-nope"})
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()


def test_a_wrong_verification_link_gets_a_message(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))
    assert response.status_code == 200
    assert "This email confirmation link expired or is invalid." in response.content.decode()
    response = client.post(reverse("account_confirm_email", args=["not-a-real-key"]))
    assert response.status_code in (200, 404)


def test_an_expired_verification_link_gets_a_message(client, settings, time_machine):
    time_machine.move_to("2026-05-01 09:00 +0900")
    signup(client)
    url = link_in(mail.outbox[0])
    time_machine.move_to("2026-05-05 09:00 +0900")  # three days is the limit
    client.logout()
    response = client.get(url)
    assert "This email confirmation link expired or is invalid." in response.content.decode()
    assert not EmailAddress.objects.get(email="new@applicant.example").verified


def test_password_reset_by_mail(client, applicant):
    response = client.post(reverse("account_reset_password"), {"email": applicant.email})
    assert response.status_code == 302
    url = link_in(mail.outbox[0])
    form_url = client.get(url)["Location"]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.check_password(NEW_PASSWORD)


def test_logout(client, applicant):
    client.force_login(applicant)
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_login_rate_limit_is_on(client, applicant):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": applicant.email, "password": "wrong-password!"})
    response = client.post(reverse("account_login"), {"login": applicant.email, "password": PASSWORD})
    assert response.status_code == 200  # even the right password is refused for now
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def _code(secret: str) -> str:
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter))


def test_a_bad_totp_code_is_refused_with_a_message(client, staff):
    secret = enroll_totp(staff)
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(
        reverse("mfa_authenticate"), {"code": "000000" if _code(secret) != "000000" else "111111"}
    )
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": "not a code"})
    assert response.status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_switching_language_is_remembered_on_the_account(client, applicant):
    client.force_login(applicant)
    response = client.post(reverse("set_language"), {"language": "ja", "next": "/dashboard/"})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.preferred_language == "ja"
    assert AuditEntry.objects.filter(action="user.language", target_id=str(applicant.pk)).exists()

    # Another device: no language cookie, yet the page comes in Japanese.
    other = client.__class__()
    other.force_login(applicant)
    response = other.get(reverse("dashboard"))
    assert '<html lang="ja">' in response.content.decode()
    assert response.cookies["django_language"].value == "ja"


def test_switching_language_anonymously_sets_a_cookie(client):
    response = client.post(reverse("set_language"), {"language": "ja", "next": "/"})
    assert response.cookies["django_language"].value == "ja"
    assert "日本語" in client.get("/").content.decode()
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302


def test_confirmation_hmac_keys_are_used():
    # The links are HMAC-signed (no key table to leak); a guessed key is refused above.
    assert EmailConfirmationHMAC.from_key("garbage") is None
