"""The cycle's company cap holds when two staff approve positions at the same moment.

`services.position_review` locks the cycle's row before it counts the host companies with an approved position,
so two approvals are counted one after the other. Only a database with row locks shows it: on SQLite the tests
skip with the reason, and under CI=true they fail without PostgreSQL.
"""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from companies import services
from companies.models import Position, PositionStatus
from jip import services as jip_services

from ..factories import HostCompanyFactory, PositionFactory
from ..services import require

pytestmark = pytest.mark.django_db(transaction=True)

APPROVED, CAP = "approved", "cap"


def require_row_locks() -> None:
    require(connection.vendor == "postgresql", "needs PostgreSQL (row locks)")


def cycle_with_cap(source, fiscal_year: int, cap: int = 1):
    cycle = jip_services.cycle_copy(source=source, fiscal_year=fiscal_year, publish=True)
    cycle.company_cap = cap
    cycle.save()
    return cycle


def two_newcomers(cycle) -> list[Position]:
    """Two approved companies, neither hosting yet, each with one position waiting for review."""
    return [PositionFactory(cycle=cycle, company=HostCompanyFactory()) for _ in range(2)]


def approve_together(positions: list[Position], by) -> list[str]:
    """Each position approved in its own thread and database connection, all starting at the same moment;
    returns what happened to each: "approved", or the code of the refusal."""
    start = threading.Barrier(len(positions))
    outcomes: list[str | BaseException | None] = [None] * len(positions)

    def approve(index: int, position: Position) -> None:
        try:
            start.wait(timeout=10)
            services.position_review(position=position, approve=True, by=by)
            outcomes[index] = APPROVED
        except ValidationError as exc:
            outcomes[index] = exc.code
        except BaseException as exc:  # reported by the test, not lost in the thread
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(i, p)) for i, p in enumerate(positions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "an approval is still waiting (deadlock?)"
    return outcomes


def hosting(cycle) -> set[int]:
    return set(
        Position.objects.filter(cycle=cycle, status=PositionStatus.APPROVED).values_list(
            "company_id", flat=True
        )
    )


def test_the_cap_holds_under_two_simultaneous_approvals(fy2024, staff):
    require_row_locks()
    cycle = cycle_with_cap(fy2024, 2090)
    positions = two_newcomers(cycle)

    outcomes = approve_together(positions, staff)

    assert sorted(outcomes) == [APPROVED, CAP], outcomes
    assert len(hosting(cycle)) == 1
    refused = positions[outcomes.index(CAP)]
    refused.refresh_from_db()
    assert refused.status == PositionStatus.SUBMITTED


def test_the_cap_holds_round_after_round(fy2024, staff):
    require_row_locks()
    for round_ in range(5):
        cycle = cycle_with_cap(fy2024, 2090 + round_)

        outcomes = approve_together(two_newcomers(cycle), staff)

        assert sorted(outcomes) == [APPROVED, CAP], (round_, outcomes)
        assert len(hosting(cycle)) == 1, round_


def test_without_the_cycle_lock_both_would_pass(fy2024, staff, monkeypatch):
    """Holds each approval open between counting the hosting companies and writing, until the other one has
    counted too (or two seconds have passed). Counted without the cycle's lock, both would see a free place and
    both would be approved; with it, the second counts only after the first has committed."""
    require_row_locks()
    cycle = cycle_with_cap(fy2024, 2090)
    positions = two_newcomers(cycle)
    counted = threading.Barrier(2)
    count = services.companies_with_approved_position

    def count_then_wait(*, cycle):
        result = count(cycle=cycle)
        # With the lock, the other approval waits for it and never counts at the same time: the wait breaks.
        with contextlib.suppress(threading.BrokenBarrierError):
            counted.wait(timeout=2)
        return result

    monkeypatch.setattr(services, "companies_with_approved_position", count_then_wait)

    outcomes = approve_together(positions, staff)

    assert sorted(outcomes) == [APPROVED, CAP], outcomes
    assert counted.broken  # the two counts were never taken at the same time
    assert len(hosting(cycle)) == 1
