"""The entry point: build the whole synthetic sample, check its figures, write the folder.

One ``random.Random(seed)`` drives everything, in a fixed order, and nothing reads the clock,
so a seed and a scale always give the same bytes.  Tables go to a sink as soon as they are
rendered (the big ones as row generators), so no more than one file's rows are ever held:
scale 300 fits in a fixed memory budget.  The files are written to a staging folder and
only moved into place once the records give exactly the planted figures of
:func:`warehouse.sample.expected.sample_figures`; otherwise nothing in the output changes.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.sample.arrangements import ArrangementBuilder
from warehouse.sample.dates import BIRTH_WEIGHTS, EVENT_WEIGHTS, DateStyler
from warehouse.sample.expected import (
    CITY_DEPARTMENT_POSTS,
    CITY_DEPARTMENT_POSTS_YEAR,
    sample_figures,
)
from warehouse.sample.exports import appointment_table, class_table, participant_table, team_table
from warehouse.sample.figures import (
    appointment_figures,
    city_department_posts,
    pool_figures,
    training_figures,
)
from warehouse.sample.fitness import assign_fitness
from warehouse.sample.model import Participation, PoolRecord, Team, Tenure, TrainingClass
from warehouse.sample.people import Population
from warehouse.sample.placements import PlacementBuilder
from warehouse.sample.pool import Picker, assign_cohorts, build_current, build_leavers
from warehouse.sample.pool_export import export_pool
from warehouse.sample.pool_tables import PoolRenderer
from warehouse.sample.profiles import Offices, complete
from warehouse.sample.reference import AS_OF
from warehouse.sample.tables import Table
from warehouse.sample.teams import TeamBuilder, build_teams
from warehouse.sample.training import TrainingBuilder
from warehouse.sample.writers import write_all

OWNED = ("talent_pool", "training", "appointments", "leadership_teams")
"""Entries of the output folder the generator owns (and replaces); nothing else is touched."""

Sink = Callable[[list[Table]], object]
"""Takes the tables of one file (a workbook's sheets, or one CSV) and consumes their rows."""


def drain(tables: list[Table]) -> None:
    """A sink that renders the rows and keeps nothing (for checking the plan alone)."""
    for table in tables:
        for _ in table.rows:
            pass


@dataclass
class Sample:
    """The records behind the written tables, for the figures check."""

    pool_records: list[PoolRecord]
    classes: list[TrainingClass]
    participants: list[Participation]
    tenures: list[Tenure]
    teams: list[Team]
    stylers: dict[str, DateStyler] = field(default_factory=dict)

    def figures(self) -> dict[str, float]:
        """The §10 figures at the as-of date, computed from the records."""
        return (
            pool_figures(self.pool_records, 3)
            | training_figures(self.classes, self.participants)
            | appointment_figures(self.tenures, self.teams)
        )


def build_sample(seed: int = 2018, scale: int = 1, sink: Sink = drain) -> Sample:
    """Plan the story and render every table into ``sink``, in a fixed order.

    The sink must consume each table's rows before returning: rows of the big tables are
    drawn from the shared ``rng`` as they are taken."""
    if scale < 1:
        raise ValueError("scale must be a positive integer")
    rng = random.Random(seed)
    pop = Population(rng)
    current = build_current(rng, pop, scale)
    picker = Picker(current, rng)

    team_builder = TeamBuilder(rng, picker)
    leadership = team_builder.build()
    placements = PlacementBuilder(rng, picker, scale)
    placements.departments()
    placements.others_in_pool()
    required = [*placements.outside_pool_decades(), (1950, "former_chair"), (1960, "former_chair")]
    leavers = build_leavers(rng, pop, scale, required)
    placements.others_tenures([m for m in leavers if m.role == "placed"])
    team_builder.former_chairs([m for m in leavers if m.role == "former_chair"])
    placements.background()
    leadership = leadership + placements.tenures
    assign_cohorts(current, rng, scale)

    offices = Offices(leadership)
    complete(rng, current + leavers, offices)
    rank_of = {}
    for m in current + leavers:
        top = offices.top(m.person.pid, AS_OF)
        rank_of[m.person.pid] = top.rank if top else m.base_rank
    arrangements = ArrangementBuilder(rng, pop, scale)
    arrangements.build(current, leavers, rank_of)
    tenures = leadership + arrangements.tenures
    assign_fitness(rng, tenures, scale)

    training = TrainingBuilder(rng, pop, scale)
    training.build(current, leavers, arrangements.outsiders)

    stylers = {
        "出生年月": DateStyler(rng, BIRTH_WEIGHTS, month_field=True),
        "入库时间": DateStyler(rng, EVENT_WEIGHTS),
        "开始日期": DateStyler(rng, EVENT_WEIGHTS),
        "结束日期": DateStyler(rng, EVENT_WEIGHTS),
        "任职时间": DateStyler(rng, EVENT_WEIGHTS),
        "免职时间": DateStyler(rng, EVENT_WEIGHTS),
    }
    renderer = PoolRenderer(rng, offices, stylers["出生年月"], stylers["入库时间"])
    records = []
    for snapshot_tables, snapshot_records in export_pool(rng, pop, renderer, current + leavers, offices):
        sink(snapshot_tables)
        records += snapshot_records
    teams = build_teams()
    sink([class_table(training.classes, stylers["开始日期"], stylers["结束日期"])])
    sink([participant_table(rng, training.participants)])
    sink([appointment_table(rng, tenures, stylers["任职时间"], stylers["免职时间"])])
    sink([team_table(teams)])
    return Sample(
        pool_records=records,
        classes=training.classes,
        participants=training.participants,
        tenures=tenures,
        teams=teams,
        stylers=stylers,
    )


def check_sample(sample: Sample, scale: int) -> None:
    """Raise if a figure or the 2017 city department posts are off, or a date column misses
    one of the §8 formats."""
    expected = sample_figures(scale)
    actual = sample.figures()
    wrong = {
        fid: (actual.get(fid), want)
        for fid, want in expected.items()
        if abs(actual.get(fid, float("nan")) - want) > 1e-9
    }
    if wrong:
        raise AssertionError(f"sample figures differ from the plan: {wrong}")
    posts = city_department_posts(sample.tenures, CITY_DEPARTMENT_POSTS_YEAR)
    if posts != CITY_DEPARTMENT_POSTS:
        raise AssertionError(
            f"{posts} city department posts start in {CITY_DEPARTMENT_POSTS_YEAR}, "
            f"not the article's {CITY_DEPARTMENT_POSTS}"
        )
    missing = {name: s.missing() for name, s in sample.stylers.items() if s.missing()}
    if missing:
        raise AssertionError(f"date columns without every §8 format: {missing}")


def generate_sample(out: Path, seed: int = 2018, scale: int = 1) -> None:
    """Write a raw-export folder (contract §1) telling the article's story at ``scale``.

    Files are streamed into a staging folder inside ``out``; the generator's entries in
    ``out`` are replaced only after the figures check has passed."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".sample-in-progress-", dir=out) as staging_dir:
        staging = Path(staging_dir)
        sample = build_sample(seed, scale, sink=lambda tables: write_all(staging, tables))
        check_sample(sample, scale)
        for entry in out.iterdir():
            if entry.name.split(".")[0] in OWNED:
                if entry.is_dir():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
        for entry in sorted(staging.iterdir()):
            entry.rename(out / entry.name)
