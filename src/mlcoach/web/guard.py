"""What every request passes before a route sees it: the local app is reachable by every web page the
user visits, so each request is untrusted.

- **Host check.** Only the configured host names are served (loopback names by default). A DNS
  rebinding page reaches the app under its own name and is refused, so it can never read a response.
- **CSRF.** A random token lives in a SameSite=Strict, HttpOnly cookie; every state-changing request
  must carry the same token (the hidden `csrf_token` field every form renders, or the `X-CSRF-Token`
  header htmx and the scripts send) and, when the browser says where it comes from (`Origin`, else
  `Referer`), come from this very host. Another site can neither read the cookie nor forge the field.
- **Security headers** on every response: a CSP without inline script, no framing, no MIME sniffing,
  no referrer to other sites.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE = "mlcoach_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

# Inline style attributes are allowed (bar widths); inline script, plugins and framing are not.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}

FORGED = ("This request did not come from an mlcoach page (its security token is missing or stale), so it "
          "was refused and nothing was changed. Reload the page and try again.")
FOREIGN = "This request came from another site, so it was refused and nothing was changed."


def host_name(host_header: str) -> str:
    """`example.org:8000` -> `example.org`; `[::1]:8000` -> `::1`."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def allowed(host_header: str, hosts: Iterable[str]) -> bool:
    name = host_name(host_header)
    for pattern in hosts:
        pattern = pattern.strip().lower()
        if pattern == "*" or name == pattern or (pattern.startswith("*.") and name.endswith(pattern[1:])):
            return True
    return False


class Guard:
    """ASGI middleware: the Host check, the CSRF cookie and Origin check, and the security headers.

    The token itself is compared by `check_csrf`, a dependency of every route, because only a route
    has the parsed form.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str], secure_cookies: bool = False) -> None:
        self.app = app
        self.allowed_hosts = tuple(allowed_hosts)
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if not allowed(host, self.allowed_hosts):
            await _plain(scope, receive, send, 400, "Invalid host header: this mlcoach only answers to "
                         + ", ".join(self.allowed_hosts) + " (set MLCOACH_ALLOWED_HOSTS to add names).")
            return
        method = scope["method"].upper()
        if method not in SAFE_METHODS and not same_origin(headers, host):
            await _plain(scope, receive, send, 403, FOREIGN)
            return
        token = _cookie(headers, CSRF_COOKIE)
        fresh = not _well_formed(token)
        if fresh:
            token = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_token"] = token
        scope["state"]["csrf_cookie_ok"] = not fresh

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in out:
                        out[name] = value
                if fresh:
                    cookie = (f"{CSRF_COOKIE}={token}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict"
                              + ("; Secure" if self.secure_cookies else ""))
                    out.append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def same_origin(headers: Headers, host: str) -> bool:
    """True unless the browser says the request comes from another origin (`Origin`, else `Referer`).

    Requests that carry neither (curl, scripts) are judged by the token alone.
    """
    source = headers.get("origin") or headers.get("referer")
    if source is None:
        return True
    if source == "null":  # sandboxed frames, data: URLs, some cross-origin redirects
        return False
    netloc = urlsplit(source).netloc.lower()
    return bool(netloc) and netloc == host.strip().lower()


async def check_csrf(request: Request) -> None:
    """Every state-changing request must carry the cookie's token back, in a form field or a header."""
    if request.method.upper() in SAFE_METHODS:
        return
    expected = request.state.csrf_token if request.state.csrf_cookie_ok else None
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and _is_form(request):
        try:
            value = (await request.form()).get(CSRF_FIELD)
        except Exception:  # noqa: BLE001 - an unreadable body is a bad request; the route would say so too
            value = None
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(sent.encode(), str(expected).encode()):
        raise HTTPException(403, FORGED)


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind in ("application/x-www-form-urlencoded", "multipart/form-data")


def _cookie(headers: Headers, name: str) -> str | None:
    raw = headers.get("cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # noqa: BLE001 - a malformed Cookie header is treated as no cookie
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def _well_formed(token: str | None) -> bool:
    return bool(token) and 32 <= len(token or "") <= 64 and all(c.isalnum() or c in "-_" for c in token or "")


async def _plain(scope: Scope, receive: Receive, send: Send, status: int, text: str) -> None:
    body = text.encode()
    headers: list[Any] = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def local_path(target: str | None, default: str) -> str:
    """`target` if it is a path on this site, else `default`: redirects never leave the app.

    `//evil.example/x` and `/\\evil.example` are network paths to browsers, and control characters can
    smuggle either, so they are refused along with anything that has a scheme or a host.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ord(c) < 0x20 or c == "\x7f" for c in target):
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target
