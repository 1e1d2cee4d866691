"""Remembers a signed-in user's language across devices.

LocaleMiddleware reads the language cookie first; where a signed-in user has none (a new device, a new
browser), their saved preference applies and the cookie is set from it.
"""

from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        adopt = None
        user = getattr(request, "user", None)
        if (
            # The cookie first: with it, the user (a session read and a query) is not loaded here.
            settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user is not None
            and user.is_authenticated
            and user.preferred_language in dict(settings.LANGUAGES)
            and not request.path.startswith("/i18n/")
        ):
            adopt = user.preferred_language
            translation.activate(adopt)
            request.LANGUAGE_CODE = adopt
        response = self.get_response(request)
        if adopt and settings.LANGUAGE_COOKIE_NAME not in response.cookies:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                adopt,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
                httponly=getattr(settings, "LANGUAGE_COOKIE_HTTPONLY", False),
            )
        return response
