"""Agreements (docs/program.md §11): templates, versions, the PDF, signatures and batches. One function per
change.

Two-step PDF (as pretix does it): `agreement_generate` saves a snapshot of the agreement's data as a new
version and queues `agreement_render` on commit, which writes the PDF under a name of its own and keeps its
SHA-256. A version is never changed once rendered; a change of data makes the next version, which the
parties sign again. A signature records the hash of the exact file signed, recomputed from storage.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.utils.translation import gettext as _

from companies.rules import company_ids_managed_by
from jip import clock
from jip.audit import audit_record
from jip.models import ProgramCycle, User
from jip.rules import is_jip_staff
from jip.tasks import TRANSIENT_ERRORS, task_enqueue
from matching.models import Placement

from .. import pdf
from ..models import (
    Agreement,
    AgreementKind,
    AgreementSignature,
    AgreementTemplate,
    AgreementVersion,
    GenerationBatch,
    SignatureParty,
    VersionStatus,
)
from ..selectors import agreements as selectors

logger = logging.getLogger(__name__)

DEFAULT_TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "data" / "agreement_templates"


# --- Templates --------------------------------------------------------------------------------------


def agreement_template_check(*, title_en: str, title_ja: str, body_en: str, body_ja: str) -> None:
    """The texts must compile as Django templates, render with a sample snapshot, and have the same
    clauses ("## " headings) in both languages, so each clause stands beside its translation."""
    errors = {}
    for name, source in (
        ("title_en", title_en),
        ("title_ja", title_ja),
        ("body_en", body_en),
        ("body_ja", body_ja),
    ):
        try:
            pdf.text_render(source, SAMPLE_SNAPSHOT)
        except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
            errors[name] = _("The text does not compile: %(error)s") % {"error": exc}
    english, japanese = pdf.clause_counts(body_en, body_ja)
    if not errors and english != japanese:
        errors["body_ja"] = _(
            "The English text has %(english)d clauses (lines starting with “## ”) and the Japanese "
            "%(japanese)d; each clause needs its translation."
        ) % {"english": english, "japanese": japanese}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_template_revise(
    *, kind: str, title_en: str, title_ja: str, body_en: str, body_ja: str, note: str = "", by: User | None
) -> AgreementTemplate:
    """A saved edit is the next version of the kind's template, and the one in use; earlier versions stay
    as they were, since the agreements made from them name them (docs/program.md §11)."""
    if kind not in AgreementKind.values:
        raise ValidationError(_("Unknown kind of agreement."), code="kind")
    agreement_template_check(title_en=title_en, title_ja=title_ja, body_en=body_en, body_ja=body_ja)
    existing = list(AgreementTemplate.objects.select_for_update().filter(kind=kind).order_by("-version"))
    number = existing[0].version + 1 if existing else 1
    AgreementTemplate.objects.filter(kind=kind, is_active=True).update(is_active=False)
    template = AgreementTemplate.objects.create(
        kind=kind,
        version=number,
        title_en=title_en.strip(),
        title_ja=title_ja.strip(),
        body_en=body_en.strip() + "\n",
        body_ja=body_ja.strip() + "\n",
        is_active=True,
        note=note.strip(),
        created_by=by if by and by.is_authenticated else None,
    )
    audit_record(
        actor=by,
        action="agreement_template.revise",
        target=template,
        data={"kind": kind, "version": number, "note": note},
    )
    return template


def default_template_texts(kind: str) -> dict[str, str]:
    """The project's default texts of a kind: `<kind>.en.txt` and `<kind>.ja.txt`, the title on line one."""
    texts = {}
    for language in ("en", "ja"):
        title, _sep, body = (
            (DEFAULT_TEMPLATES_DIR / f"{kind}.{language}.txt").read_text("utf-8").partition("\n")
        )
        texts[f"title_{language}"] = title.removeprefix("# ").strip()
        texts[f"body_{language}"] = body.strip() + "\n"
    return texts


def agreement_templates_load_defaults(
    *, by: User | None = None, force: bool = False
) -> list[AgreementTemplate]:
    """Makes the default texts the kinds' templates where a kind has none (or, with force, a new version
    when they differ from the one in use)."""
    made = []
    for kind in AgreementKind.values:
        texts = default_template_texts(kind)
        active = selectors.agreement_template_active(kind=kind)
        same = active is not None and all(getattr(active, k).strip() == v.strip() for k, v in texts.items())
        if active is not None and (same or not force):
            continue
        made.append(agreement_template_revise(kind=kind, **texts, note="Default text of the project", by=by))
    return made


# --- Generation: the snapshot, then the PDF in a task --------------------------------------------------


@transaction.atomic
def agreement_generate(
    *, placement: Placement, kind: str, by: User | None, batch: GenerationBatch | None = None
) -> AgreementVersion:
    """Saves the agreement's data as a new version and renders its PDF on commit; if the data has not changed
    since the latest version (being rendered or ready), that version is returned and nothing is made.

    A previous version, its file and its signatures are never touched: a new version is signed anew. FY2024
    call: the office concludes an agreement with the company and one with the intern; docs/program.md §11.
    """
    template = selectors.agreement_template_active(kind=kind)
    if template is None:
        raise ValidationError(
            _("There is no agreement template in use for “%(kind)s”.") % {"kind": AgreementKind(kind).label},
            code="no_template",
        )
    agreement, _created = Agreement.objects.get_or_create(placement=placement, kind=kind)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)  # one numbering at a time
    snapshot = selectors.agreement_snapshot_for(placement=placement, kind=kind, template=template)
    digest = selectors.agreement_snapshot_sha256(snapshot)
    latest = agreement.versions.order_by("-number").first()
    if latest and latest.snapshot_sha256 == digest and latest.status != VersionStatus.FAILED:
        return latest
    version = AgreementVersion.objects.create(
        agreement=agreement,
        number=(latest.number + 1) if latest else 1,
        template=template,
        snapshot=snapshot,
        snapshot_sha256=digest,
        status=VersionStatus.PENDING,
        batch=batch,
        created_by=by if by and by.is_authenticated else None,
    )
    audit_record(
        actor=by,
        action="agreement.generate",
        target=version,
        data={
            "agreement": agreement.pk,
            "number": version.number,
            "snapshot_sha256": digest,
            "batch": batch.pk if batch else None,
        },
    )
    task_enqueue("internships.tasks.agreement_render", version.pk)
    return version


def _file_name(version: AgreementVersion) -> str:
    reference = version.snapshot.get("reference", f"agreement-{version.agreement_id}")
    return f"{reference}-{clock.now():%Y%m%d%H%M%S}.pdf"


def agreement_render(*, version_id: int) -> AgreementVersion:
    """Renders a pending version's PDF and stores it privately under a new name, with its SHA-256 and size.

    Idempotent: a ready version is left as it is (a second task, or a retry, writes nothing). Deterministic
    failures mark the version failed with the error; transient ones (storage, database) are raised for the
    task to retry.
    """
    version = AgreementVersion.objects.select_related("agreement").get(pk=version_id)
    if version.status == VersionStatus.READY:
        return version
    try:
        html = pdf.agreement_html(
            snapshot=version.snapshot,
            number=version.number,
            created_on=version.created_at.astimezone(clock.JST).date().isoformat(),
        )
        content = pdf.pdf_write(html)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:  # a template or layout error: retrying would fail the same way
        logger.exception("Agreement version %s could not be rendered", version_id)
        return agreement_render_failed(version_id=version_id, error=f"{type(exc).__name__}: {exc}")
    return _render_store(version_id=version_id, content=content)


@transaction.atomic
def _render_store(*, version_id: int, content: bytes) -> AgreementVersion:
    version = AgreementVersion.objects.select_for_update().select_related("agreement").get(pk=version_id)
    if version.status == VersionStatus.READY:
        return version  # another task stored it first; its file is the one that counts
    version.file.save(_file_name(version), ContentFile(content), save=False)  # never an existing name
    version.sha256 = hashlib.sha256(content).hexdigest()
    version.size = len(content)
    version.status = VersionStatus.READY
    version.error = ""
    version.rendered_at = clock.now()
    version.save(update_fields=["file", "sha256", "size", "status", "error", "rendered_at"])
    audit_record(
        actor=None,
        action="agreement.render",
        target=version,
        data={"sha256": version.sha256, "size": version.size},
    )
    task_enqueue("internships.tasks.agreement_ready_notify", version.pk)
    return version


@transaction.atomic
def agreement_render_failed(*, version_id: int, error: str) -> AgreementVersion:
    version = AgreementVersion.objects.select_for_update().get(pk=version_id)
    if version.status != VersionStatus.READY:
        version.status = VersionStatus.FAILED
        version.error = error[:4000]
        version.save(update_fields=["status", "error"])
        audit_record(
            actor=None, action="agreement.render_failed", target=version, data={"error": error[:500]}
        )
    return version


def _party_users(agreement: Agreement) -> list[User]:
    placement = agreement.placement
    if agreement.kind == AgreementKind.INTERN:
        return [placement.application.applicant]
    company = placement.position.company
    return [m.user for m in company.managers.select_related("user").order_by("pk")]


@transaction.atomic
def agreement_version_notify(*, version_id: int) -> list[int]:
    """Tells the parties once that a version is ready to sign (each in their language); returns whom."""
    version = (
        AgreementVersion.objects.select_for_update(of=("self",))
        .select_related(
            "agreement__placement__application__applicant", "agreement__placement__position__company"
        )
        .get(pk=version_id)
    )
    if version.status != VersionStatus.READY or version.notified_at is not None:
        return []
    version.notified_at = clock.now()
    version.save(update_fields=["notified_at"])
    users = _party_users(version.agreement)
    context = {
        "agreement_id": version.agreement_id,
        "number": version.number,
        "reference": version.snapshot.get("reference", ""),
        "kind": version.agreement.kind,
        "again": version.number > 1
        and AgreementSignature.objects.filter(
            version__agreement_id=version.agreement_id, version__number__lt=version.number
        ).exists(),
    }
    for user in users:
        task_enqueue(
            "internships.tasks.agreement_mail_send", user.pk, "internships/email/agreement_ready", context
        )
    return [user.pk for user in users]


# --- Signatures -----------------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """A name compared without case, spaces, punctuation or accents: "Nguyễn Văn-An" ≡ "nguyen van an"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed.casefold() if c.isalnum() and not unicodedata.combining(c))


def expected_names(*, version: AgreementVersion, party: str, user: User) -> list[str]:
    """The names a party may type: the intern's as on the agreement (either order, or in Japanese); a
    company manager or office staff member their own name as their account holds it (any, if none)."""
    if party == SignatureParty.INTERN:
        intern = version.snapshot.get("intern", {})
        given, family = intern.get("given_names", ""), intern.get("family_name", "")
        return [n for n in (f"{given} {family}", f"{family} {given}", intern.get("name_ja", "")) if n.strip()]
    own = [
        n for n in (f"{user.first_name} {user.last_name}", f"{user.last_name} {user.first_name}") if n.strip()
    ]
    return own


def file_sha256(version: AgreementVersion) -> str:
    digest = hashlib.sha256()
    with version.file.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Verification:
    intact: bool
    stored: str
    actual: str | None
    reason: str


def agreement_verify(version: AgreementVersion) -> Verification:
    """Recomputes the file's SHA-256 from storage: does it still match the one kept when it was rendered
    (and signed)? A changed or missing file is reported, never repaired."""
    if version.status != VersionStatus.READY or not version.file:
        return Verification(False, version.sha256, None, _("No file has been rendered for this version."))
    try:
        actual = file_sha256(version)
    except FileNotFoundError:
        return Verification(False, version.sha256, None, _("The file is missing from storage."))
    if actual != version.sha256:
        return Verification(False, version.sha256, actual, _("The file has changed since it was rendered."))
    signed = set(version.signatures.values_list("file_sha256", flat=True))
    if signed - {actual}:
        return Verification(False, version.sha256, actual, _("A signature names a different file."))
    return Verification(True, version.sha256, actual, _("The file is the one rendered and signed."))


def _may_sign(*, agreement: Agreement, party: str, user: User) -> bool:
    placement = agreement.placement
    if party == SignatureParty.OFFICE:
        return is_jip_staff(user)
    if party == SignatureParty.INTERN:
        return agreement.kind == AgreementKind.INTERN and placement.application.applicant_id == user.pk
    return (
        agreement.kind == AgreementKind.COMPANY
        and placement.position.company_id in company_ids_managed_by(user)
    )


class FileTampered(ValidationError):
    def __init__(self, *, stored: str, actual: str | None):
        super().__init__(
            _(
                "The agreement's file does not match the one rendered; it cannot be signed. The JIP office "
                "has been told."
            ),
            code="tampered",
        )
        self.stored, self.actual = stored, actual


def agreement_sign(
    *,
    version: AgreementVersion,
    party: str,
    user: User,
    typed_name: str,
    ip_address: str | None,
    user_agent: str,
) -> AgreementSignature:
    """A party signs the exact file of the agreement's latest ready version (see `_agreement_sign`).

    A file that no longer matches its hash is refused, and the refusal is audited in a transaction of its
    own, so the office's record of it outlives the refused signature (docs/program.md §11).
    """
    try:
        return _agreement_sign(
            version=version,
            party=party,
            user=user,
            typed_name=typed_name,
            ip_address=ip_address,
            user_agent=user_agent,
        )
    except FileTampered as exc:
        logger.error("Agreement version %s: stored SHA-256 %s, file %s", version.pk, exc.stored, exc.actual)
        with transaction.atomic():
            audit_record(
                actor=user,
                action="agreement.tamper_detected",
                target=version,
                data={"stored": exc.stored, "actual": exc.actual},
            )
        raise


@transaction.atomic
def _agreement_sign(
    *,
    version: AgreementVersion,
    party: str,
    user: User,
    typed_name: str,
    ip_address: str | None,
    user_agent: str,
) -> AgreementSignature:
    """A party signs the exact file of the agreement's latest ready version.

    Refused: an older version (a new one needs signing again), a party the user is not, a name that is not
    the signer's, a file whose SHA-256 no longer matches the one kept at rendering (tampered), a second
    signature of the same party, and the office's countersignature before the other party has signed.
    """
    agreement = (
        Agreement.objects.select_for_update()
        .select_related("placement__application", "placement__position")
        .get(pk=version.agreement_id)
    )
    latest = agreement.versions.order_by("-number").first()
    if latest is None or latest.pk != version.pk:
        raise ValidationError(
            _("A newer version of this agreement has been made; read and sign that one."), code="stale"
        )
    version = latest
    if version.status != VersionStatus.READY:
        raise ValidationError(_("This version is not ready to sign yet."), code="not_ready")
    if party not in SignatureParty.values or not _may_sign(agreement=agreement, party=party, user=user):
        raise ValidationError(_("You cannot sign this agreement for this party."), code="party")
    signatures = {s.party: s for s in version.signatures.all()}
    if party in signatures:
        raise ValidationError(_("This version has been signed for this party already."), code="signed")
    other = selectors.PARTY_OF_KIND[agreement.kind]
    if party == SignatureParty.OFFICE and other not in signatures:
        raise ValidationError(
            _("The office countersigns after the %(party)s has signed.") % {"party": other.label.lower()},
            code="order",
        )
    typed = " ".join(typed_name.split())
    if not name_key(typed):
        raise ValidationError({"typed_name": _("Type your full name to sign.")}, code="name")
    expected = expected_names(version=version, party=party, user=user)
    if expected and name_key(typed) not in {name_key(n) for n in expected}:
        raise ValidationError(
            {
                "typed_name": _("Type the name as it appears on the agreement: %(name)s.")
                % {"name": expected[0]}
            },
            code="name",
        )
    try:
        actual = file_sha256(version)
    except FileNotFoundError:
        actual = None
    if actual != version.sha256:
        raise FileTampered(stored=version.sha256, actual=actual)
    signature = AgreementSignature.objects.create(
        version=version,
        party=party,
        user=user,
        typed_name=typed[:200],
        signed_at=clock.now(),
        ip_address=ip_address or None,
        user_agent=(user_agent or "")[:300],
        file_sha256=actual,
    )
    audit_record(
        actor=user,
        action="agreement.sign",
        target=version,
        data={"party": party, "file_sha256": actual, "ip": ip_address},
    )
    if party == SignatureParty.OFFICE:
        context = {
            "agreement_id": agreement.pk,
            "number": version.number,
            "reference": version.snapshot.get("reference", ""),
            "kind": agreement.kind,
        }
        for party_user in _party_users(agreement):
            task_enqueue(
                "internships.tasks.agreement_mail_send",
                party_user.pk,
                "internships/email/agreement_concluded",
                context,
            )
    return signature


# --- Batches --------------------------------------------------------------------------------------------


@transaction.atomic
def agreement_batch_start(*, cycle: ProgramCycle, by: User | None) -> GenerationBatch:
    """Staff generate both agreements of every placement of a cycle; the work runs in a task."""
    placements = Placement.objects.filter(cycle=cycle).count()
    if not placements:
        raise ValidationError(_("This cycle has no placements yet."), code="empty")
    batch = GenerationBatch.objects.create(
        cycle=cycle,
        created_by=by if by and by.is_authenticated else None,
        total=placements * len(AgreementKind.values),
    )
    audit_record(actor=by, action="agreement.batch_start", target=batch, data={"cycle": cycle.pk})
    task_enqueue("internships.tasks.agreement_batch_generate", batch.pk)
    return batch


def agreement_batch_run(*, batch_id: int) -> GenerationBatch:
    """Generates every agreement of the batch's cycle, each in its own transaction; a refused one is noted
    with its reason and the rest go on. Running it again adds nothing for agreements already generated."""
    batch = GenerationBatch.objects.select_related("cycle", "created_by").get(pk=batch_id)
    if batch.finished_at is not None:
        return batch
    unchanged, refused = 0, []
    placements = list(selectors.agreement_placements_of_cycle(cycle=batch.cycle))
    for placement in placements:
        for kind in AgreementKind.values:
            try:
                version = agreement_generate(placement=placement, kind=kind, by=batch.created_by, batch=batch)
            except ValidationError as exc:
                refused.append({"placement": placement.pk, "kind": kind, "reason": " ".join(exc.messages)})
            else:
                unchanged += version.batch_id != batch.pk
    GenerationBatch.objects.filter(pk=batch.pk).update(
        total=len(placements) * len(AgreementKind.values),
        unchanged=unchanged,
        refused=refused,
        finished_at=clock.now(),
    )
    batch.refresh_from_db()
    return batch


# A snapshot with every key the texts may use, to check a template before it is saved.
SAMPLE_SNAPSHOT = {
    "kind": "intern",
    "reference": "JIP2024-I-00001",
    "office": selectors.OFFICE,
    "cycle": {"fiscal_year": 2024, "name_en": "Japan Internship Program 2024", "name_ja": "JIP 2024"},
    "intern": {
        "name": "An Nguyen",
        "family_name": "Nguyen",
        "given_names": "An",
        "name_ja": "グエン・アン",
        "nationality": {"code": "VN", "en": "Viet Nam", "ja": "ベトナム"},
        "application_number": "JIP24-000001",
    },
    "company": {
        "name_en": "Sample Co., Ltd.",
        "name_ja": "株式会社サンプル",
        "corporate_number": "1234567890123",
        "contact_name": "Sato",
    },
    "position": {"title": "Assistant", "role_and_goals": "Market research."},
    "course": {"kind": "in_person", "en": "In-person internship in Japan", "ja": "訪日型インターンシップ"},
    "place": {"en": "Nagoya, Aichi", "ja": "愛知県名古屋市"},
    "period": {
        "starts_on": "2024-09-02",
        "ends_on": "2024-10-31",
        "en": "2 September 2024 – 31 October 2024",
        "ja": "2024年9月2日～2024年10月31日",
        "activity_days": 40,
    },
    "hours": {"per_week": 35, "per_day": 7, "en": "35 hours a week", "ja": "週35時間"},
    "support": {
        "rate_jpy_per_day": 3000,
        "paid_in_local_currency": False,
        "en": "3,000 yen per activity day",
        "ja": "活動日1日あたり3,000円",
    },
    "mentor": {"name": "Suzuki Hanako", "title": "Manager"},
    "template": {"id": 0, "version": 0},
    "text": {"title_en": "", "title_ja": "", "body_en": "", "body_ja": ""},
}
