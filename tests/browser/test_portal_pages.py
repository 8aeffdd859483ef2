"""The QA portal's batch list in a real browser, as QA sees it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser.conftest import QA, Portal

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_qa_sees_the_batch_list_with_the_stations(
    portal: Portal, open_as: Callable[[str, str], Page], shot: Callable[[Page, str], Path]
) -> None:
    from central.stations import add_station

    add_station(portal.store, "FILL-1", ["fill"])
    page = open_as(*QA)
    response = page.goto("/qa")
    assert response is not None
    assert response.status == 200
    assert "FILL-1" in page.content()
    assert page.get_by_text("Quinn Marlowe").count() >= 1
    picture = shot(page, "portal-batches")
    assert picture.stat().st_size > 10_000  # a rendered page, not a blank one


def test_nobody_signed_in_sees_no_batches(portal: Portal) -> None:
    from central.stations import add_station

    add_station(portal.store, "FILL-1", ["fill"])
    page = portal.page()
    response = page.request.get("/qa", max_redirects=0)
    assert response.status == 303
    assert response.headers["location"] == "/login?next=%2Fqa"
    assert "FILL-1" not in response.text()
