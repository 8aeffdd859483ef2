"""QA from anywhere, in a real browser: review and disposition, a deviation opened and closed,
a release refused for each reason and then signed.

The batch is the reference OQ batch stopped at QA release (``tests/integration/unreleased.py``),
pushed by a real station client to the portal's real server. Screenshots for docs/server.md are
taken here (``PORTAL_SCREENSHOTS=docs/screenshots``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import QA, Portal
from tests.integration import unreleased

if TYPE_CHECKING:
    from playwright.sync_api import Page

BATCH_URL = f"/qa/batches/{unreleased.BATCH}"
OLIVIA = ("olivia", "qa-olivia-2026")  # QA at the server, but she performed steps of the batch


@pytest.fixture(scope="module")
def unreleased_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return unreleased.run_unreleased(tmp_path_factory.mktemp("unreleased"))


@pytest.fixture
def pushed(portal: Portal, unreleased_db: Path, tmp_path: Path) -> Portal:
    from central.stations import add_station

    token = add_station(portal.store, unreleased.STATION, [])
    unreleased.push(unreleased_db, tmp_path / "station.sqlite", portal.url, token)
    unreleased.add_recipe(portal.store.url.render_as_string(False))
    portal.user(OLIVIA[0], "Olivia Okafor", ["qa"], OLIVIA[1])
    return portal


def open_rows(page: Page) -> int:
    return page.locator("#items td.open").count()


def disposition(page: Page, row: int, decision: str, reason: str, password: str) -> None:
    """Open the row's disposition form, fill it in and sign."""
    cell = page.locator("#items td.open").nth(row)
    if cell.locator("details").get_attribute("open") is None:
        cell.locator("summary").click()
    form = cell.locator("form[action$='/disposition']")
    form.locator("select[name=decision]").select_option(decision)
    form.locator("input[name=reason]").fill(reason)
    form.locator("input[name=password]").fill(password)
    form.locator("button").click()
    page.wait_for_load_state()


def test_review_and_disposition_with_a_signature(
    pushed: Portal, open_as: Callable[[str, str], Page], shot: Callable[[Page, str], Path]
) -> None:
    page = open_as(*QA)
    page.goto("/qa")
    row = page.locator("tr", has_text=unreleased.BATCH)
    assert "7" in row.inner_text()  # open review items in the list
    assert "ago" in row.inner_text()  # how long since the EBR completed
    shot(page, "portal-batches-live")
    page.goto(BATCH_URL)
    assert "PT-0042" in page.content()  # the patient's identifiers
    assert open_rows(page) == 7
    page.locator("#items td.open").first.locator("summary").click()
    meaning = page.locator("#items td.open").first.locator(".meaning").first.inner_text()
    assert "reviewed" in meaning
    assert "Quinn Marlowe" in meaning
    shot(page, "portal-review")

    disposition(page, 0, "reviewed", "Refused scan, no impact", "not-my-password")
    assert "signature refused: user ID or password wrong" in page.locator("#problem").inner_text()
    assert open_rows(page) == 7

    disposition(page, 0, "reviewed", "Refused scan, no impact", QA[1])
    assert open_rows(page) == 6
    signed = page.locator("#items td.closed").first.inner_text()
    assert "signed reviewed by Quinn Marlowe (quinn)" in signed


def test_a_deviation_is_opened_investigated_and_closed(
    pushed: Portal, open_as: Callable[[str, str], Page], shot: Callable[[Page, str], Path]
) -> None:
    page = open_as(*QA)
    page.goto(BATCH_URL)
    cell = page.locator("#items tr", has_text="outside the action limits").locator("td.open")
    cell.locator("summary").click()
    form = cell.locator("form[action$='/deviations']")
    form.locator("select[name=classification]").select_option("major")
    form.locator("input[name=description]").fill("Post-selection viability 68.5 %")
    form.locator("button").click()
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "open"
    ident = page.locator("h1").inner_text().removeprefix("Deviation ")

    page.locator("#close input[name=password]").fill(QA[1])
    page.locator("#close button").click()
    assert "cannot be closed yet: investigation: required" in page.locator("#problem").inner_text()

    record = page.locator("#record")
    record.locator("textarea[name=investigation]").fill("Selection run and transport reviewed")
    record.locator("textarea[name=root_cause]").fill("Transport 4 h over plan")
    record.locator("textarea[name=capa]").fill("CAPA-2026-017")
    record.locator("textarea[name=impact]").fill("None: the dose was met")
    record.locator("select[name=classification]").select_option("minor")
    record.locator("button").click()
    assert "say why the deviation is reclassified" in page.locator("#problem").inner_text()
    record = page.locator("#record")
    record.locator("textarea[name=investigation]").fill("Selection run and transport reviewed")
    record.locator("textarea[name=root_cause]").fill("Transport 4 h over plan")
    record.locator("textarea[name=capa]").fill("CAPA-2026-017")
    record.locator("textarea[name=impact]").fill("None: the dose was met")
    record.locator("select[name=classification]").select_option("minor")
    record.locator("input[name=reason]").fill("Dose met, no effect on the product")
    record.locator("button").click()
    page.wait_for_load_state()
    shot(page, "portal-deviation")
    page.locator("#close input[name=password]").fill(QA[1])
    page.locator("#close button").click()
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "closed"
    assert "Closed by Quinn Marlowe (quinn)" in page.content()
    assert "reclassified major → minor by quinn" in page.content()

    page.goto("/qa/deviations")
    listed = page.locator("#deviations tr", has_text=ident).inner_text()
    assert "minor" in listed
    assert "closed" in listed
    shot(page, "portal-deviations")


def test_release_is_refused_for_each_reason_then_signed(
    pushed: Portal, open_as: Callable[[str, str], Page], shot: Callable[[Page, str], Path]
) -> None:
    olivia = open_as(*OLIVIA)
    olivia.goto(BATCH_URL)
    reasons = olivia.locator("#reasons").inner_text()
    assert "7 review item(s) not yet dispositioned by QA" in reasons
    assert "olivia performed or witnessed steps" in reasons
    olivia.locator("#release input[name=password]").fill(OLIVIA[1])
    olivia.locator("#release button").click()
    problem = olivia.locator("#problem").inner_text()
    assert problem.startswith("release refused: 7 review item(s)")
    assert "olivia performed or witnessed steps" in problem
    shot(olivia, "portal-release-refused")

    page = open_as(*QA)
    page.goto(BATCH_URL)
    # a deviation on one item; every item dispositioned
    cell = page.locator("#items tr", has_text="outside the action limits").locator("td.open")
    cell.locator("summary").click()
    form = cell.locator("form[action$='/deviations']")
    form.locator("input[name=description]").fill("Post-selection viability 68.5 %")
    form.locator("button").click()
    page.wait_for_load_state()
    ident = page.locator("h1").inner_text().removeprefix("Deviation ")
    page.goto(BATCH_URL)
    while open_rows(page):
        disposition(page, 0, "reviewed", "Reviewed: no impact on the product", QA[1])
    assert "deviation(s) still open" in page.locator("#reasons").inner_text()
    page.locator("#release input[name=password]").fill(QA[1])
    page.locator("#release button").click()
    problem = page.locator("#problem").inner_text()
    assert problem == f"release refused: 1 deviation(s) still open ({ident})"

    page.goto(f"/qa/deviations/{ident}")
    record = page.locator("#record")
    for name, text in (
        ("investigation", "Reviewed"),
        ("root_cause", "Transport"),
        ("capa", "CAPA-1"),
        ("impact", "None"),
    ):
        record.locator(f"textarea[name={name}]").fill(text)
    record.locator("button").click()
    page.wait_for_load_state()
    page.locator("#close input[name=password]").fill(QA[1])
    page.locator("#close button").click()
    page.wait_for_load_state()

    page.goto(BATCH_URL)
    assert "Nothing holds the release" in page.content()
    page.locator("#release input[name=password]").fill(QA[1])
    page.locator("#release button").click()
    page.wait_for_load_state()
    assert page.locator("#status").inner_text() == "released"
    assert "Released by Quinn Marlowe (quinn)" in page.locator("#released").inner_text()
    shot(page, "portal-released")


def test_a_release_posted_without_the_form_token_is_refused(
    pushed: Portal, open_as: Callable[[str, str], Page]
) -> None:
    from sqlalchemy import select

    from central import schema

    page = open_as(*QA)
    page.goto(BATCH_URL)
    answer = page.request.post(
        f"{BATCH_URL}/release",
        form={"password": QA[1]},
        max_redirects=0,
    )
    assert answer.status == 403
    assert "CSRF" in answer.text()
    e = schema.events
    with pushed.store.read() as conn:
        written = conn.execute(select(e.c.type).where(e.c.type.like("qa.%"))).all()
    assert written == []
