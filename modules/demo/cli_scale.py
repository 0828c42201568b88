"""`flask demo --staff N --completions M`: the small demo's accounts, then a partnership at scale."""
from __future__ import annotations

import time

import click

from modules.demo.scale import load_scale
from modules.demo.services import load_demo


def run_scale_demo(*, staff: int, completions: int, seed: int) -> None:
    started = time.monotonic()
    # The demo accounts and the Northshire agencies first (idempotent, a few ORM rows).
    load_demo(staff=min(staff, 40), seed=seed)
    with click.progressbar(length=max(staff, 0) + completions, label="Building the partnership",
                           show_eta=True, show_percent=True) as bar:
        result = load_scale(staff=staff, completions=completions, seed=seed,
                            progress=lambda label, done: bar.update(done))
    click.echo(
        f"Partnership at scale: {result.agencies} agencies, {result.staff} staff ({result.staff_added} added), "
        f"{result.completions} completions ({result.completions_added} added, with "
        f"{result.enrolments_added} enrolments) in {time.monotonic() - started:.0f} s."
    )
