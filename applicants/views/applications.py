"""An applicant's application after submission: its status, withdrawal and documents."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jip import selectors as cycle_selectors
from jip.files import private_file_response
from jip.permissions import require_permission

from .. import forms, presentation, selectors, services
from ..models import Application, Document, DocumentStatus


def _detail_context(application: Application, **extra) -> dict:
    documents = selectors.application_documents(application=application)
    for document in documents:
        document.can_upload = application.status != "withdrawn" and document.status in (
            DocumentStatus.REQUESTED,
            DocumentStatus.REJECTED,
        )
    return {
        "application": application,
        "outcomes": presentation.outcomes_for_display(application),
        "documents": documents,
        # Built only when a document waits for a file: most status pages show no upload field.
        "upload_form": forms.DocumentUploadForm() if any(d.can_upload for d in documents) else None,
        "can_withdraw": application.status in services.WITHDRAWABLE,
        **extra,
    }


@require_permission("applicants.apply")
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    current_cycle = cycle_selectors.cycle_current_for(request)  # read once: the header shows it too
    application = selectors.application_detail(applicant=request.user, pk=pk, current_cycle=current_cycle)
    if application is None:
        raise Http404
    return render(request, "applicants/application_detail.html", _detail_context(application))


@require_permission("applicants.apply")
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_detail(applicant=request.user, pk=pk)
    if application is None:
        raise Http404
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your application has been withdrawn."))
        return redirect("applicants:application_detail", pk=application.pk)
    return render(request, "applicants/application_withdraw.html", {"application": application, "form": form})


@require_permission("applicants.apply")
@require_POST
def document_upload(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    application = selectors.application_detail(applicant=request.user, pk=pk)
    if application is None:
        raise Http404
    document = get_object_or_404(Document, pk=document_pk, application=application)
    form = forms.DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_upload(document=document, upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
    if form.errors:
        # Back to the page with the message beside this document's field; nothing else was changed.
        context = _detail_context(application, failed_document=document.pk, failed_form=form)
        return render(request, "applicants/application_detail.html", context, status=400)
    messages.success(
        request, _("Thank you: %(document)s received.") % {"document": document.get_kind_display()}
    )
    return redirect(reverse("applicants:application_detail", args=[application.pk]) + "#documents")


@require_permission("applicants.apply")
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """Uploaded files are served only here, after the permission check, never from a public path."""
    document = Document.objects.select_related("application").filter(pk=pk).first()
    if (
        document is None
        or not document.file
        or not request.user.has_perm("applicants.view_document_file", document)
    ):
        raise Http404  # another person's file is indistinguishable from a missing one
    return private_file_response(
        document.file,
        content_type=document.content_type,
        filename=document.original_name,
        download=request.GET.get("download") == "1",
    )
