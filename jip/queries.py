"""Lookups of one row on hot pages, with the SQL the ORM writes compiled once per process.

Compiling a query of a wide model costs more than PostgreSQL takes to answer it (about half of the
application read on the review page, scripts/profile_applications.py). `RowLookup` has the ORM write the
query once, with marker values, and then runs that SQL with each call's values through `Model.objects.raw`,
which builds the same model instance a `get()` would.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

from django.db import connections, models

M = TypeVar("M", bound=models.Model)


class RowLookup(Generic[M]):
    """`model.objects.filter(**{field: value, …}).get()`, or None; `fields` are exact lookups on integer
    columns (ids), the values the caller's."""

    def __init__(self, model: type[M], *fields: str):
        self.model, self.fields = model, fields
        self._compiled: dict[Hashable, tuple[str, list[int], list[tuple[int, int]]]] = {}

    def _sql(self, using: str) -> tuple[str, list[int], list[tuple[int, int]]]:
        """The ORM's SQL for the lookup, for each of its parameters which field's value it takes, and the
        range of each field's column."""
        compiled = self._compiled.get(using)
        if compiled is None:
            markers = [-1_000_003 - i for i in range(len(self.fields))]  # no id is negative
            lookup = dict(zip(self.fields, markers, strict=True))
            query = self.model._default_manager.using(using).filter(**lookup).order_by().query
            sql, params = query.sql_with_params()
            if sorted(params) != sorted(markers):
                raise ValueError(f"{self.model.__name__} lookup on {self.fields}: parameters {params}")
            ops, meta = connections[using].ops, self.model._meta
            columns = [meta.get_field(f) for f in self.fields]
            columns = [
                c.target_field if c.is_relation else c for c in columns
            ]  # a foreign key holds its target's id
            ranges = [ops.integer_field_range(c.get_internal_type()) for c in columns]
            compiled = (sql, [markers.index(p) for p in params], ranges)
            self._compiled[using] = compiled
        return compiled

    def get(self, *values: int, using: str = "default") -> M | None:
        sql, order, ranges = self._sql(using)
        # An id no column can hold (a long number in an address) finds nothing, as the ORM's get() does.
        for value, (low, high) in zip(values, ranges, strict=True):
            if (low is not None and value < low) or (high is not None and value > high):
                return None
        rows = list(self.model._default_manager.db_manager(using).raw(sql, [values[i] for i in order]))
        if len(rows) > 1:
            raise self.model.MultipleObjectsReturned(f"{len(rows)} rows for {self.fields} = {values}")
        return rows[0] if rows else None
