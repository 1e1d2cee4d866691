"""What a request says about who sent it."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The signer's address: REMOTE_ADDR, or behind N trusted proxies the Nth address from the right of
    X-Forwarded-For (JIP_TRUSTED_PROXY_COUNT; a client can forge the rest of that header)."""
    proxies = settings.JIP_TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
