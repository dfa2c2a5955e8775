"""The wallboard's web server (aiohttp): the page, its static files, JSON and the live stream.

Routes: `/` the page, `/static/…` its CSS and script (served by aiohttp from the package,
no CDN), `/api/wallboard` the wall's data as JSON, `/api/stream` the same as server-sent
events (aiohttp-sse: first the version of the page's files, so a page left open for months
reloads itself after an upgrade; then a new payload on every change and every second;
pings; a browser that stops reading is cut off). `WallboardServer` runs the application
inside any asyncio program (the CLI, the demo's console) without taking over its signals.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp_sse import sse_response

from wallboard.access import COOKIE, Access, Verdict
from wallboard.hub import TooManySubscribers, WallboardHub

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"


def _asset_version() -> str:
    """A digest of the page's files: a page left open reloads itself when they changed."""
    digest = hashlib.sha256()
    for path in sorted(STATIC.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


ASSET_VERSION = _asset_version()
HUB = web.AppKey("hub", WallboardHub)
ACCESS = web.AppKey("access", Access)
#: Browsers retry a lost stream after this many milliseconds (the page also watches).
RETRY_MS = 2000
#: Headers on every answer: no framing, no sniffing, nothing but our own files.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
        " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
REFUSED = "Kein Zugang: Wallboard-Token fehlt oder ist falsch (siehe SECURITY.md).\n"
WRONG_HOST = "Dieses Wallboard antwortet nur unter localhost / 127.0.0.1.\n"


@web.middleware
async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
    """Let a request through only as `wallboard.access` decides."""
    access = request.app[ACCESS]
    verdict = access.verdict(
        host=request.headers.get("Host", ""),
        authorization=request.headers.get("Authorization", ""),
        cookie=request.cookies.get(COOKIE, ""),
        query_token=request.query.get("token", ""),
    )
    if verdict is Verdict.ALLOW:
        response: web.StreamResponse = await handler(request)
        return response
    if verdict is Verdict.SET_COOKIE:
        query = {k: v for k, v in request.query.items() if k != "token"}
        location = request.rel_url.with_query(query)
        redirect = web.HTTPSeeOther(location=str(location))
        redirect.set_cookie(
            COOKIE, access.cookie_value(), max_age=400 * 24 * 3600, httponly=True,
            samesite="Strict", secure=request.secure, path="/",
        )  # fmt: skip
        raise redirect
    if verdict is Verdict.WRONG_HOST:
        return web.Response(status=403, text=WRONG_HOST)
    return web.Response(status=401, text=REFUSED, headers={"WWW-Authenticate": "Bearer"})


async def _headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


async def page(request: web.Request) -> web.FileResponse:
    """The wall's page."""
    return web.FileResponse(STATIC / "index.html")


async def figures(request: web.Request) -> web.Response:
    """The wall's data as JSON."""
    data = request.app[HUB].payload()
    return web.Response(
        text=json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json"
    )


async def stream(request: web.Request) -> web.StreamResponse:
    """The wall's data as server-sent events (`event: wallboard`), until the client leaves."""
    hub = request.app[HUB]
    try:
        queue = hub.subscribe()
    except TooManySubscribers as exc:
        raise web.HTTPServiceUnavailable(text=f"{exc}\n") from None
    try:
        async with sse_response(request, ping_interval=10) as events:
            try:
                await events.send(ASSET_VERSION, event="version")
                while events.is_connected():
                    payload = await queue.get()
                    if payload is None:  # the server is stopping
                        break
                    await events.send(payload, event="wallboard", retry=RETRY_MS)
            except ConnectionResetError:
                pass  # the browser left (closed, reloaded, lost its network)
        return events
    finally:
        hub.unsubscribe(queue)


def make_app(hub: WallboardHub, access: Access) -> web.Application:
    """The aiohttp application for one hub."""
    app = web.Application(middlewares=[guard])
    app[HUB] = hub
    app[ACCESS] = access
    app.on_response_prepare.append(_headers)
    app.router.add_get("/", page)
    app.router.add_get("/api/wallboard", figures)
    app.router.add_get("/api/stream", stream)
    app.router.add_static("/static/", STATIC, follow_symlinks=False)
    return app


class WallboardServer:
    """The hub and the web server on `host:port`, started and stopped together."""

    def __init__(self, hub: WallboardHub, host: str, port: int, access: Access) -> None:
        self.hub = hub
        self.host = host
        self.port = port
        """The port asked for; after `start` the one bound (0 picks a free one)."""
        self.runner = web.AppRunner(make_app(hub, access), access_log=None, shutdown_timeout=2)

    @property
    def url(self) -> str:
        """Where the page is."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    async def start(self) -> None:
        """Read today's figures, then listen (OSError when the address is taken)."""
        await self.hub.start()
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.host, self.port)
        try:
            await site.start()
        except OSError:
            await self.runner.cleanup()
            await self.hub.stop()
            raise
        self.port = int(self.runner.addresses[0][1])
        log.info("wallboard listening on %s", self.url)

    async def stop(self) -> None:
        """End every stream, stop listening."""
        await self.hub.stop()
        await self.runner.cleanup()
        log.info("wallboard stopped")
