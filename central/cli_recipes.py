"""``central recipes``: upload drafts, sign them through to effective, list and compare.

    central recipes upload FILE... --as AUTHOR
    central recipes submit|review ID VERSION --as USER
    central recipes approve ID VERSION --as QA [--effective YYYY-MM-DD]
    central recipes list [ID]
    central recipes diff ID OLD NEW

Passwords are read as the ``central users`` commands read them (``$CENTRAL_PASSWORD``, the
terminal, or a line of stdin), once per command. ``add`` is the old name of ``upload``.
"""

import argparse
from datetime import date
from typing import Any, Final, TextIO

from central import recipes
from central.store import CentralStore
from central.users import read_password

EXIT_OK, EXIT_FAIL = 0, 1

MEANING_TEXT: Final = {
    "submit": "submitted: I wrote this version and submit it for review",
    "review": "reviewed: I reviewed this version and find it correct",
    "approve": "approved: this version may be used for production from its effective date",
}


def cmd_recipes(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    command = args.recipes_cmd
    if command == "list":
        return _list(store, args.recipe_id, out)
    if command == "diff":
        return _diff(store, args, out)
    if command in ("upload", "add"):
        return _upload(store, args, out)
    return _sign(store, args, out)


def _upload(store: CentralStore, args: argparse.Namespace, out: TextIO) -> int:
    password = read_password(f"password of {args.user} (uploads as the author): ")
    bad = 0
    for name in args.files:
        try:
            rv, new = recipes.upload_file(store, name, author=args.user, password=password)
        except recipes.RecipeRefused as exc:
            bad += 1
            print(str(exc), file=out)
            continue
        verb = "uploaded as a draft:" if new else "already on the server:"
        print(f"{name}: {verb} {rv.label} ({rv.status}), sha256 {rv.sha256[:12]}", file=out)
    if not bad:
        print("next: the author signs it submitted (central recipes submit ID VERSION)", file=out)
    return EXIT_FAIL if bad else EXIT_OK


def _sign(store: CentralStore, args: argparse.Namespace, out: TextIO) -> int:
    command = args.recipes_cmd
    print(f"{args.recipe_id} v{args.version}: you sign it {MEANING_TEXT[command]}", file=out)
    password = read_password(f"password of {args.user} (signs {args.recipe_id}): ")
    how: dict[str, Any] = {"signer": args.user, "password": password}
    if command == "submit":
        event = recipes.submit(store, args.recipe_id, args.version, **how)
    elif command == "review":
        event = recipes.review(store, args.recipe_id, args.version, **how)
    else:
        event = recipes.approve(
            store, args.recipe_id, args.version, effective_from=args.effective, **how
        )
    sig = event.payload["signature"]
    print(
        f"{args.recipe_id} v{args.version}: {sig['meaning']} by {sig['name']} ({sig['user']}) "
        f"at {sig['ts']}",
        file=out,
    )
    rv = recipes.get(store, args.recipe_id, args.version)
    if rv is not None and rv.status == "effective":
        print(f"{rv.label} is effective now: stations receive it at their next pull", file=out)
    elif rv is not None and rv.status == "approved":
        print(f"{rv.label} becomes effective on {rv.effective_from}", file=out)
    return EXIT_OK


def _list(store: CentralStore, recipe_id: str | None, out: TextIO) -> int:
    for label in recipes.publish_due(store):
        print(f"{label} became effective today", file=out)
    found = recipes.versions(store, recipe_id)
    if not found:
        print("no recipes on the server (upload one with `central recipes upload FILE`)", file=out)
    for rv in found:
        when = f" from {rv.effective_from}" if rv.effective_from else ""
        print(
            f"{rv.recipe_id} v{rv.version:<4} {rv.status + when:24} by {rv.author or '—':12} "
            f"sha256 {rv.sha256[:12]}  uploaded {rv.uploaded_at}  {rv.title}",
            file=out,
        )
    return EXIT_OK


def _diff(store: CentralStore, args: argparse.Namespace, out: TextIO) -> int:
    old = recipes.get(store, args.recipe_id, args.old)
    new = recipes.get(store, args.recipe_id, args.new)
    for number, rv in ((args.old, old), (args.new, new)):
        if rv is None:
            print(f"central recipes: no recipe {args.recipe_id} v{number} on the server", file=out)
            return EXIT_FAIL
    assert old is not None
    assert new is not None
    lines = recipes.diff(old, new)
    same = f"{old.label} and {new.label} have the same text"
    print("\n".join(lines) if lines else same, file=out)
    return EXIT_OK


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def register(sub: Any, db: argparse.ArgumentParser) -> None:
    """Add ``recipes`` and its commands to the ``central`` command."""
    rc = sub.add_parser("recipes", help="master recipes: drafts, signatures, effective versions")
    rc_sub = rc.add_subparsers(dest="recipes_cmd", required=True)
    person = argparse.ArgumentParser(add_help=False, parents=[db])
    person.add_argument(
        "--as",
        dest="user",
        metavar="USER",
        required=True,
        help="who acts (password from $CENTRAL_PASSWORD, the terminal or stdin)",
    )
    up = rc_sub.add_parser(
        "upload", aliases=["add"], parents=[person], help="validate and upload drafts"
    )
    up.add_argument("files", nargs="+")
    for name, text in (
        ("submit", "the author signs a draft submitted"),
        ("review", "a reviewer (not the author) signs it reviewed"),
        ("approve", "QA signs it approved, effective from a date"),
    ):
        cmd = rc_sub.add_parser(name, parents=[person], help=text)
        cmd.add_argument("recipe_id")
        cmd.add_argument("version", type=int)
        if name == "approve":
            cmd.add_argument(
                "--effective", type=_day, metavar="YYYY-MM-DD", help="default: today (UTC)"
            )
    ls = rc_sub.add_parser("list", parents=[db], help="every version and its status")
    ls.add_argument("recipe_id", nargs="?")
    df = rc_sub.add_parser("diff", parents=[db], help="line diff of two versions' YAML")
    df.add_argument("recipe_id")
    df.add_argument("old", type=int)
    df.add_argument("new", type=int)
    rc.set_defaults(func=cmd_recipes)
