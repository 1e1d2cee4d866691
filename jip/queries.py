"""Lookups of one row on hot pages, with the SQL the ORM writes compiled once per process.

Compiling a query of a wide model costs more than PostgreSQL takes to answer it (about half of the
application read on the review page, scripts/profile_applications.py). `RowLookup` has the ORM compile the
query once, with marker values, keeps what the QuerySet's own iterator would work out from it (the columns,
their converters, the populators of `select_related` objects), and then runs that SQL with each call's
values and builds the same instances a `get()` would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, models
from django.db.models.query import QuerySet, get_related_populators
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    order: list[int]  # for each parameter of the SQL, the index of the field whose value it takes
    ranges: list[tuple[int | None, int | None]]  # the values each field's column can hold
    for_update: bool
    model: type[models.Model]
    start: int
    end: int
    init_list: list[str]
    converters: list[tuple[int, tuple[list[Callable], Any]]]
    populators: list[Any]


class RowLookup(Generic[M]):
    """`queryset(model.objects.filter(**{field: value, …})).get()`, or None.

    `fields` are exact lookups on integer columns (ids), their values the caller's; `queryset` may add
    `select_related()` and `select_for_update()`, nothing that needs another query (no prefetch, no
    annotations)."""

    def __init__(
        self,
        model: type[M],
        *fields: str,
        queryset: Callable[[QuerySet[M]], QuerySet[M]] = lambda queryset: queryset,
    ):
        self.model, self.fields, self.queryset = model, fields, queryset
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, using: str) -> _Compiled:
        markers = [-1_000_003 - i for i in range(len(self.fields))]  # no id is negative
        lookup = dict(zip(self.fields, markers, strict=True))
        queryset = self.queryset(self.model._default_manager.using(using).filter(**lookup).order_by())
        if queryset._prefetch_related_lookups or queryset.query.annotations:
            raise ValueError("RowLookup reads one row in one query: no prefetch, no annotations")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()  # also works out compiler.select and klass_info
        if sorted(params) != sorted(markers):
            raise ValueError(f"{self.model.__name__} lookup on {self.fields}: parameters {params}")
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        columns = [self.model._meta.get_field(f) for f in self.fields]
        columns = [c.target_field if c.is_relation else c for c in columns]  # a foreign key holds an id
        ops = connections[using].ops
        return _Compiled(
            sql=sql,
            order=[markers.index(p) for p in params],
            ranges=[ops.integer_field_range(c.get_internal_type()) for c in columns],
            for_update=queryset.query.select_for_update,
            model=klass_info["model"],
            start=start,
            end=end,
            init_list=[s[0].target.attname for s in select[start:end]],
            converters=list(compiler.get_converters([s[0] for s in select[: compiler.col_count]]).items()),
            populators=get_related_populators(klass_info, select, using),
        )

    def get(self, *values: int, using: str = "default") -> M | None:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(using)
        # An id no column can hold (a long number in an address) finds nothing, as the ORM's get() does.
        for value, (low, high) in zip(values, compiled.ranges, strict=True):
            if (low is not None and value < low) or (high is not None and value > high):
                return None
        connection = connections[using]
        if compiled.for_update and connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, [values[i] for i in compiled.order])
            rows = cursor.fetchmany(2)
        if len(rows) > 1:
            raise self.model.MultipleObjectsReturned(f"more than one row for {self.fields} = {values}")
        if not rows:
            return None
        row = list(rows[0])
        for position, (converters, expression) in compiled.converters:  # as the QuerySet's iterator does
            value = row[position]
            for converter in converters:
                value = converter(value, expression, connection)
            row[position] = value
        instance = compiled.model.from_db(using, compiled.init_list, row[compiled.start : compiled.end])
        for populator in compiled.populators:
            populator.populate(row, instance)
        return instance
