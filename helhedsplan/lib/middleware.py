"""Danish unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, so an English-language
browser would get English dates in a Danish product. Here only the user's explicit choice
(the language cookie set by /i18n/setlang/) switches language; everyone else gets Danish.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        # override, not activate: the language must not outlive the request in its thread
        # (a management command or the next test run there would speak English).
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
