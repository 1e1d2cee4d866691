"""django-simple-history, made cheaper where every history row pays.

Its `HistoryDescriptor` builds a new manager class (`Manager.from_queryset`, which walks the queryset's
members with `inspect`) on every access of `instance.history`, and `create_historical_record` makes that
access for each row it writes: about a quarter of the cost of saving an application with its history. The
class is the same every time, so `history_descriptors_cache` (called once, from `JipConfig.ready`) swaps
each model's descriptor for one that takes it from jip.memo, built once per process.
"""

from django.apps import apps
from simple_history.manager import HistoryDescriptor

from .memo import manager_class


class CachedHistoryDescriptor(HistoryDescriptor):
    def __get__(self, instance, owner):
        return manager_class(self.manager_class, self.queryset_class)(self.model, instance)


def history_descriptors_cache() -> int:
    """Replaces every model's history descriptor; returns how many were replaced."""
    replaced = 0
    for model in apps.get_models():
        for name, value in list(vars(model).items()):
            if type(value) is HistoryDescriptor:
                cached = CachedHistoryDescriptor(value.model, value.manager_class, value.queryset_class)
                setattr(model, name, cached)
                replaced += 1
    return replaced
