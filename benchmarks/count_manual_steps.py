"""Count the manual steps of one batch of a recipe, with the MES and on paper (issue 14).

    .venv/bin/python benchmarks/count_manual_steps.py recipes/car-t-autologous.yaml \
        tests/data/recipes/car-t-autologous-v5.yaml [--json]

The batch counted is the reference OQ batch (`oq/car-t-full-batch.yaml`): a frozen shipment,
five expansion days (the target is reached on day 5, so the feed and the incubation run on
days 1-4 and the day-5 transduction efficiency once), no extra wash. Each step's `when` is
evaluated with the real expression evaluator against those values (`SCENARIO`); a repeating
stage runs `DAYS` times.

What counts as one manual step (docs/validation.md, "Manual steps per batch"):

With the MES
- value typed: an `entry` without a `source` (number, text or choice), and each batch field
  typed at the start (a date field counts as a date instead);
- date or time typed: an `entry` of type date, and a date batch field;
- calculation by hand: none (`calc` steps are computed by the engine, timers by the clock);
- signature: each witness, each supervisor sign-off (`sign:`), each `signature` step. The
  performer is known from the login, so performing a step is no signature.
Scans, weighings from a balance, captured equipment values, counter-file imports, QC results
from the LIMS and checks (one tap, no value) are not manual steps.

On paper (the same batch record, handwritten)
- value written: every value the step records (entries, weights, scan contents written out as
  lot numbers and DINs, captured and counted values read off a display, each calculation's
  result, each QC result transcribed, each check's tick), and each batch field;
- date or time written: one per step performed (the "date/time" column), one more per timer
  (start and stop), and each date batch field;
- calculation by hand: each `calc` step and each timer (elapsed time checked against its
  window by subtraction);
- signature: the performer's initials on every step, each witness and sign-off, each
  signature step, and one signature on every page, a page being one stage (one per day of a
  repeating stage), as paper batch records are usually laid out.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.expressions import ExpressionError, Value, parse
from kiosk.recipe import (
    CalcStep,
    EntryStep,
    InstructionStep,
    LabelPrintStep,
    Recipe,
    SignatureStep,
    StepBase,
    TimerStep,
    load_recipe,
)
from kiosk.units import Quantity, Unit

DAYS = 5
COUNTS = (150.0, 400.0, 900.0, 1300.0, 1800.0)  # viable cells per day, 1e6 cells (the OQ batch)
SCENARIO: dict[str, Value] = {
    "shipment": "frozen",
    "residual_beads": Quantity(40.0, Unit.parse("1")),
    "target_cells": Quantity(1500.0, Unit.parse("1e6 cells")),
}


@dataclass
class Counts:
    values: int = 0
    dates: int = 0
    calculations: int = 0
    signatures: int = 0

    @property
    def total(self) -> int:
        return self.values + self.dates + self.calculations + self.signatures


def _applies(text: str | None, names: Mapping[str, Value]) -> bool:
    if not text:
        return True
    try:
        return parse(text).evaluate_bool(names, now=datetime(2026, 11, 27, tzinfo=UTC))
    except ExpressionError:
        return True  # a value the scenario does not fix: count the step (the larger count)


def performed(recipe: Recipe) -> tuple[list[StepBase], int]:
    """The steps one batch performs (in order) and the number of paper pages."""
    done: list[StepBase] = []
    pages = 0
    for stage in recipe.stages:
        days = DAYS if stage.repeat else 1
        for day in range(1, days + 1):
            names = dict(SCENARIO)
            names[stage.counter] = float(day)
            names["viable_cells"] = Quantity(COUNTS[min(day, DAYS) - 1], Unit.parse("1e6 cells"))
            if not _applies(stage.when, names):
                continue
            pages += 1
            done += [s for s in stage.steps if _applies(s.when, names)]
    return done, pages


def _signoffs(step: StepBase) -> int:
    return int(step.witness) + int(step.sign is not None) + int(isinstance(step, SignatureStep))


def count(recipe: Recipe) -> tuple[Counts, Counts, int, int]:
    """(with the MES, on paper, steps performed, pages) for one batch."""
    steps, pages = performed(recipe)
    mes, paper = Counts(), Counts()
    for spec in recipe.context.values():
        if spec.kind == "date":
            mes.dates += 1
            paper.dates += 1
        else:
            mes.values += 1
            paper.values += 1
    for step in steps:
        mes.signatures += _signoffs(step)
        paper.signatures += 1 + _signoffs(step)  # the performer's initials, then the rest
        paper.dates += 1 + int(isinstance(step, TimerStep))
        if isinstance(step, EntryStep) and step.source is None:
            if step.type == "date":
                mes.dates += 1
            else:
                mes.values += 1
        if isinstance(step, CalcStep | TimerStep):
            paper.calculations += 1
        records = step.records_value or step.kind == "pending_result"  # checks record a tick
        if records and not isinstance(step, TimerStep | InstructionStep | LabelPrintStep):
            paper.values += 1
    paper.signatures += pages
    return mes, paper, len(steps), pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recipes", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = []
    for path in args.recipes:
        recipe = load_recipe(path).recipe
        mes, paper, steps, pages = count(recipe)
        fewer = 100.0 * (paper.total - mes.total) / paper.total
        rows.append(
            {
                "recipe": f"{recipe.id} v{recipe.version}",
                "file": str(path),
                "steps_performed": steps,
                "pages": pages,
                "mes": {**asdict(mes), "total": mes.total},
                "paper": {**asdict(paper), "total": paper.total},
                "fewer_pct": round(fewer, 1),
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        m, p = row["mes"], row["paper"]
        print(
            f"{row['recipe']} ({row['file']}): {row['steps_performed']} steps, {row['pages']} pages"
        )
        print("                 values  dates/times  calculations  signatures  total")
        for name, c in (("MES", m), ("paper", p)):
            print(
                f"  {name:13} {c['values']:7} {c['dates']:12} {c['calculations']:13} "
                f"{c['signatures']:11} {c['total']:6}"
            )
        print(f"  manual steps: {row['fewer_pct']} % fewer with the MES")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
