"""Fixed pairs: the office locks or excludes a pair for the next runs, with its reason, by the service."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from .. import services
from ..models import PairConstraint


class PairConstraintForm(forms.ModelForm):
    class Meta:
        model = PairConstraint
        fields = ("application", "position", "kind", "course", "reason")


@admin.register(PairConstraint)
class PairConstraintAdmin(admin.ModelAdmin):
    form = PairConstraintForm
    list_display = ("kind", "application", "position", "course", "reason", "created_by", "created_at")
    list_filter = ("cycle", "kind")
    list_select_related = ("application", "position", "created_by")
    autocomplete_fields = ("application", "position")

    def has_change_permission(self, request, obj=None):
        return obj is None  # a fixed pair is removed and made again, never edited

    def save_model(self, request, obj, form, change):
        try:
            constraint = services.pair_constraint_set(
                application=obj.application, position=obj.position, kind=obj.kind, reason=obj.reason,
                by=request.user, course=obj.course,
            )  # fmt: skip
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            obj.pk = None
            return
        obj.pk = constraint.pk

    def delete_model(self, request, obj):
        services.pair_constraint_remove(constraint=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for constraint in queryset:
            services.pair_constraint_remove(constraint=constraint, by=request.user)
