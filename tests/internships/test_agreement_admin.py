"""The JIP office's agreement pages in the admin: the list at a glance, countersigning, batches, templates."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from internships.models import (
    AgreementKind,
    AgreementSignature,
    AgreementTemplate,
    AgreementVersion,
    GenerationBatch,
    SignatureParty,
)
from internships.services import agreements as services
from jip.clock import JST

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


@pytest.fixture
def office(client, staff_with_mfa):
    client.force_login(staff_with_mfa)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def agreements_url(**query) -> str:
    url = reverse("admin:internships_agreement_changelist")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def rows(response) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.get("Location")
    return [(a.kind, a.waiting_for) for a in response.context["cl"].result_list]


def sign(version, party, user, name):
    return services.agreement_sign(
        version=version, party=party, user=user, typed_name=name, ip_address="203.0.113.9", user_agent="test"
    )


def test_the_list_shows_who_has_not_signed_and_for_how_many_days(
    office, placement, host_manager, generate, time_machine
):
    # In the past, so the staff session opened today is still valid.
    day = dt.datetime(2025, 3, 3, 10, 0, tzinfo=JST)
    time_machine.move_to(day, tick=False)
    ready = {kind: generate(placement, kind) for kind in AgreementKind.values}
    time_machine.move_to(day + dt.timedelta(days=2), tick=False)
    sign(ready["company"], SignatureParty.COMPANY, host_manager, "Kenji Sato")
    time_machine.move_to(day + dt.timedelta(days=10), tick=False)
    response = office.get(agreements_url())
    assert rows(response) == [("intern", "party"), ("company", "office")]  # what needs doing first
    page = response.content.decode()
    assert "Waiting for the intern" in page
    assert "Signed; waiting for the JIP office&#x27;s countersignature" in page
    assert '<td class="field-days_waiting">10</td>' in page
    assert '<td class="field-days_waiting">8</td>' in page
    assert '<td class="field-waiting_since">2025-03-05 10:00 JST</td>' in page
    assert rows(office.get(agreements_url(waiting="intern"))) == [("intern", "party")]
    assert rows(office.get(agreements_url(waiting="company"))) == []
    assert rows(office.get(agreements_url(waiting="office"))) == [("company", "office")]
    assert rows(office.get(agreements_url(days="7"))) == [("intern", "party"), ("company", "office")]
    assert rows(office.get(agreements_url(days="14"))) == []
    # Sorted by the days waiting, fewest first.
    assert rows(office.get(agreements_url(o="-6"))) == [("company", "office"), ("intern", "party")]


def test_the_office_countersigns_after_the_company_and_sees_every_signature(
    office, ready, host_manager, staff_with_mfa
):
    version = ready["company"]
    change = reverse("admin:internships_agreement_change", args=[version.agreement_id])
    countersign = reverse("admin:internships_agreement_countersign", args=[version.agreement_id])
    page = office.get(change).content.decode()
    assert "Waiting for the host company to sign version 1" in page
    assert 'id="countersign-form"' not in page
    assert 'data-intact="yes"' in page

    sign(version, SignatureParty.COMPANY, host_manager, "Kenji Sato")
    page = office.get(change).content.decode()
    assert 'id="countersign-form"' in page
    assert 'name="_save"' not in page  # nothing else is edited here
    response = office.post(
        countersign,
        {"typed_name": staff_with_mfa.get_full_name(), "agree": "on", "sha256": version.sha256},
        follow=True,
    )
    assert messages_of(response) == [
        "Version 1 countersigned for the JIP office; the agreement is concluded."
    ]
    office_signature = AgreementSignature.objects.get(party=SignatureParty.OFFICE)
    assert (office_signature.user, office_signature.file_sha256) == (staff_with_mfa, version.sha256)
    page = response.content.decode()
    assert 'data-countersigned="yes"' in page
    assert page.count('data-party="company"') == 1 and page.count('data-party="office"') == 1


def test_a_countersignature_before_the_other_party_or_with_a_wrong_name_is_refused(
    office, ready, host_manager
):
    version = ready["intern"]
    countersign = reverse("admin:internships_agreement_countersign", args=[version.agreement_id])
    data = {"typed_name": "Office Person", "agree": "on", "sha256": version.sha256}
    response = office.post(countersign, data, follow=True)
    assert messages_of(response) == ["The office countersigns after the intern has signed."]
    assert not AgreementSignature.objects.exists()


def test_generate_again_makes_a_version_only_where_the_data_changed(office, ready, placement, commit):
    placement.internship.mentor_name = "Takahashi Ken"
    placement.internship.save()
    with commit():
        response = office.post(
            agreements_url(),
            {"action": "generate_again", "_selected_action": [v.agreement_id for v in ready.values()]},
            follow=True,
        )
    assert messages_of(response) == [
        "2 new versions made; they are being rendered.",
    ]
    assert sorted(AgreementVersion.objects.values_list("number", flat=True)) == [1, 1, 2, 2]
    with commit():
        response = office.post(
            agreements_url(),
            {"action": "generate_again", "_selected_action": [ready["intern"].agreement_id]},
            follow=True,
        )
    assert messages_of(response) == ["1 agreement had no change of data: no new version."]


def test_generating_a_cycle_shows_its_progress(
    office, fy2024, host_company, templates, private_storage, commit
):
    for _ in range(2):
        place(company=host_company, fy2024=fy2024)
    generate_url = reverse("admin:internships_generationbatch_generate")
    assert office.get(generate_url).status_code == 200
    with commit():
        response = office.post(generate_url, {"cycle": fy2024.pk})
    batch = GenerationBatch.objects.get()
    assert response["Location"] == reverse("admin:internships_generationbatch_progress", args=[batch.pk])
    page = office.get(response["Location"]).content.decode()
    assert (
        'data-progress-url="' + reverse("admin:internships_generationbatch_progress_json", args=[batch.pk])
        in page
    )
    assert '<td data-count="ready">4</td>' in page
    assert "internships/agreements_admin.js" in page
    data = office.get(reverse("admin:internships_generationbatch_progress_json", args=[batch.pk])).json()
    assert data == {
        "total": 4, "pending": 0, "ready": 4, "failed": 0, "unchanged": 0, "refused": 0, "done": True,
        "percent": 100,
    }  # fmt: skip
    listing = office.get(reverse("admin:internships_generationbatch_changelist"))
    assert [(b.n_ready, b.n_pending) for b in listing.context["cl"].result_list] == [(4, 0)]


def test_a_cycle_without_placements_is_refused_on_the_form(office, fy2024):
    response = office.post(reverse("admin:internships_generationbatch_generate"), {"cycle": fy2024.pk})
    assert response.context["form"].errors == {"cycle": ["This cycle has no placements yet."]}


def test_saving_a_template_makes_the_next_version(office, templates):
    first = templates["company"]
    change = reverse("admin:internships_agreementtemplate_change", args=[first.pk])
    data = {
        "kind": "company", "title_en": first.title_en + " (2025)", "title_ja": first.title_ja,
        "body_en": first.body_en, "body_ja": first.body_ja, "note": "Title of FY2025",
    }  # fmt: skip
    response = office.post(change, data)
    second = AgreementTemplate.objects.get(kind="company", version=2)
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.title_en, first.is_active) == ("Internship Hosting Agreement", False)
    assert (second.title_en, second.is_active, second.note) == ("Internship Hosting Agreement (2025)", True,
                                                                 "Title of FY2025")  # fmt: skip
    broken = office.post(change, {**data, "body_ja": "## 第1条\nのみ"})
    assert broken.status_code == 200
    assert broken.context["adminform"].form.errors["body_ja"][0].startswith("The English text has 12 clauses")


def test_the_default_texts_can_be_put_in_use_from_the_list(office, db):
    page = office.get(reverse("admin:internships_agreementtemplate_changelist")).content.decode()
    assert "No template is in use for: JIP office and host company, JIP office and intern." in page
    office.post(reverse("admin:internships_agreementtemplate_defaults"))
    assert sorted(AgreementTemplate.objects.values_list("kind", "version")) == [("company", 1), ("intern", 1)]


def test_applicants_and_managers_cannot_reach_the_agreement_admin(client, ready, intern_user, host_manager):
    urls = [
        agreements_url(),
        reverse("admin:internships_agreement_change", args=[ready["intern"].agreement_id]),
        reverse("admin:internships_generationbatch_generate"),
        reverse("admin:internships_agreementtemplate_changelist"),
    ]
    for user in (intern_user, host_manager):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (302, 403), url
            assert response.status_code == 403 or "/accounts/login/" not in response.get("Location", "x")


def grow(fy2024, company, n: int, generate):
    for _ in range(n):
        placement = place(company=company, fy2024=fy2024)
        for kind in AgreementKind.values:
            generate(placement, kind)


def test_the_lists_use_a_fixed_number_of_queries(
    office, fy2024, host_company, templates, private_storage, generate, commit, django_assert_num_queries
):
    grow(fy2024, host_company, 1, generate)
    with commit():
        services.agreement_batch_start(cycle=fy2024, by=None)
    urls = {
        agreements_url(): 10,
        reverse("admin:internships_generationbatch_changelist"): 10,
        reverse("admin:internships_agreementtemplate_changelist"): 11,
    }
    for url, queries in urls.items():
        with django_assert_num_queries(queries):
            assert office.get(url).status_code == 200
    grow(fy2024, host_company, 4, generate)
    with commit():
        services.agreement_batch_start(cycle=fy2024, by=None)
    for url, queries in urls.items():
        with django_assert_num_queries(queries):
            assert office.get(url).status_code == 200
