"""The QA portal in a real browser: Debian's chromium driven by Playwright, against a real
uvicorn server on loopback over a real database (SQLite here; the pages are the same SQL on
PostgreSQL, which tests/integration covers).

- ``browser``: one headless chromium for the session (``/usr/bin/chromium``; Playwright's own
  browser download is not used). Skips, naming the reason, only where chromium or Playwright
  is not installed (``make test`` installs both as root).
- ``portal``: a server with a fresh database, an admin (``ada``) and a QA user (``quinn``).
- ``open_as``: a new browser page signed in as a user; ``portal.page()`` for one signed in as
  nobody.
- ``shot``: saves a screenshot of a page under the test's folder, and also under
  ``$PORTAL_SCREENSHOTS`` when that is set (docs/server.md's pictures are taken that way).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.integration.conftest import ServerThread, fast_argon2, server_user

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from central.store import CentralStore

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 800}
ADMIN = ("ada", "admin-ada-2026")
QA = ("quinn", "qa-quinn-2026")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session", autouse=True)
def _signing_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The server's receipt key for these tests: never beside the checkout."""
    path = tmp_path_factory.mktemp("central-key") / "central-signing.key"
    before = os.environ.get("CENTRAL_SIGNING_KEY")
    os.environ["CENTRAL_SIGNING_KEY"] = str(path)
    yield path
    if before is None:
        os.environ.pop("CENTRAL_SIGNING_KEY", None)
    else:
        os.environ["CENTRAL_SIGNING_KEY"] = before


@pytest.fixture(scope="session", autouse=True)
def _fast_server_hashes() -> Iterator[None]:
    """argon2 at the station tests' cost in the in-process server (see tests/integration)."""
    with fast_argon2():
        yield


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for one test module. Playwright's sync API keeps an asyncio event loop running
    in this thread while it is started: left open for the session, every later test that calls
    ``asyncio.run`` (the OPC UA reads, httpx's ASGI transport) failed with "cannot be called
    from a running event loop". Stopped after each module, the loop goes with it."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed (pip install playwright)")
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        yield launched
        launched.close()


@dataclass
class Portal:
    """A running server and the browser that visits it."""

    store: CentralStore
    server: ServerThread
    browser: Browser
    pages: list[Any] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    def page(self) -> Page:
        """A page in a fresh browser context (no cookies, nobody signed in)."""
        context = self.browser.new_context(viewport=VIEWPORT, base_url=self.url)
        self.pages.append(context)
        return context.new_page()

    def user(self, uid: str, name: str, roles: list[str], password: str) -> None:
        server_user(self.store, uid, name, roles, password)

    def close(self) -> None:
        for context in self.pages:
            context.close()


@pytest.fixture
def portal(browser: Browser, tmp_path: Path) -> Iterator[Portal]:
    from central.store import CentralStore

    store = CentralStore(str(tmp_path / "central.sqlite"))
    server = ServerThread(store).start()
    found = Portal(store, server, browser)
    found.user(QA[0], "Quinn Marlowe", ["qa"], QA[1])  # also makes admin ada
    yield found
    found.close()
    server.stop()
    store.close()


def fill_sign_in(page: Page, uid: str, password: str) -> None:
    """Type the user ID and password into the sign-in form on ``page`` and send it."""
    page.get_by_label("User ID").fill(uid)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def sign_in(portal: Portal, uid: str, password: str) -> Page:
    """A page signed in as ``uid``, the way a person signs in: the ``/login`` form filled and
    sent, then the start page of their role."""
    context = portal.browser.new_context(viewport=VIEWPORT, base_url=portal.url)
    portal.pages.append(context)
    page = context.new_page()
    page.goto("/login")
    fill_sign_in(page, uid, password)
    page.wait_for_url(lambda url: "/login" not in url)
    return page


@pytest.fixture
def open_as(portal: Portal) -> Callable[[str, str], Page]:
    return lambda uid, password: sign_in(portal, uid, password)


@pytest.fixture
def shot(tmp_path: Path) -> Callable[[Page, str], Path]:
    """Save a full-page screenshot as NAME.png (and into $PORTAL_SCREENSHOTS when set)."""

    def save(page: Page, name: str) -> Path:
        path = tmp_path / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        extra = os.environ.get("PORTAL_SCREENSHOTS")
        if extra:
            Path(extra).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, Path(extra) / f"{name}.png")
        return path

    return save
