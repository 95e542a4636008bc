"""Who may use the page's endpoints: a loopback host name, this run's token, and JSON bodies.

Any web page open in the same browser can send requests to a loopback port. Without asking
first it can only send "simple" ones: a form or `text/plain` body and no custom header. So every
write must carry a JSON body and the token embedded in the page (`X-Workspace-Token`); either makes
the browser ask first (a CORS preflight), which is never granted, and no other site can read the
page to learn the token. A site whose name was made to resolve to 127.0.0.1 (DNS rebinding) could
read it, so the page and its endpoints answer only when asked for by a loopback host name.
"""

from __future__ import annotations

import hmac
import ipaddress
import json

from aiohttp import web

TOKEN_HEADER = "X-Workspace-Token"  # noqa: S105 - a header name, not a secret


def _refused(error: type[web.HTTPError], message: str) -> web.HTTPError:
    return error(text=json.dumps({"error": message}), content_type="application/json")


def is_loopback_host(host: str) -> bool:
    """Say whether a Host header names this machine: `localhost` or a loopback address."""
    name = host.strip().lower()
    if name.startswith("["):
        name = name[1 : name.find("]")]
    elif name.count(":") == 1:
        name = name.partition(":")[0]
    if name in {"localhost", "localhost."}:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_host(request: web.Request) -> None:
    """Refuse a request asked for by a host name other than a loopback one."""
    if not is_loopback_host(request.headers.get("Host", "")):
        raise _refused(web.HTTPForbidden, "open the workspace at 127.0.0.1 or localhost")


def check_write(request: web.Request, token: str) -> None:
    """Refuse a write from anything but the page: no token, the wrong one, or a body not JSON."""
    check_host(request)
    sent = request.headers.get(TOKEN_HEADER, "").encode("utf-8", "surrogateescape")
    if not hmac.compare_digest(sent, token.encode()):
        raise _refused(web.HTTPForbidden, f"{TOKEN_HEADER} is missing or wrong")
    if request.content_type != "application/json":
        message = "send the body as JSON (Content-Type: application/json)"
        raise _refused(web.HTTPUnsupportedMediaType, message)
