"""Reads for the company portal; every queryset is scoped to the companies the user manages."""

from django.db.models import QuerySet

from jip.rules import company_ids_managed_by

from .models import HostCompany


def companies_for_manager(*, user) -> QuerySet[HostCompany]:
    return HostCompany.objects.filter(pk__in=company_ids_managed_by(user)).order_by("name_en")
