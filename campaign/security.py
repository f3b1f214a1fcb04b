"""Security headers on every response, and cache rules.

The Content-Security-Policy is strict: no inline script or style anywhere.
Pages are public and cacheable only when a view says so with
:func:`public_cache`; everything else is ``no-store``, so a CDN can never hand
one visitor's CSRF token or personal data to another. No page may be framed
by another site except the views marked :func:`embeddable` (the embed widget).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, Response, current_app, g, request
from flask.sessions import SecureCookieSessionInterface

from .extensions import limiter

_POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "object-src 'none'",
    "base-uri 'none'",
]
CONTENT_SECURITY_POLICY = "; ".join([*_POLICY, "frame-ancestors 'none'"])


def embeddable_policy(frame_ancestors: str) -> str:
    """The same policy, but other sites (``frame_ancestors``) may show the page in a frame."""
    return "; ".join([*_POLICY, f"frame-ancestors {frame_ancestors}"])


def public_cache(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view's successful GET responses as cacheable by browsers and CDNs.

    The view must not read the session or anything personal.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g.public_cache = True
        return view(*args, **kwargs)

    return wrapper


def embeddable(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let other sites frame this view's responses, errors included (the embed widget).

    Every other page keeps ``frame-ancestors 'none'``. The mark is read from
    the matched endpoint, so even a response made before the view runs (a
    rate limit, a 404 for an unknown call) can be shown inside the frame.
    """
    view.embeddable = True  # type: ignore[attr-defined]
    return view


def _is_embeddable() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "embeddable", False))


def configured_limit(setting: str, **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """A Flask-Limiter limit per client address, read from ``setting`` at request time."""
    return limiter.limit(lambda: current_app.config[setting], **options)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with its serializer built once per set of keys.

    Flask builds the serializer on every request, and checks its JSON
    serializer by encoding an empty dict each time: a cost every request
    paid, signing and confirming included. The keys only change when the
    app is restarted with new ones, which this keys its cache on anyway.
    """

    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], Any] = {}

    def get_signing_serializer(self, app: Flask) -> Any:
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = self._serializers[keys] = super().get_signing_serializer(app)
        return serializer


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        # Headers a view set itself are kept. Looked up once: Werkzeug answers each
        # "is it there?" about a missing header by raising and catching an exception.
        present = {name.lower() for name in response.headers.keys()}  # noqa: SIM118 - Headers iterate as pairs

        def default(name: str, value: str) -> None:
            if name.lower() not in present:
                response.headers[name] = value

        if _is_embeddable():
            default(
                "Content-Security-Policy",
                embeddable_policy(current_app.config["EMBED_FRAME_ANCESTORS"]),
            )
        else:
            default("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            default("X-Frame-Options", "DENY")
        default("X-Content-Type-Options", "nosniff")
        default("Referrer-Policy", "strict-origin-when-cross-origin")
        default("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            default("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        _set_cache_headers(response)
        return response


def _set_cache_headers(response: Response) -> None:
    if request.endpoint == "static":
        return
    cacheable = (
        g.get("public_cache", False)
        and request.method in ("GET", "HEAD")
        and response.status_code in (200, 304, 404)
        and "Set-Cookie" not in response.headers
    )
    if cacheable:
        seconds = g.get("public_cache_seconds") or current_app.config["PUBLIC_CACHE_SECONDS"]
        response.headers["Cache-Control"] = (
            f"public, max-age={seconds}, stale-while-revalidate={seconds * 6}"
        )
    elif "no-store" not in response.headers.get("Cache-Control", ""):
        # A view may say more than no-store ("private, no-store"), never less.
        response.headers["Cache-Control"] = "no-store"
