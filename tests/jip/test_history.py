"""Every model's history descriptor builds its manager class once, and behaves as django-simple-history's."""

import pytest
from django.apps import apps
from simple_history.manager import HistoryDescriptor, HistoryManager

from jip.history import CachedHistoryDescriptor

from ..factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_every_history_descriptor_is_the_cached_one():
    descriptors = [
        value
        for model in apps.get_models()
        for value in vars(model).values()
        if isinstance(value, HistoryDescriptor)
    ]
    assert len(descriptors) >= 10  # applications, documents, companies, positions, matching, agreements …
    assert all(type(d) is CachedHistoryDescriptor for d in descriptors)


def test_the_manager_class_is_built_once_and_works(fy2024):
    application = ApplicationFactory(family_name="Before")
    application.family_name = "After"
    application.save()
    first, again = application.history, application.history
    assert type(first) is type(again)
    assert isinstance(first, HistoryManager)
    assert first.instance == application
    names = [h.family_name for h in first.order_by("history_id")]
    assert names[0] == "Before"
    assert names[-1] == "After"
    assert type(application).history.model.objects.filter(id=application.pk).count() == len(names)
    assert first.most_recent().family_name == "After"
