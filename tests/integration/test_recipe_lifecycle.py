"""Recipe lifecycle at the server: draft, submitted, reviewed, approved, effective, retired.

Real SQLite and PostgreSQL databases (``database_url``), the server's own chain, the central
command, and a real server that a station pulls from.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from central import master, recipes, schema
from central.authority import RECIPE_TYPES, SERVER_STATION, check
from central.cli import main as central_main
from central.errors import FORBIDDEN
from central.store import CentralStore
from central.verify import verify
from kiosk.auth import change_hash
from kiosk.recipebook import from_pulled
from kiosk.sync import SyncClient, SyncState, pull_master
from local_store import Event

from .conftest import Central, rewind, server_user

ROOT = Path(__file__).resolve().parents[2]

TRAINING = (ROOT / "recipes" / "training.yaml").read_text(encoding="utf-8")
PASSWORDS = {"ada": "admin-ada-2026", "sam": "sup-samira-2026", "quinn": "qa-quinn-2026"}
PASSWORDS["quentin"] = "qa-quentin-2026"


def text_of(version: int) -> bytes:
    """Training at ``version``, as an author uploads it: a draft."""
    text = TRAINING.replace("\nversion: 1\n", f"\nversion: {version}\n")
    text = text.replace("\nstatus: effective\n", "\nstatus: draft\n")
    return text.replace("Station training (water run)", f"Station training v{version}").encode()


def people(store: CentralStore) -> None:
    server_user(store, "sam", "Samira Haddad", ["supervisor"], PASSWORDS["sam"])
    server_user(store, "quinn", "Quinn Marlowe", ["qa"], PASSWORDS["quinn"])
    server_user(store, "quentin", "Quentin Blake", ["qa"], PASSWORDS["quentin"])


@pytest.fixture
def store(database_url: str) -> Iterator[CentralStore]:
    with CentralStore(database_url) as opened:
        people(opened)
        yield opened


def upload(store: CentralStore, version: int, author: str = "ada") -> recipes.RecipeVersion:
    rv, new = recipes.upload(
        store,
        text_of(version),
        f"training-v{version}.yaml",
        author=author,
        password=PASSWORDS[author],
    )
    assert new
    return rv


def through_review(store: CentralStore, version: int) -> None:
    upload(store, version)
    recipes.submit(store, "training", version, signer="ada", password=PASSWORDS["ada"])
    recipes.review(store, "training", version, signer="sam", password=PASSWORDS["sam"])


def approve(store: CentralStore, version: int, **kw: object) -> None:
    recipes.approve(store, "training", version, signer="quinn", password=PASSWORDS["quinn"], **kw)  # type: ignore[arg-type]


def own_events(store: CentralStore) -> list[tuple[str, object]]:
    """(type, version) of the recipe events in the server's own chain, in chain order."""
    e = schema.events
    with store.read() as conn:
        rows = conn.execute(
            select(e.c.type, e.c.payload)
            .where(e.c.station == SERVER_STATION, e.c.type.like("recipe.%"))
            .order_by(e.c.seq)
        ).all()
    return [(r.type, json.loads(r.payload).get("version")) for r in rows]


def feed(store: CentralStore) -> list[tuple[int, str]]:
    return [(i["recipe_version"], i["status"]) for i in master.page(store, "recipes", 0).items]


def test_three_signatures_make_a_version_effective_and_stations_get_it(
    store: CentralStore,
) -> None:
    rv = upload(store, 3)
    assert (rv.status, rv.author) == ("draft", "ada")
    assert feed(store) == []  # a draft is never served
    recipes.submit(store, "training", 3, signer="ada", password=PASSWORDS["ada"])
    recipes.review(store, "training", 3, signer="sam", password=PASSWORDS["sam"])
    assert feed(store) == []
    recipes.approve(store, "training", 3, signer="quinn", password=PASSWORDS["quinn"])
    assert recipes.get(store, "training", 3).status == "effective"  # type: ignore[union-attr]
    assert feed(store) == [(3, "effective")]
    assert own_events(store) == [
        ("recipe.uploaded", 3),
        ("recipe.submitted", 3),
        ("recipe.reviewed", 3),
        ("recipe.approved", 3),
        ("recipe.effective", 3),
    ]
    signed = [e for e in recipes.history(store, "training", 3) if "signature" in e.payload]
    assert [
        (e.actor, e.payload["signature"]["name"], e.payload["signature"]["meaning"]) for e in signed
    ] == [
        ("u:ada", "Ada Adeyemi", "submitted"),
        ("u:sam", "Samira Haddad", "reviewed"),
        ("u:quinn", "Quinn Marlowe", "approved"),
    ]
    approval = signed[-1].payload
    change = {
        k: approval[k] for k in ("recipe_id", "version", "sha256", "meaning", "effective_from")
    }
    assert approval["sha256"] == rv.sha256
    assert approval["signature"]["signed"] == change_hash("recipe.approve", change)
    assert all(check.ok for check in verify(store))  # the server's chain, re-walked


@pytest.mark.parametrize(
    ("act", "refusal"),
    [
        (lambda s: recipes.review(s, "training", 3, signer="ada", password="admin-ada-2026"),
         "ada wrote training v3: another person reviews it"),
        (lambda s: recipes.approve(s, "training", 3, signer="quinn", password="qa-quinn-2026"),
         "training v3 is submitted, not reviewed: a reviewer signs it reviewed first"),
        (lambda s: recipes.submit(s, "training", 3, signer="sam", password="sup-samira-2026"),
         "training v3 is submitted, not draft"),
        (lambda s: recipes.review(s, "training", 3, signer="sam", password="wrong-password"),
         "signature refused: user ID or password wrong"),
        (lambda s: recipes.review(s, "training", 9, signer="sam", password="sup-samira-2026"),
         "no recipe training v9 on the server"),
    ],
)  # fmt: skip
def test_refusals_change_nothing(store: CentralStore, act: object, refusal: str) -> None:
    upload(store, 3)
    recipes.submit(store, "training", 3, signer="ada", password=PASSWORDS["ada"])
    before = own_events(store)
    with pytest.raises(recipes.RecipeRefused) as refused:
        act(store)  # type: ignore[operator]
    assert refusal in str(refused.value)
    assert "\n" not in str(refused.value)
    assert own_events(store) == before
    assert recipes.get(store, "training", 3).status == "submitted"  # type: ignore[union-attr]


def test_only_qa_approves_and_not_the_reviewer(store: CentralStore) -> None:
    server_user(store, "rita", "Rita Moreno", ["qa", "supervisor"], "qa-rita-2026")
    upload(store, 3)
    recipes.submit(store, "training", 3, signer="ada", password=PASSWORDS["ada"])
    recipes.review(store, "training", 3, signer="rita", password="qa-rita-2026")
    with pytest.raises(recipes.RecipeRefused, match=r"Samira Haddad does not have a role .*\(qa\)"):
        recipes.approve(store, "training", 3, signer="sam", password=PASSWORDS["sam"])
    with pytest.raises(recipes.RecipeRefused, match="rita reviewed training v3: another person"):
        recipes.approve(store, "training", 3, signer="rita", password="qa-rita-2026")
    recipes.approve(store, "training", 3, signer="quentin", password=PASSWORDS["quentin"])
    assert recipes.get(store, "training", 3).status == "effective"  # type: ignore[union-attr]


def test_a_recipe_that_fails_validation_is_refused_with_its_line(store: CentralStore) -> None:
    broken = text_of(3).replace(b"decimals: 1", b"decimals: one")
    with pytest.raises(recipes.RecipeRefused) as refused:
        recipes.upload(store, broken, "mine.yaml", author="ada", password=PASSWORDS["ada"])
    first, *problems = str(refused.value).splitlines()
    assert first == "mine.yaml: refused: the recipe fails validation:"
    assert problems
    assert all(p.startswith("mine.yaml:") for p in problems)
    assert "decimals" in problems[0]
    assert recipes.versions(store) == []
    with pytest.raises(recipes.RecipeRefused, match="upload refused: user ID or password wrong"):
        recipes.upload(store, text_of(3), "x.yaml", author="quinn", password="bad password")
    server_user(store, "olivia", "Olivia Okafor", ["operator"], "op-olivia-2026")
    with pytest.raises(recipes.RecipeRefused, match="Olivia Okafor may not author recipes"):
        recipes.upload(store, text_of(3), "x.yaml", author="olivia", password="op-olivia-2026")
    upload(store, 3)
    with pytest.raises(recipes.RecipeRefused, match="a recipe version never changes"):
        recipes.upload(
            store, text_of(3) + b"# more\n", "x.yaml", author="ada", password="admin-ada-2026"
        )


def test_a_later_effective_date_and_the_superseded_version_retires(store: CentralStore) -> None:
    through_review(store, 3)
    approve(store, 3)
    through_review(store, 4)
    today = datetime.now(UTC).date()
    approve(store, 4, effective_from=today + timedelta(days=2))
    assert recipes.get(store, "training", 4).status == "approved"  # type: ignore[union-attr]
    assert feed(store) == [(3, "effective")]
    assert recipes.publish_due(store, today + timedelta(days=1)) == []
    assert recipes.publish_due(store, today + timedelta(days=2)) == ["training v4"]
    assert feed(store) == [(3, "effective"), (4, "effective")]
    assert [(v.version, v.status) for v in recipes.versions(store)] == [
        (3, "retired"),
        (4, "effective"),
    ]
    assert own_events(store)[-2:] == [("recipe.effective", 4), ("recipe.retired", 3)]
    through_review(store, 2)
    with pytest.raises(recipes.RecipeRefused, match="training v4 is effective: training v2 cannot"):
        approve(store, 2)
    with pytest.raises(recipes.RecipeRefused, match="is in the past"):
        approve(store, 2, effective_from=today - timedelta(days=1))


def test_diff_names_the_changed_lines(store: CentralStore) -> None:
    upload(store, 3)
    upload(store, 4)
    lines = recipes.diff(recipes.get(store, "training", 3), recipes.get(store, "training", 4))  # type: ignore[arg-type]
    assert lines[:2] == ["--- training v3", "+++ training v4"]
    assert "-version: 3" in lines
    assert "+version: 4" in lines
    assert "+title: Station training v4" in lines


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = central_main(list(argv), out=out)
    return code, out.getvalue()


def test_the_central_command(
    store: CentralStore, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = ["--db", database_url]
    for v in (3, 4):
        (tmp_path / f"t{v}.yaml").write_bytes(text_of(v))
    monkeypatch.setenv("CENTRAL_PASSWORD", PASSWORDS["ada"])
    code, out = run(
        "recipes",
        "upload",
        str(tmp_path / "t3.yaml"),
        str(tmp_path / "t4.yaml"),
        "--as",
        "ada",
        *db,
    )
    assert code == 0, out
    assert "uploaded as a draft: training v3 (draft)" in out
    code, out = run("recipes", "submit", "training", "3", "--as", "ada", *db)
    assert code == 0, out
    assert "training v3: submitted by Ada Adeyemi (ada)" in out
    code, out = run("recipes", "review", "training", "3", "--as", "ada", *db)
    assert (code, out.splitlines()[-1]) == (
        1,
        "central recipes: ada wrote training v3: another person reviews it",
    )
    monkeypatch.setenv("CENTRAL_PASSWORD", PASSWORDS["sam"])
    assert run("recipes", "review", "training", "3", "--as", "sam", *db)[0] == 0
    monkeypatch.setenv("CENTRAL_PASSWORD", PASSWORDS["quinn"])
    code, out = run("recipes", "approve", "training", "3", "--as", "quinn", *db)
    assert code == 0, out
    assert "training v3 is effective now" in out
    code, out = run("recipes", "list", *db)
    assert code == 0
    assert [line.split()[:3] for line in out.splitlines()] == [
        ["training", "v3", "effective"],
        ["training", "v4", "draft"],
    ]
    code, out = run("recipes", "diff", "training", "3", "4", *db)
    assert code == 0
    assert "+version: 4" in out.splitlines()
    assert run("recipes", "diff", "training", "3", "7", *db) == (
        1,
        "central recipes: no recipe training v7 on the server\n",
    )
    code, out = run(
        "recipes", "approve", "training", "4", "--as", "quinn", "--effective", "tomorrow", *db
    )
    assert code == 2


def test_a_station_pulls_only_effective_versions_and_starts_on_the_newest(
    central: Central, tmp_path: Path
) -> None:
    people(central.store)
    token = central.add_station("ST-PULL")
    for v in (3, 4, 10):
        through_review(central.store, v)
        approve(central.store, v)
    upload(central.store, 11)  # a draft: never served
    state = SyncState(tmp_path / "station.sync")
    with SyncClient(central.url, token) as client:
        assert pull_master(client, state, ["recipes"]) == {"recipes": 3}
    items = state.master_items("recipes")
    assert [(i["recipe_version"], i["status"]) for i in items] == [
        (3, "effective"),
        (4, "effective"),
        (10, "effective"),
    ]
    loaded = from_pulled(items)
    assert sorted(r.recipe.version for r in loaded.values()) == [3, 4, 10]
    assert all(r.recipe.status == "effective" for r in loaded.values())
    assert [v.status for v in recipes.versions(central.store)] == [
        "retired",
        "retired",
        "effective",
        "draft",
    ]
    assert own_events(central.store).count(("recipe.retired", 3)) == 1


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # one store, nothing kept
)
@given(
    raw=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=400).map(str.encode),
        st.integers(0, len(TRAINING)).map(lambda cut: TRAINING[:cut].encode()),
    )
)
def test_any_text_is_refused_in_words_or_kept_whole(tmp_path: Path, raw: bytes) -> None:
    """Whatever is pasted or uploaded: a RecipeRefused naming the upload, and nothing stored."""
    with CentralStore(str(tmp_path / "fuzz.sqlite")) as fuzz:
        with pytest.raises(recipes.RecipeRefused) as refused:
            recipes.upload(fuzz, raw, "pasted.yaml", author="ada", password="admin-ada-2026")
        first = str(refused.value).splitlines()[0]
        assert first.startswith(("pasted.yaml: refused", "upload refused"))
        assert recipes.versions(fuzz) == []


def test_recipes_uploaded_before_the_lifecycle_are_kept_by_the_migration(
    database_url: str,
) -> None:
    """A server from before c0008: its served recipes become versions with no author."""
    legacy = text_of(1).replace(b"status: draft", b"status: effective")
    with CentralStore(database_url) as old:
        rewind(old, "c0007")  # the revision before c0008
        with old.write() as conn:
            conn.execute(
                schema.recipes.insert().values(
                    recipe_id="training",
                    recipe_version=1,
                    status="effective",
                    title="Station training v1",
                    sha256=hashlib.sha256(legacy).hexdigest(),
                    yaml=legacy.decode(),
                    uploaded_at="2026-11-01T08:00:00.000Z",
                )
            )
    with CentralStore(database_url) as store:
        (rv,) = recipes.versions(store)
        assert (rv.label, rv.status, rv.author) == ("training v1", "effective", None)
        assert master.recipe_text(store, "training", 1) == (legacy.decode(), rv.sha256)
        assert feed(store) == [(1, "effective")]  # stations keep what they had


def test_a_station_may_not_push_a_recipe_event(central: Central, tmp_path: Path) -> None:
    """A forged approval from a station: 403, an incident, nothing stored."""
    from tests.integration.test_authority import _forged, _head, _incidents, _raw_push, _synced

    for kind in sorted(RECIPE_TYPES):
        event = Event.from_dict(_forged("ST", 1, "0" * 64, type=kind, payload={}))
        assert check(event) == (FORBIDDEN, f"{kind} events are written only by the central "
                                "server; a station may not push one")  # fmt: skip
    token, store = _synced(central, tmp_path, "ROGUE", 3)
    seq, prev = _head(central, "ROGUE")
    approval = {"recipe_id": "training", "version": 9, "sha256": "0" * 64, "meaning": "approved"}
    forged = _forged("ROGUE", seq + 1, prev, type="recipe.approved", payload=approval)
    response = _raw_push(central, token, [forged])
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert ("ROGUE", "forbidden") in _incidents(central)
    assert _head(central, "ROGUE") == (seq, prev)
    assert recipes.versions(central.store) == []
    store.close()


def test_a_wrong_signing_password_is_recorded_like_a_failed_login(store: CentralStore) -> None:
    from central import users

    upload(store, 3)
    recipes.submit(store, "training", 3, signer="ada", password=PASSWORDS["ada"])
    for _ in range(users.MAX_FAILED):
        with pytest.raises(recipes.RecipeRefused, match="user ID or password wrong"):
            recipes.review(store, "training", 3, signer="sam", password="not-sams-password")
    assert users.directory(store)["sam"].locked  # five wrong signatures lock the account
    with pytest.raises(recipes.RecipeRefused, match="signature refused: this account is locked"):
        recipes.review(store, "training", 3, signer="sam", password=PASSWORDS["sam"])
    assert recipes.get(store, "training", 3).status == "submitted"  # type: ignore[union-attr]
