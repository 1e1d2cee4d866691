from django.utils.functional import SimpleLazyObject

from . import selectors
from .rules import is_jip_staff


def program(request):
    """What every page's header needs: the current cycle (read only if a template asks) and the role."""
    return {
        "current_cycle": SimpleLazyObject(lambda: selectors.cycle_current_for(request)),
        "user_is_jip_staff": SimpleLazyObject(lambda: is_jip_staff(request.user)),
    }
