"""RowLookup: the ORM's SQL compiled once, run with each call's values; the same instance get() gives."""

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
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


def locked_with_cycle(applications):
    return applications.select_for_update(of=("self",)).select_related("cycle")


def test_select_related_objects_come_with_the_row(fy2024, django_assert_num_queries):
    mine = ApplicationFactory(cycle=fy2024)
    lookup = RowLookup(Application, "applicant_id", "cycle_id", queryset=locked_with_cycle)
    with transaction.atomic(), django_assert_num_queries(1):
        found = lookup.get(mine.applicant_id, fy2024.pk)
        cycle = found.cycle  # joined: no second query
    expected = Application.objects.select_related("cycle").get(pk=mine.pk)
    assert values(found) == values(expected)
    assert values(cycle) == values(expected.cycle)
    assert (
        cycle.deadline_at == expected.cycle.deadline_at and cycle.is_published == expected.cycle.is_published
    )


@pytest.mark.django_db(transaction=True)  # autocommit, as a request outside atomic()
def test_a_locking_lookup_outside_a_transaction_is_refused(fy2024):
    mine = ApplicationFactory(cycle=fy2024)
    lookup = RowLookup(Application, "applicant_id", "cycle_id", queryset=locked_with_cycle)
    with pytest.raises(TransactionManagementError):
        lookup.get(mine.applicant_id, fy2024.pk)


def test_what_needs_another_query_is_refused(fy2024):
    ApplicationFactory(cycle=fy2024)
    with pytest.raises(ValueError, match="no prefetch"):
        RowLookup(Application, "cycle_id", queryset=lambda q: q.prefetch_related("documents")).get(fy2024.pk)
