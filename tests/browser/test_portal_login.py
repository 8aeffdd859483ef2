"""Signing in to the portal in a real browser: the form, the start page, signing out, lockout."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser.conftest import QA, Portal, fill_sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_sign_in_come_back_and_sign_out(portal: Portal, shot: Callable[[Page, str], Path]) -> None:
    page = portal.page()
    page.goto("/qa/deviations")
    assert re.search(r"/login\?next=%2Fqa%2Fdeviations$", page.url), page.url
    assert page.get_by_role("link", name="Batches").count() == 0  # no navigation signed out
    assert page.get_by_role("button", name="Log out").count() == 0
    shot(page, "portal-login")
    fill_sign_in(page, *QA)
    assert page.url.endswith("/qa/deviations")  # back where the person was going
    assert page.locator("#signed-in").inner_text().startswith("Signed in: Quinn Marlowe (quinn)")
    page.get_by_role("link", name="Batches").click()
    assert page.url.endswith("/qa")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/login\?out=1$"))
    assert page.locator("#note").inner_text() == "You are signed out."
    page.goto("/qa")
    assert "/login?next=%2Fqa" in page.url  # the old session opens nothing


def test_five_wrong_passwords_lock_the_account(
    portal: Portal, shot: Callable[[Page, str], Path]
) -> None:
    portal.user("nina", "Nina Novak", ["qa"], "qa-nina-2026")
    page = portal.page()
    page.goto("/login")
    for _ in range(4):
        fill_sign_in(page, "nina", "not-my-password")
        assert page.locator("#problem").inner_text() == (
            "Sign-in refused: user ID or password wrong."
        )
    fill_sign_in(page, "nina", "not-my-password")
    assert "the account is now locked" in page.locator("#problem").inner_text()
    fill_sign_in(page, "nina", "qa-nina-2026")  # the right password no longer opens it
    assert page.locator("#problem").inner_text() == (
        "Sign-in refused: this account is locked after failed attempts: ask an admin."
    )
    assert page.get_by_role("button", name="Log out").count() == 0
    shot(page, "portal-locked")


def test_a_page_of_another_role_says_so_in_one_line(
    portal: Portal, open_as: Callable[[str, str], Page]
) -> None:
    page = open_as(*QA)
    assert page.url.endswith("/qa")  # QA's start page
    response = page.goto("/planner")
    assert response is not None
    assert response.status == 403
    assert page.locator("#forbidden").inner_text() == (
        "Quinn Marlowe (quinn) is not a planner: this page is not for you"
    )
    assert page.url.endswith("/planner")  # no redirect loop
    assert page.get_by_role("link", name="Planner").count() == 0  # not in QA's navigation
    page.get_by_role("button", name="Log out").click()  # the header still signs out
    page.wait_for_url(re.compile(r"/login\?out=1$"))
