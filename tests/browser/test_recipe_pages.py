"""Recipe approval in a real browser: upload, submit, a refused self-review, review, approve."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser.conftest import ADMIN, QA, Portal

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
SAM = ("sam", "sup-samira-2026")


def draft(version: int) -> str:
    text = (ROOT / "recipes" / "training.yaml").read_text(encoding="utf-8")
    text = text.replace("\nversion: 1\n", f"\nversion: {version}\n")
    text = text.replace("\nstatus: effective\n", "\nstatus: draft\n")
    return text.replace("Station training (water run)", f"Station training v{version}")


def sign(page: Page, password: str) -> None:
    page.fill("form.sign input[name=password]", password)
    page.click("form.sign button")


def test_a_recipe_is_written_reviewed_and_approved_by_three_people(
    portal: Portal, open_as: Callable[[str, str], Page], shot: Callable[[Page, str], Path]
) -> None:
    from central import recipes

    portal.user(SAM[0], "Samira Haddad", ["supervisor"], SAM[1])
    recipes.upload(portal.store, draft(1).encode(), "v1", author="ada", password=ADMIN[1])
    # Ada writes v2 in the page and submits it.
    ada = open_as(*ADMIN)
    ada.goto("/recipes")
    ada.fill("#yaml", draft(2) + "# <script>alert(1)</script>\n")
    ada.fill("form.stack input[name=password]", ADMIN[1])
    ada.click("form.stack button")
    assert ada.locator("#message").inner_text() == "training v2 uploaded as a draft"
    ada.click("a[href='/recipes/training/2']")
    assert ada.locator("#status").inner_text() == "draft"
    assert "Meaning: submitted" in ada.locator("form.sign").inner_text()
    sign(ada, ADMIN[1])
    assert ada.locator("#status").inner_text() == "submitted"
    # She may not review her own recipe: refused in one line, nothing changes.
    ada.reload()
    sign(ada, ADMIN[1])
    refused = "ada wrote training v2: another person reviews it"
    assert ada.locator("#problem").inner_text() == refused
    assert ada.locator("#status").inner_text() == "submitted"
    shot(ada, "portal-recipe-refused")
    # Sam reviews it; the diff shows what changed since v1, escaped.
    sam = open_as(*SAM)
    sam.goto("/recipes/training/2")
    assert "Meaning: reviewed" in sam.locator("form.sign").inner_text()
    sign(sam, SAM[1])
    assert sam.locator("#status").inner_text() == "reviewed"
    sam.goto("/recipes/training/diff?old=1&new=2")
    diff = sam.locator("#diff")
    assert "+version: 2" in diff.inner_text()
    assert "+# <script>alert(1)</script>" in diff.inner_text()  # shown as text, not run
    assert sam.locator("#diff ins").count() >= 2
    shot(sam, "portal-recipe-diff")
    # Quinn (QA) approves it, effective today: stations get it at their next pull.
    quinn = open_as(*QA)
    quinn.goto("/recipes/training/2")
    assert "Meaning: approved" in quinn.locator("form.sign").inner_text()
    sign(quinn, QA[1])
    assert quinn.locator("#status").inner_text() == "effective"
    rows = quinn.locator("#signatures tr").all_inner_texts()
    assert [r.split("\t")[:3] for r in rows[1:]] == [
        ["submitted", "Ada Adeyemi", "ada"],
        ["reviewed", "Samira Haddad", "sam"],
        ["approved", "Quinn Marlowe", "quinn"],
    ]
    shot(quinn, "portal-recipe-approved")
    quinn.goto("/recipes")
    statuses = quinn.locator("table.recipes tr").all_inner_texts()
    assert [r.split("\t")[0:3:2] for r in statuses[1:]] == [["v2", "effective"], ["v1", "draft"]]
    shot(quinn, "portal-recipe-list")


def test_a_wrong_password_or_a_supervisor_approving_is_refused(
    portal: Portal, open_as: Callable[[str, str], Page]
) -> None:
    from central import recipes

    portal.user(SAM[0], "Samira Haddad", ["supervisor"], SAM[1])
    portal.user("rita", "Rita Moreno", ["supervisor"], "sup-rita-2026")
    recipes.upload(portal.store, draft(1).encode(), "v1", author="ada", password=ADMIN[1])
    recipes.submit(portal.store, "training", 1, signer="ada", password=ADMIN[1])
    sam = open_as(*SAM)
    sam.goto("/recipes/training/1")
    sign(sam, "not-my-password")
    assert sam.locator("#problem").inner_text() == ("signature refused: user ID or password wrong")
    sign(sam, SAM[1])
    assert sam.locator("#status").inner_text() == "reviewed"
    rita = open_as("rita", "sup-rita-2026")
    rita.goto("/recipes/training/1")
    sign(rita, "sup-rita-2026")
    assert rita.locator("#problem").inner_text() == (
        "signature refused: Rita Moreno does not have a role that may sign this (qa)"
    )
    assert rita.locator("#status").inner_text() == "reviewed"
