"""The parties' agreement pages: who sees what, signing through the page, and the PDF behind its check."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import hashlib

import pytest
from django.urls import reverse

from internships.models import AgreementKind, AgreementSignature, SignatureParty
from internships.services import agreements as services

from ..factories import CompanyManagerFactory, UserFactory
from .test_agreement_fixtures import (  # noqa: F401  (fixtures)
    commit,
    generate,
    host_company,
    host_manager,
    intern_user,
    place,
    placement,
    private_storage,
    ready,
    templates,
)

pytestmark = pytest.mark.django_db


def list_url() -> str:
    return reverse("internships:agreement_list")


def detail_url(agreement_id: int) -> str:
    return reverse("internships:agreement_detail", args=[agreement_id])


def file_url(version_id: int) -> str:
    return reverse("internships:agreement_version_file", args=[version_id])


def sign_post(client, shown, name: str, **extra):
    data = {"typed_name": name, "agree": "on", "version": shown.pk, "sha256": shown.sha256, **extra}
    return client.post(detail_url(shown.agreement_id), data, REMOTE_ADDR="198.51.100.23",
                       HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")  # fmt: skip


def listed(response) -> list[tuple[int, str]]:
    return [(a.pk, a.waiting_for) for a in response.context["agreements"]]


def test_each_party_lists_only_their_own_agreement(client, ready, intern_user, host_manager):
    client.force_login(intern_user)
    assert listed(client.get(list_url())) == [(ready["intern"].agreement_id, "party")]
    client.force_login(host_manager)
    response = client.get(list_url())
    assert listed(response) == [(ready["company"].agreement_id, "party")]
    assert "Waiting for your signature" in response.content.decode()
    client.force_login(UserFactory())
    assert listed(client.get(list_url())) == []


def test_the_list_asks_anonymous_visitors_to_log_in(client):
    response = client.get(list_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_another_persons_agreement_and_file_are_not_found(client, ready, intern_user):
    stranger = UserFactory()
    client.force_login(stranger)
    for version in ready.values():
        assert client.get(detail_url(version.agreement_id)).status_code == 404
        assert client.get(file_url(version.pk)).status_code == 404
    # The intern does not see the company's agreement either.
    client.force_login(intern_user)
    assert client.get(detail_url(ready["company"].agreement_id)).status_code == 404
    assert client.get(file_url(ready["company"].pk)).status_code == 404


def test_the_file_is_served_to_its_party_and_the_office_with_its_hash(client, ready, intern_user, staff):
    version = ready["intern"]
    client.force_login(intern_user)
    response = client.get(file_url(version.pk))
    content = b"".join(response.streaming_content)  # read to the end: the test client closes the file
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'self'"
    assert response["Cache-Control"] == "private, no-store"
    assert hashlib.sha256(content).hexdigest() == version.sha256 == response["X-Agreement-SHA256"]
    download = client.get(file_url(version.pk) + "?download=1")
    assert b"".join(download.streaming_content) == content
    assert download["Content-Disposition"] == f'attachment; filename="{version.snapshot["reference"]}-v1.pdf"'
    client.force_login(staff)
    office = client.get(file_url(ready["company"].pk))
    assert office.status_code == 200
    assert b"".join(office.streaming_content).startswith(b"%PDF-")


def test_the_intern_signs_on_the_page(client, ready, intern_user):
    version = ready["intern"]
    client.force_login(intern_user)
    page = client.get(detail_url(version.agreement_id)).content.decode()
    assert f'src="{file_url(version.pk)}"' in page
    assert "Type your name as it appears on the agreement: Van An Nguyen." in page
    response = sign_post(client, version, "Van An Nguyen")
    assert response.status_code == 302
    signature = AgreementSignature.objects.get()
    assert (signature.party, signature.user, signature.ip_address, signature.user_agent) == (
        "intern", intern_user, "198.51.100.23", "Mozilla/5.0 (iPhone)",
    )  # fmt: skip
    assert signature.file_sha256 == version.sha256
    page = client.get(detail_url(version.agreement_id)).content.decode()
    assert "Signed by Van An Nguyen on" in page
    assert 'name="typed_name"' not in page


def test_a_wrong_name_or_no_consent_is_shown_on_the_form(client, ready, intern_user):
    version = ready["intern"]
    client.force_login(intern_user)
    response = sign_post(client, version, "Nobody")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "typed_name": ["Type the name as it appears on the agreement: Van An Nguyen."]
    }
    response = sign_post(client, version, "Van An Nguyen", agree="")
    assert response.context["form"].errors == {"agree": ["This field is required."]}
    assert not AgreementSignature.objects.exists()


def test_a_version_replaced_while_reading_is_not_signed(client, ready, placement, intern_user, generate):
    old = ready["intern"]
    placement.internship.mentor_name = "Takahashi Ken"
    placement.internship.save()
    new = generate(placement, AgreementKind.INTERN)
    client.force_login(intern_user)
    response = sign_post(client, new, "Van An Nguyen", version=old.pk, sha256=old.sha256)
    assert response.context["form"].non_field_errors() == [
        "A newer version of this agreement has been made; read and sign that one."
    ]
    assert not AgreementSignature.objects.exists()


def test_a_company_manager_signs_for_the_company(client, ready, host_manager):
    version = ready["company"]
    client.force_login(host_manager)
    assert sign_post(client, version, "Sato Kenji").status_code == 302
    assert AgreementSignature.objects.get().party == SignatureParty.COMPANY


def test_after_a_new_version_the_page_asks_to_sign_again(client, ready, placement, intern_user, generate):
    services.agreement_sign(version=ready["intern"], party="intern", user=intern_user, typed_name="Van An Nguyen",
                            ip_address=None, user_agent="")  # fmt: skip
    placement.internship.mentor_name = "Takahashi Ken"
    placement.internship.save()
    new = generate(placement, AgreementKind.INTERN)
    client.force_login(intern_user)
    page = client.get(detail_url(new.agreement_id)).content.decode()
    assert "version 2 replaces the one signed before, and needs signing again" in page
    assert f'href="{file_url(ready["intern"].pk)}"' in page  # the earlier version stays readable


def grow(fy2024, company, n: int, generate) -> None:
    for _ in range(n):
        placement = place(company=company, fy2024=fy2024)
        generate(placement, AgreementKind.COMPANY)


def test_the_list_uses_a_fixed_number_of_queries(
    client,
    fy2024,
    host_company,
    host_manager,
    templates,
    private_storage,
    generate,
    django_assert_num_queries,
):
    client.force_login(host_manager)
    grow(fy2024, host_company, 1, generate)
    client.get(list_url())  # the first request keeps the current cycle in the cache
    with django_assert_num_queries(4):
        assert client.get(list_url()).status_code == 200
    grow(fy2024, host_company, 5, generate)
    with django_assert_num_queries(4):
        response = client.get(list_url())
    assert len(response.context["agreements"]) == 6


def test_a_colleague_of_the_same_company_sees_the_agreement_too(client, ready, host_company):
    colleague = CompanyManagerFactory(company=host_company).user
    client.force_login(colleague)
    assert listed(client.get(list_url())) == [(ready["company"].agreement_id, "party")]
