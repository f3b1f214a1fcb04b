"""Security headers on every response, and cache rules.

The Content-Security-Policy is strict: no inline script or style anywhere.
Pages are public and cacheable only when a view says so with
:func:`public_cache`; everything else is ``no-store``, so a CDN can never hand
one visitor's CSRF token or personal data to another.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, Response, current_app, g, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


def public_cache(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view's successful GET responses as cacheable by browsers and CDNs.

    The view must not read the session or anything personal.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g.public_cache = True
        return view(*args, **kwargs)

    return wrapper


def configured_limit(setting: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """A Flask-Limiter limit per client address, read from ``setting`` at request time."""
    from .extensions import limiter

    return limiter.limit(lambda: current_app.config[setting], **options)


def init_app(app: Flask) -> None:
    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        _set_cache_headers(response)
        return response


def _set_cache_headers(response: Response) -> None:
    if request.endpoint == "static":
        return
    cacheable = (
        g.get("public_cache", False)
        and request.method in ("GET", "HEAD")
        and response.status_code in (200, 404)
        and "Set-Cookie" not in response.headers
    )
    if cacheable:
        seconds = current_app.config["PUBLIC_CACHE_SECONDS"]
        response.headers["Cache-Control"] = (
            f"public, max-age={seconds}, stale-while-revalidate={seconds * 6}"
        )
    else:
        response.headers["Cache-Control"] = "no-store"
