"""Crash drill: SIGKILL the importer and the app server at random moments.

    python -m benchmarks.crash_drill --rounds 30 --database sqlite
    python -m benchmarks.crash_drill --rounds 30 --database postgres

Each round starts from a copy of one prepared instance. Three kinds of round:

- ``corpus``: ``walkwell import`` of real device files (GPX, TCX and FIT from the
  shared corpus), killed at a random moment while it stores;
- ``apple``: the same with a generated Apple Health export (walks and daily steps);
- ``server``: ``walkwell serve`` (with its task worker) while a client posts walks
  (each with an idempotency key) and check-ins (each for a day of its own)
  through the JSON API with a token; the server and every process it started are
  killed together.

After each kill: SQLite's ``integrity_check`` and ``foreign_key_check`` are clean;
no partial import exists (every imported walk has its outcome row, and every
run's counters equal the rows it wrote: walks are stored one transaction each,
a file that fails half-way keeps nothing); every write the client was told was
stored is there; and a re-run completes (the import again, ending with exactly
what an unbroken import stores; the server again, where the requests cut off by
the kill are retried and stored once). Figures and the last run: docs/security.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.crash_server import ServerDrill, Tally
from benchmarks.drill_instance import Instance, kill_tree
from benchmarks.gen_apple_health import generate

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CORPUS_FILES = ("gpx/korita-zbevnica.gpx", "gpx/Mojstrovka.gpx", "tcx/test.tcx",
                "fit/garmin-fenix-5-walk.fit", "fit/activity-small-fenix2-run.fit")  # fmt: skip
APPLE_MB = 6.0
KINDS = ("corpus", "apple", "server")

TOTALS = (
    "select (select count(*) from program_walk where source = 'import'),"
    " (select count(*) from program_walkshape),"
    " (select count(*) from imports_dailysteps),"
    " (select coalesce(sum(steps), 0) from imports_dailysteps)"
)
ORPHAN_WALKS = (
    "select count(*) from program_walk w where w.source = 'import' and not exists"
    " (select 1 from imports_importeditem i where i.walk_id = w.id"
    " and i.outcome = 'imported')"
)
COUNTERS = (
    "select r.id, r.imported, r.duplicates, r.skipped, r.refused, r.step_days,"
    " (select count(*) from imports_importeditem i where i.run_id = r.id"
    "  and i.outcome = 'imported'),"
    " (select count(*) from imports_importeditem i where i.run_id = r.id"
    "  and i.outcome = 'duplicate'),"
    " (select count(*) from imports_importeditem i where i.run_id = r.id"
    "  and i.outcome = 'skipped'),"
    " (select count(*) from imports_importeditem i where i.run_id = r.id"
    "  and i.outcome = 'refused'),"
    " (select count(*) from imports_dailysteps s where s.run_id = r.id)"
    " from imports_importrun r"
)


def corpus_folder() -> Path:
    """``WALKWELL_CORPUS``, or ``../shared/corpus`` beside the repository."""
    found = os.environ.get("WALKWELL_CORPUS")
    return Path(found) if found else CORPUS


def _runs(instance: Instance) -> int:
    try:
        return int(instance.one("select count(*) from imports_importrun"))
    except Exception:  # the tables may not be there yet, or the file is busy
        return 0


def _import_until_run(
    instance: Instance, files: list[str]
) -> tuple[subprocess.Popen[bytes], float]:
    """Start the import; return it once its run is recorded, and when that was."""
    process = instance.start("import", *files)
    while _runs(instance) == 0:
        if process.poll() is not None:
            raise RuntimeError(f"the import exited ({process.returncode}) at once")
        time.sleep(0.02)
    return process, time.monotonic()


def import_problems(instance: Instance, *, steps: bool = True) -> list[str]:
    """What a partial import would leave: an unsound file, a walk without its
    outcome row, or a run whose counters disagree with its rows (its step days
    too, until a later run takes those days over)."""
    problems = []
    if (found := instance.integrity()) != "ok":
        problems.append(f"integrity_check: {found}")
    if orphans := instance.one(ORPHAN_WALKS):
        problems.append(f"{orphans} imported walks without their outcome row")
    width = 5 if steps else 4
    problems.extend(
        f"run {row[0]} counters {row[1:6]} but rows {row[6:11]}"
        for row in instance.query(COUNTERS)
        if tuple(row[1 : 1 + width]) != tuple(row[6 : 6 + width])
    )
    return problems


@dataclass
class ImportDrill:
    """Kill ``walkwell import FILES`` at random moments, each on a fresh copy."""

    base: Instance
    files: list[str]
    work: Path
    rng: random.Random
    expected: tuple[int, ...] = ()
    window: float = 0.0

    def calibrate(self) -> None:
        """An unbroken import: what it stores, and how long it works once its
        run is recorded (the kills fall in that time)."""
        instance = self.base.clone(self.work / "whole", "whole")
        try:
            process, begun = _import_until_run(instance, self.files)
            if process.wait() != 0:
                raise RuntimeError("the unbroken import failed")
            self.window = time.monotonic() - begun
            self.expected = tuple(instance.query(TOTALS)[0])
        finally:
            instance.drop()

    def round(self, label: str, tally: Tally) -> None:
        instance = self.base.clone(self.work / label, label)
        try:
            process, begun = _import_until_run(instance, self.files)
            moment = begun + self.rng.uniform(0, 0.9 * self.window)
            time.sleep(max(0.0, moment - time.monotonic()))
            alive = process.poll() is None
            kill_tree(process)
            tally.rounds += 1
            tally.kills += alive
            tally.extend(label, import_problems(instance))
            rerun = instance.run("import", *self.files, "--json", check=False)
            tally.check(label, rerun.returncode == 0, f"re-run: {rerun.stderr[-300:]}")
            after = tuple(instance.query(TOTALS)[0])
            tally.check(
                label,
                after == self.expected,
                f"re-run left {after}, unbroken {self.expected}",
            )
            tally.extend(f"{label} re-run", import_problems(instance, steps=False))
        finally:
            instance.drop()


def _kind(kind: str, base: Instance, token: str, work: Path, *, rounds: int,
          rng: random.Random, workers: int) -> Tally:  # fmt: skip
    if kind == "server":
        server = ServerDrill(base.clone(work / "server", "server"), token, workers, rng)
        try:
            for number in range(rounds):
                server.round(f"server{number + 1}")
            server.finish()
        finally:
            server.instance.drop()
        return server.tally
    if kind == "apple":
        export = work / "export.xml"
        generate(export, int(APPLE_MB * 1024 * 1024))
        files = [str(export)]
    else:
        files = [str(corpus_folder() / f) for f in CORPUS_FILES]
    importer = ImportDrill(base, files, work / kind, rng)
    importer.work.mkdir()
    importer.calibrate()
    tally = Tally()
    while tally.kills < rounds and tally.rounds < 2 * rounds:  # an import may end first
        importer.round(f"{kind}{tally.rounds + 1}", tally)
    return tally


def drill(
    rounds: int, database: str, *, seed: int = 1, workers: int = 2,
    kinds: tuple[str, ...] = KINDS, say: Callable[[str], None] = lambda _: None,
) -> dict[str, object]:  # fmt: skip
    """Run the drill; return its figures (every ``failures`` list must be empty)."""
    rng = random.Random(seed)
    began = time.monotonic()
    figures: dict[str, object] = {"database": database, "rounds": rounds, "seed": seed}
    with tempfile.TemporaryDirectory(prefix="walkwell-crash-") as folder:
        work = Path(folder)
        base = Instance.create(work / "base", database, "base")
        try:
            token = base.enrol()
            for kind in kinds:
                tally = _kind(
                    kind, base, token, work, rounds=rounds, rng=rng, workers=workers
                )
                figures[kind] = {"rounds": tally.rounds, "kills": tally.kills,
                                 "failures": tally.failures}  # fmt: skip
                say(f"{kind}: {tally.rounds} rounds, {tally.kills} kills, "
                    f"{len(tally.failures)} failures")  # fmt: skip
        finally:
            base.drop()
    figures["seconds"] = round(time.monotonic() - began, 1)
    return figures


def failures(figures: dict[str, object]) -> list[str]:
    return [f for v in figures.values() if isinstance(v, dict) for f in v["failures"]]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.crash_drill")
    parser.add_argument("--rounds", type=int, default=30, help="kills of each kind")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workers", type=int, default=2, help="walkwell serve --workers"
    )
    parser.add_argument(
        "--only", choices=KINDS, action="append", help="one kind of round"
    )
    args = parser.parse_args()
    figures = drill(
        args.rounds, args.database, seed=args.seed, workers=args.workers,
        kinds=tuple(args.only or KINDS),
        say=lambda line: print(line, file=sys.stderr, flush=True),
    )  # fmt: skip
    print(json.dumps(figures, indent=2))
    return 1 if failures(figures) else 0


if __name__ == "__main__":
    sys.exit(main())
