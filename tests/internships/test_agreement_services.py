"""Agreements through their services: templates, versions (snapshot, then PDF), signatures, batches, mail."""

# ruff: noqa: F811  (the shared fixtures are imported by name, and the tests take them as arguments)

import datetime as dt
import hashlib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from internships import pdf
from internships.models import (
    AgreementKind,
    AgreementSignature,
    AgreementTemplate,
    AgreementVersion,
    GenerationBatch,
    SignatureParty,
    VersionStatus,
)
from internships.selectors import agreements as selectors
from internships.services import agreements as services
from jip.clock import JST
from jip.models import AuditEntry

from ..factories import CompanyManagerFactory, UserFactory
from .test_agreement_fixtures import (  # noqa: F401  (fixtures)
    COMPANY_JA,
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

SIGNING_DAY = dt.datetime(2024, 9, 2, 10, 0, tzinfo=JST)


def sign(version, party, user, name, ip="203.0.113.7"):
    return services.agreement_sign(
        version=version, party=party, user=user, typed_name=name, ip_address=ip, user_agent="Mozilla/5.0 test"
    )


def stored_bytes(version) -> bytes:
    with version.file.open("rb") as fh:
        return fh.read()


# --- Templates -----------------------------------------------------------------------------------------


def test_default_templates_are_version_one_of_each_kind_and_in_use(templates):
    assert {kind: (t.version, t.is_active) for kind, t in templates.items()} == {
        "intern": (1, True),
        "company": (1, True),
    }
    assert templates["intern"].title_ja == "インターンシップ参加同意書"
    assert templates["company"].title_en == "Internship Hosting Agreement"
    # Loading again changes nothing.
    assert services.agreement_templates_load_defaults() == []


def test_a_saved_edit_is_the_next_version_and_the_only_one_in_use(templates, staff):
    first = templates["intern"]
    second = services.agreement_template_revise(
        kind="intern", title_en=first.title_en, title_ja=first.title_ja,
        body_en=first.body_en + "\n## Article 13 (Extra)\nMore.", body_ja=first.body_ja + "\n## 第13条（追加）\n追加。",
        note="Article 13", by=staff,
    )  # fmt: skip
    first.refresh_from_db()
    assert (second.version, second.is_active, first.is_active) == (2, True, False)
    assert selectors.agreement_template_active(kind="intern") == second
    assert first.body_en.count("## ") == 12  # the earlier version is as it was
    assert AuditEntry.objects.filter(action="agreement_template.revise", target_id=str(second.pk)).exists()


@pytest.mark.parametrize(
    ("body_en", "body_ja", "field", "message"),
    [
        ("## A\nx\n## B\ny", "## あ\nx", "body_ja", "The English text has 2 clauses"),
        ("## A\n{% if %}", "## あ\nx", "body_en", "The text does not compile"),
        ("## A\n{% include 'base.html' %}", "## あ\nx", "body_en", "The text does not compile"),
        ("## A\n{% load static %}", "## あ\nx", "body_en", "The text does not compile"),
    ],
)
def test_a_template_that_would_not_render_side_by_side_is_refused(db, body_en, body_ja, field, message):
    with pytest.raises(ValidationError) as refused:
        services.agreement_template_revise(
            kind="company", title_en="T", title_ja="T", body_en=body_en, body_ja=body_ja, by=None
        )
    assert refused.value.message_dict[field][0].startswith(message)
    assert not AgreementTemplate.objects.exists()


# --- Generation ----------------------------------------------------------------------------------------


def test_generating_saves_the_snapshot_then_renders_and_stores_the_pdf_with_its_hash(
    placement, private_storage, generate
):
    version = generate(placement, AgreementKind.INTERN)
    version.refresh_from_db()
    assert (version.number, version.status, version.error) == (1, VersionStatus.READY, "")
    content = stored_bytes(version)
    assert content.startswith(b"%PDF-")
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.size == len(content)
    assert version.file.name.startswith(f"agreements/{version.agreement_id}/v1-JIP2024-I-")
    assert (private_storage / version.file.name).is_file()
    data = version.snapshot
    assert data["intern"]["name"] == "Van An Nguyen"
    assert data["intern"]["name_ja"] == "グエン・ヴァン・アン"
    assert data["company"] == {
        "name_en": "Sample Seiko Co., Ltd.", "name_ja": COMPANY_JA, "corporate_number": "8700110005901",
        "contact_name": "Sato Kenji",
    }  # fmt: skip
    assert data["course"] == {
        "kind": "in_person",
        "en": "In-person internship in Japan",
        "ja": "訪日型インターンシップ",
    }
    assert data["support"] == {
        "rate_jpy_per_day": 3000, "paid_in_local_currency": False, "en": "3,000 yen per activity day",
        "ja": "活動日1日あたり3,000円",
    }  # fmt: skip
    assert data["period"]["en"] == "1 October 2024 – 29 November 2024"
    assert data["period"]["ja"] == "2024年10月1日～2024年11月29日"
    assert data["place"] == {"en": "Nagoya, Aichi", "ja": "愛知県Nagoya"}
    assert data["mentor"] == {"name": "Suzuki Hanako", "title": "Export manager"}
    assert data["text"]["title_ja"] == "インターンシップ参加同意書"
    assert version.snapshot_sha256 == selectors.agreement_snapshot_sha256(data)
    assert AuditEntry.objects.filter(action="agreement.generate", target_id=str(version.pk)).count() == 1
    assert AuditEntry.objects.filter(action="agreement.render", target_id=str(version.pk)).count() == 1


def test_online_course_states_the_local_currency_basis_and_the_hours_of_its_term(
    fy2024, host_company, templates, private_storage, generate
):
    placement = place(company=host_company, fy2024=fy2024, course="online")
    version = generate(placement, AgreementKind.COMPANY)
    assert version.snapshot["support"]["paid_in_local_currency"] is True
    assert version.snapshot["support"]["en"] == (
        "the equivalent of 1,000 yen per activity day, paid in the intern's local currency"
    )
    assert version.snapshot["hours"]["ja"] == "週35時間（1日4時間）"
    assert version.snapshot["place"]["en"] == "Online, from the intern's home"
    assert version.snapshot["reference"] == f"JIP2024-C-{placement.pk:05d}"


def test_the_same_data_gives_the_same_version_and_a_change_makes_the_next(placement, generate):
    first = generate(placement, AgreementKind.INTERN)
    again = generate(placement, AgreementKind.INTERN)
    assert again.pk == first.pk
    assert AgreementVersion.objects.count() == 1

    first.refresh_from_db()
    first_bytes, first_name = stored_bytes(first), first.file.name
    placement.internship.mentor_name = "Takahashi Ken"
    placement.internship.save()
    second = generate(placement, AgreementKind.INTERN)
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.number, second.status) == (2, VersionStatus.READY)
    assert second.file.name != first_name
    assert (first.file.name, first.sha256) == (first_name, hashlib.sha256(first_bytes).hexdigest())
    assert stored_bytes(first) == first_bytes  # never overwritten; still readable
    assert second.snapshot["mentor"]["name"] == "Takahashi Ken"


def test_a_rendering_failure_is_recorded_and_the_next_generation_makes_a_new_version(
    placement, monkeypatch, generate
):
    def broken(html):
        raise ValueError("layout exploded")

    monkeypatch.setattr(pdf, "pdf_write", broken)
    version = generate(placement, AgreementKind.COMPANY)
    version.refresh_from_db()
    assert (version.status, version.error, version.file.name) == (
        VersionStatus.FAILED, "ValueError: layout exploded", "",
    )  # fmt: skip
    monkeypatch.undo()
    retried = generate(placement, AgreementKind.COMPANY)
    retried.refresh_from_db()
    assert (retried.number, retried.status) == (2, VersionStatus.READY)


def test_a_ready_version_is_not_rendered_again(placement, generate):
    version = generate(placement, AgreementKind.INTERN)
    version.refresh_from_db()
    before = (version.file.name, version.sha256, version.rendered_at)
    services.agreement_render(version_id=version.pk)
    version.refresh_from_db()
    assert (version.file.name, version.sha256, version.rendered_at) == before
    assert AuditEntry.objects.filter(action="agreement.render").count() == 1


def test_no_template_in_use_refuses_generation(fy2024, host_company, private_storage):
    placement = place(company=host_company, fy2024=fy2024)
    with pytest.raises(ValidationError) as refused:
        services.agreement_generate(placement=placement, kind=AgreementKind.INTERN, by=None)
    assert refused.value.code == "no_template"


# --- Mail ----------------------------------------------------------------------------------------------


def test_each_party_is_told_once_in_their_language_when_a_version_is_ready(placement, host_company, generate):
    colleague = UserFactory(email="tanaka@seiko.example", preferred_language="en")
    CompanyManagerFactory(company=host_company, user=colleague)
    mail.outbox.clear()
    versions = {kind: generate(placement, kind) for kind in AgreementKind.values}
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"an.nguyen@intern.example", "sato@seiko.example", "tanaka@seiko.example"}
    intern_mail = by_address["an.nguyen@intern.example"]
    assert (
        intern_mail.subject
        == f"[JIP] Your agreement is ready to sign ({versions['intern'].snapshot['reference']})"
    )
    assert f"/internship/agreements/{versions['intern'].agreement_id}/" in intern_mail.body
    assert (
        f"/internship/agreements/{versions['company'].agreement_id}/" in by_address["sato@seiko.example"].body
    )
    # A second notice of the same version sends nothing.
    assert services.agreement_version_notify(version_id=versions["intern"].pk) == []
    assert len(mail.outbox) == 3


# --- Signatures ----------------------------------------------------------------------------------------


def test_the_intern_signs_with_their_name_in_either_order_and_the_exact_file_is_recorded(
    ready, intern_user, time_machine
):
    time_machine.move_to(SIGNING_DAY, tick=False)
    version = ready["intern"]
    signature = sign(version, SignatureParty.INTERN, intern_user, "  nguyen   VAN an ")
    assert (signature.typed_name, signature.ip_address, signature.user_agent) == (
        "nguyen VAN an", "203.0.113.7", "Mozilla/5.0 test",
    )  # fmt: skip
    assert signature.signed_at == SIGNING_DAY
    assert signature.file_sha256 == version.sha256 == hashlib.sha256(stored_bytes(version)).hexdigest()
    assert AuditEntry.objects.filter(action="agreement.sign", actor=intern_user).count() == 1


@pytest.mark.parametrize("name", ["Nguyễn Văn An", "グエン・ヴァン・アン", "Van-An Nguyen"])
def test_accents_the_japanese_name_and_punctuation_are_accepted(ready, intern_user, name):
    assert sign(ready["intern"], SignatureParty.INTERN, intern_user, name).party == "intern"


def test_a_name_that_is_not_the_interns_is_refused(ready, intern_user):
    with pytest.raises(ValidationError) as refused:
        sign(ready["intern"], SignatureParty.INTERN, intern_user, "Someone Else")
    assert refused.value.message_dict == {
        "typed_name": ["Type the name as it appears on the agreement: Van An Nguyen."]
    }
    assert not AgreementSignature.objects.exists()


def test_only_the_parties_sign_and_the_office_countersigns_after_them(
    ready, intern_user, host_manager, staff, commit
):
    stranger = UserFactory()
    company_version, intern_version = ready["company"], ready["intern"]
    for version, party, user in [
        (intern_version, SignatureParty.INTERN, stranger),
        (intern_version, SignatureParty.COMPANY, host_manager),  # the company does not sign the intern's
        (company_version, SignatureParty.INTERN, intern_user),
        (company_version, SignatureParty.OFFICE, host_manager),
    ]:
        with pytest.raises(ValidationError) as refused:
            sign(version, party, user, "Kenji Sato")
        assert refused.value.code == "party"
    with pytest.raises(ValidationError) as early:
        sign(company_version, SignatureParty.OFFICE, staff, staff.get_full_name())
    assert early.value.code == "order"

    sign(company_version, SignatureParty.COMPANY, host_manager, "Sato Kenji")
    with pytest.raises(ValidationError) as twice:
        sign(company_version, SignatureParty.COMPANY, host_manager, "Kenji Sato")
    assert twice.value.code == "signed"
    mail.outbox.clear()
    with commit():
        sign(company_version, SignatureParty.OFFICE, staff, staff.get_full_name())
    assert [s.party for s in company_version.signatures.all()] == ["company", "office"]
    assert [m.to for m in mail.outbox] == [["sato@seiko.example"]]
    assert company_version.snapshot["reference"] in mail.outbox[0].subject


def test_a_company_manager_signs_with_their_own_name(ready, host_manager):
    with pytest.raises(ValidationError) as refused:
        sign(ready["company"], SignatureParty.COMPANY, host_manager, "Suzuki Hanako")
    assert refused.value.message_dict == {
        "typed_name": ["Type the name as it appears on the agreement: Kenji Sato."]
    }


def test_a_new_version_needs_signing_again_and_the_old_signature_stays_on_the_old_version(
    ready, placement, intern_user, generate
):
    first = ready["intern"]
    sign(first, SignatureParty.INTERN, intern_user, "Van An Nguyen")
    placement.internship.ends_on = dt.date(2024, 12, 20)
    placement.internship.save()
    mail.outbox.clear()
    second = generate(placement, AgreementKind.INTERN)
    assert second.number == 2
    state = selectors.agreements_with_state().get(pk=first.agreement_id)
    assert (state.latest_number, state.waiting_for, state.party_signed_at) == (2, "party", None)
    assert first.signatures.get().party == "intern"
    with pytest.raises(ValidationError) as stale:
        sign(first, SignatureParty.INTERN, intern_user, "Van An Nguyen")
    assert stale.value.code == "stale"
    assert [m.subject for m in mail.outbox] == [
        f"[JIP] Your agreement has changed: please sign it again ({second.snapshot['reference']})"
    ]


def test_a_tampered_file_cannot_be_signed_and_verification_says_so(ready, intern_user, private_storage):
    version = ready["intern"]
    assert services.agreement_verify(version).intact is True
    path = private_storage / version.file.name
    path.write_bytes(path.read_bytes() + b"\n% one line added after rendering\n")
    result = services.agreement_verify(version)
    assert (result.intact, result.stored, result.actual) == (
        False, version.sha256, hashlib.sha256(path.read_bytes()).hexdigest(),
    )  # fmt: skip
    assert result.reason == "The file has changed since it was rendered."
    with pytest.raises(ValidationError) as refused:
        sign(version, SignatureParty.INTERN, intern_user, "Van An Nguyen")
    assert refused.value.code == "tampered"
    assert not AgreementSignature.objects.exists()
    assert AuditEntry.objects.filter(action="agreement.tamper_detected", target_id=str(version.pk)).exists()


def test_a_missing_file_is_reported(ready, private_storage):
    version = ready["company"]
    (private_storage / version.file.name).unlink()
    assert services.agreement_verify(version).reason == "The file is missing from storage."


def test_what_each_agreement_waits_for(ready, intern_user, host_manager, staff, time_machine):
    time_machine.move_to(SIGNING_DAY, tick=False)
    sign(ready["company"], SignatureParty.COMPANY, host_manager, "Kenji Sato")
    rows = {a.kind: a for a in selectors.agreements_with_state()}
    assert rows["intern"].waiting_for == "party"
    assert rows["intern"].due_since == ready["intern"].rendered_at
    assert (rows["company"].waiting_for, rows["company"].due_since) == ("office", SIGNING_DAY)
    assert selectors.agreement_days_waiting(SIGNING_DAY, today=dt.date(2024, 9, 12)) == 10
    sign(ready["company"], SignatureParty.OFFICE, staff, staff.get_full_name())
    company = selectors.agreements_with_state().get(kind="company")
    assert (company.waiting_for, company.due_since) == ("signed", None)


# --- Batches -------------------------------------------------------------------------------------------


def test_a_batch_generates_both_agreements_of_every_placement_of_the_cycle(
    fy2024, host_company, templates, private_storage, staff, commit
):
    placements = [place(company=host_company, fy2024=fy2024) for _ in range(3)]
    with commit():
        batch = services.agreement_batch_start(cycle=fy2024, by=staff)
    batch.refresh_from_db()
    assert (batch.total, batch.unchanged, batch.refused, batch.finished_at is not None) == (6, 0, [], True)
    assert AgreementVersion.objects.filter(batch=batch, status=VersionStatus.READY).count() == 6
    progress = selectors.agreement_batch_progress(batch=batch)
    assert progress.as_json() == {
        "total": 6, "pending": 0, "ready": 6, "failed": 0, "unchanged": 0, "refused": 0, "done": True,
        "percent": 100,
    }  # fmt: skip
    # Again, with nothing changed: no new version.
    with commit():
        second = services.agreement_batch_start(cycle=fy2024, by=staff)
    second.refresh_from_db()
    assert (second.total, second.unchanged, second.versions.count()) == (6, 6, 0)
    assert len(placements) == 3


def test_a_batch_notes_what_it_could_not_generate(fy2024, host_company, templates, private_storage, commit):
    placement = place(company=host_company, fy2024=fy2024)
    AgreementTemplate.objects.filter(kind="company").update(is_active=False)
    with commit():
        batch = services.agreement_batch_start(cycle=fy2024, by=None)
    batch.refresh_from_db()
    assert batch.refused == [
        {"placement": placement.pk, "kind": "company",
         "reason": "There is no agreement template in use for “JIP office and host company”."}
    ]  # fmt: skip
    assert selectors.agreement_batch_progress(batch=batch).as_json()["percent"] == 100


def test_a_cycle_without_placements_has_nothing_to_generate(fy2024):
    with pytest.raises(ValidationError) as refused:
        services.agreement_batch_start(cycle=fy2024, by=None)
    assert refused.value.code == "empty"
    assert not GenerationBatch.objects.exists()
