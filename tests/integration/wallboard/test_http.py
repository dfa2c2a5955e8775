"""The web server: its page and files (no outside addresses), the stream, who gets in, and
what it does with too many browsers and at shutdown."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest

from calllog.store import SqlStore, open_store
from tests.integration.wallboard.conftest import make_wall
from tests.unit.wallboard.test_hub import FakeLive
from wallboard import hub as hub_module
from wallboard.access import COOKIE
from wallboard.web import ASSET_VERSION, STATIC, WallboardServer

TOKEN = "wand-7Hq2mZ9xK4pL8rT3"


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[SqlStore]:
    store = open_store(f"sqlite:///{tmp_path / 'calls.db'}", migrate=True)
    yield store
    store.close()


@pytest.fixture
async def served(sqlite: SqlStore) -> AsyncIterator[WallboardServer]:
    server = make_wall(FakeLive(), sqlite)
    await server.start()
    yield server
    await server.stop()


async def fetch(url: str, **kwargs: object) -> tuple[int, dict[str, str], str]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(url, allow_redirects=False, **kwargs) as response,  # type: ignore[arg-type]
    ):
        return response.status, dict(response.headers), await response.text()


def test_the_page_needs_nothing_from_outside() -> None:
    files = sorted(p.name for p in STATIC.iterdir())
    assert files == ["index.html", "wallboard.css", "wallboard.js"]
    for path in STATIC.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?:|//[a-z]|@import|url\(", text, re.I), path.name


async def test_page_files_and_json_with_their_headers(served: WallboardServer) -> None:
    status, headers, page = await fetch(served.url)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '<html lang="de">' in page and "Bürgertelefon" in page
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    for name, kind in (("wallboard.css", "text/css"), ("wallboard.js", "javascript")):
        status, headers, _ = await fetch(served.url + "static/" + name)
        assert status == 200 and kind in headers["Content-Type"]
    status, _, _ = await fetch(served.url + "static/../web.py")
    assert status in (403, 404)
    status, headers, body = await fetch(served.url + "api/wallboard")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["pbx"]["ok"] is True


async def test_the_stream_sends_the_files_version_then_the_wall(served: WallboardServer) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.get(served.url + "api/stream") as response,
    ):
        assert response.headers["Content-Type"] == "text/event-stream"
        events: list[tuple[str, str]] = []
        name = ""
        while len(events) < 3:  # the version, the current state at once, the next tick
            line = (await asyncio.wait_for(response.content.readline(), 10)).decode().strip()
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                events.append((name, line[6:]))
    assert events[0] == ("version", ASSET_VERSION)
    assert [n for n, _ in events[1:]] == ["wallboard", "wallboard"]
    assert all(json.loads(data)["clock"] for _, data in events[1:])


async def test_a_browser_leaving_is_no_error(
    served: WallboardServer, caplog: pytest.LogCaptureFixture
) -> None:
    for _ in range(3):
        async with (
            aiohttp.ClientSession() as session,
            session.get(served.url + "api/stream") as response,
        ):
            await asyncio.wait_for(response.content.readline(), 10)
    while served.hub._subscribers:  # the server notices at its next message (every second)
        await asyncio.sleep(0.05)
    assert "Error handling request" not in caplog.text and "Traceback" not in caplog.text


async def test_a_loopback_server_answers_only_to_loopback_names(served: WallboardServer) -> None:
    status, _, body = await fetch(served.url + "api/wallboard",
                                  headers={"Host": f"evil.example:{served.port}"})  # fmt: skip
    assert status == 403 and "localhost" in body
    status, _, _ = await fetch(f"http://localhost:{served.port}/api/wallboard")
    assert status == 200


async def test_with_a_token_the_browser_gets_a_cookie_and_scripts_a_bearer(
    sqlite: SqlStore,
) -> None:
    server = make_wall(FakeLive(), sqlite, token=TOKEN)
    await server.start()
    try:
        for path in ("", "api/wallboard", "api/stream", "static/wallboard.js"):
            status, headers, body = await fetch(server.url + path)
            assert status == 401 and "Token" in body, path
            assert TOKEN not in body
        status, headers, _ = await fetch(f"{server.url}?token={TOKEN}&theme=dark")
        assert status == 303 and headers["Location"] == "/?theme=dark"
        cookie = headers["Set-Cookie"]
        assert cookie.startswith(f"{COOKIE}=") and TOKEN not in cookie
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        value = cookie.split(";")[0].split("=", 1)[1]
        status, _, page = await fetch(server.url, cookies={COOKIE: value})
        assert status == 200 and "Bürgertelefon" in page
        status, _, _ = await fetch(server.url + "api/wallboard",
                                   headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
        assert status == 200
        status, _, _ = await fetch(server.url + "api/wallboard",
                                   headers={"Authorization": f"Bearer {TOKEN[:-1]}"})  # fmt: skip
        assert status == 401
        status, _, _ = await fetch(f"{server.url}?token={TOKEN[:-1]}x")
        assert status == 401
    finally:
        await server.stop()


async def test_too_many_browsers_get_503_and_stopping_ends_every_stream(
    sqlite: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub_module, "MAX_SUBSCRIBERS", 1)
    server = make_wall(FakeLive(), sqlite)
    await server.start()
    async with aiohttp.ClientSession() as session:
        first = await session.get(server.url + "api/stream")
        await asyncio.wait_for(first.content.readline(), 10)
        status, _, body = await fetch(server.url + "api/stream")
        assert status == 503 and "1 browsers" in body
        await asyncio.wait_for(server.stop(), 10)
        rest = await asyncio.wait_for(first.content.read(), 10)  # ends instead of hanging
        assert isinstance(rest, bytes)
        first.release()
