"""RowLookup: the ORM's SQL compiled once, run with each call's values; the same instance get() gives."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applicants.models import Application
from jip.queries import RowLookup

from ..factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def values(instance):
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


@pytest.mark.parametrize("fields", [("applicant_id", "cycle_id"), ("cycle_id", "applicant_id")])
def test_it_finds_the_row_get_finds_whatever_the_order_of_the_fields(fy2024, fields):
    mine = ApplicationFactory(cycle=fy2024, motivation="Line one\nline two", skills="<b>Django</b>")
    ApplicationFactory(cycle=fy2024)  # another applicant's, in the same cycle
    lookup = RowLookup(Application, *fields)
    by_field = {"applicant_id": mine.applicant_id, "cycle_id": fy2024.pk}
    with CaptureQueriesContext(connection) as queries:
        found = lookup.get(*(by_field[f] for f in fields))
        again = lookup.get(*(by_field[f] for f in fields))
    assert len(queries) == 2  # one each; nothing read afterwards
    expected = Application.objects.get(pk=mine.pk)
    assert type(found) is Application
    assert values(found) == values(again) == values(expected)
    assert found.eligibility == expected.eligibility and found.steps_done == expected.steps_done


def test_none_when_no_row_matches(fy2024):
    ApplicationFactory(cycle=fy2024)
    stranger = UserFactory()
    lookup = RowLookup(Application, "applicant_id", "cycle_id")
    assert lookup.get(stranger.pk, fy2024.pk) is None


def test_more_than_one_row_is_an_error(fy2024):
    ApplicationFactory(cycle=fy2024)
    ApplicationFactory(cycle=fy2024)
    with pytest.raises(Application.MultipleObjectsReturned):
        RowLookup(Application, "cycle_id").get(fy2024.pk)


@pytest.mark.parametrize("pk", [2**31, 2**63, -(2**63) - 1, 10**30])
def test_an_id_no_column_holds_finds_nothing(fy2024, pk):
    mine = ApplicationFactory(cycle=fy2024)
    with CaptureQueriesContext(connection) as queries:
        assert RowLookup(Application, "applicant_id", "id").get(mine.applicant_id, pk) is None
    assert len(queries) <= 1  # none where the backend knows the column's range
