"""The kiosk loads every recipe version pulled from its server, with the server's status."""

from __future__ import annotations

from pathlib import Path

from kiosk.sync import SyncState

from .conftest import make_rig

ROOT = Path(__file__).resolve().parents[2]


def test_the_kiosk_starts_new_batches_on_the_newest_pulled_version(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (ROOT / "recipes" / "training.yaml").read_text(encoding="utf-8")
    items = [
        {
            "version": n,
            "recipe_id": "training",
            "recipe_version": v,
            "status": "effective",
            "yaml": text.replace("\nversion: 1\n", f"\nversion: {v}\n").replace(
                "\nstatus: effective\n", "\nstatus: draft\n"
            ),
        }
        for n, v in enumerate((3, 4, 10), start=1)
    ]
    SyncState(SyncState.path_for(tmp_path / "station.sqlite")).save_master("recipes", items, 3)
    token = tmp_path / "token"
    token.write_text("kst_unused", encoding="utf-8")
    r = make_rig(tmp_path, server={"url": "http://127.0.0.1:9", "token_file": str(token)})
    qtbot.addWidget(r.window)
    try:
        engine = r.kiosk.engine
        assert engine.recipes["training"].recipe.version == 10
        assert engine.recipes["training"].recipe.status == "effective"  # the server's, not "draft"
        held = sorted(v for (rid, v) in engine._versions if rid == "training")
        assert held == [1, 3, 4, 10]  # the bundled v1 and every pulled version
    finally:
        r.kiosk.close()
