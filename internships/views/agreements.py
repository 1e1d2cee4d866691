"""The parties' agreement pages: their list, one agreement (read the PDF, sign it), and the PDF itself.

An intern sees their agreement with the office; a company manager their company's. Everything is looked up
within what the user may see (`selectors.agreements.agreements_visible_to`), so another's id answers 404, and
a file is served only through the checking view, never from a public path.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from jip.files import private_file_response
from jip.http import client_ip
from jip.permissions import require_permission

from ..forms import AgreementSignForm
from ..models import AgreementVersion, SignatureParty, VersionStatus
from ..presentation import WAITING_BADGES, state_label
from ..selectors import agreements as selectors
from ..services import agreements as services


@require_permission("internships.use_agreements")
def agreement_list(request: HttpRequest) -> HttpResponse:
    agreements = selectors.agreement_list_for(user=request.user)
    for agreement in agreements:
        agreement.state_text = state_label(agreement, for_party=True)
        agreement.badge = WAITING_BADGES[agreement.waiting_for]
    return render(request, "internships/agreement_list.html", {"agreements": agreements})


def _name_help(latest: AgreementVersion, party: str, user) -> str:
    if party == SignatureParty.INTERN:
        return _("Type your name as it appears on the agreement: %(name)s.") % {
            "name": latest.snapshot["intern"]["name"]
        }
    if user.get_full_name():
        return _("Type your own name as your account holds it (%(name)s); you sign for the company.") % {
            "name": user.get_full_name()
        }
    return _("Type your own full name: you sign for the company, and your account is recorded with it.")


@require_permission("internships.use_agreements")
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.agreement_for_party(user=request.user, pk=pk)
    if detail is None or not request.user.has_perm("internships.sign_agreement", detail.agreement):
        raise Http404
    agreement, latest = detail.agreement, detail.latest
    parties = selectors.agreement_parties_of(agreement=agreement, user=request.user)
    party = parties[0]
    ready = latest if latest and latest.status == VersionStatus.READY else None
    signatures = {s.party: s for s in ready.signatures.all()} if ready else {}
    can_sign = ready is not None and party not in signatures
    form = None
    if can_sign:
        form = AgreementSignForm(
            request.POST if request.method == "POST" else None,
            initial={"version": ready.pk, "sha256": ready.sha256},
            name_help=_name_help(ready, party, request.user),
        )
    if request.method == "POST":
        if form is None:
            messages.warning(request, _("There is nothing to sign on this agreement now."))
            return redirect("internships:agreement_detail", pk=agreement.pk)
        if form.is_valid():
            if form.cleaned_data["version"] != ready.pk or form.cleaned_data["sha256"] != ready.sha256:
                form.add_error(
                    None, _("A newer version of this agreement has been made; read and sign that one.")
                )
            else:
                try:
                    services.agreement_sign(
                        version=ready,
                        party=party,
                        user=request.user,
                        typed_name=form.cleaned_data["typed_name"],
                        ip_address=client_ip(request),
                        user_agent=request.META.get("HTTP_USER_AGENT", ""),
                    )
                except ValidationError as exc:
                    if hasattr(exc, "error_dict"):
                        for field, errors in exc.message_dict.items():
                            form.add_error(field if field in form.fields else None, errors)
                    else:
                        form.add_error(None, exc)
                else:
                    messages.success(
                        request,
                        _(
                            "You signed version %(number)d of the agreement. "
                            "The JIP office countersigns it next."
                        )
                        % {"number": ready.number},
                    )
                    return redirect("internships:agreement_detail", pk=agreement.pk)
    earlier_signed = any(
        v.signatures.all() for v in detail.versions if latest is None or v.number < latest.number
    )
    context = {
        "agreement": agreement,
        "party": party,
        "latest": latest,
        "ready": ready,
        "signatures": signatures,
        "own_signature": signatures.get(party),
        "office_signature": signatures.get(SignatureParty.OFFICE),
        "form": form,
        "state_text": state_label(agreement, for_party=True),
        "badge": WAITING_BADGES[agreement.waiting_for],
        "older": [v for v in detail.versions if latest is None or v.number < latest.number],
        "sign_again": earlier_signed and can_sign,
        "snapshot": (ready or latest).snapshot if (ready or latest) else {},
    }
    return render(request, "internships/agreement_detail.html", context)


@require_permission("internships.use_agreements")
@xframe_options_sameorigin  # shown in the agreement page's frame
def agreement_version_file(request: HttpRequest, pk: int) -> FileResponse:
    """A version's PDF, for its parties and the office only; never a public path."""
    version = selectors.agreement_version_for_file(pk=pk)
    if (
        version is None
        or version.status != VersionStatus.READY
        or not version.file
        or not request.user.has_perm("internships.view_agreement_file", version)
    ):
        raise Http404  # another's agreement is indistinguishable from a missing one
    reference = version.snapshot.get("reference", "agreement")
    response = private_file_response(
        version.file,
        content_type="application/pdf",
        filename=f"{reference}-v{version.number}.pdf",
        download=request.GET.get("download") == "1",
        # Our own PDF, shown in our own page's frame; nothing else may load it or be loaded by it.
        policy="default-src 'none'; frame-ancestors 'self'",
    )
    response["X-Agreement-SHA256"] = version.sha256
    return response
