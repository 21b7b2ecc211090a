"""The long fuzzing run of the importers: damaged copies of every corpus file for a
set time, each checked for a verdict, no exception but ``ImportRefused``, its time
and the process's peak memory. Crashes are saved to replay.

    python -m benchmarks.fuzz_importers --minutes 10 --seed 1 [--corpus DIR] [--out DIR]

Its last result is in docs/security.md. ``make test`` runs the short version
(tests/importers/test_fuzz_entry_points.py).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import time
import traceback
from collections import Counter
from pathlib import Path

from benchmarks.fuzzing import Mutation, import_bytes, mutate, seeds

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def random_mutation(rng: random.Random) -> Mutation:
    return Mutation(
        cut=1.0 if rng.random() < 0.3 else rng.random(),
        flips=tuple(
            (rng.random(), rng.randint(1, 255)) for _ in range(rng.randint(0, 8))
        ),
        splice_at=rng.random() if rng.random() < 0.4 else None,
        other_from=rng.random(),
        gzipped=rng.random() < 0.2,
    )


def run(corpus: Path, seconds: float, seed: int, out: Path) -> dict[str, object]:
    rng = random.Random(seed)
    files = seeds(corpus)
    contents = {f: f.read_bytes() for f in files}
    verdicts: Counter[str] = Counter()
    crashes: list[dict[str, str]] = []
    slowest = (0.0, "")
    examples = 0
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        seed_file, other = rng.choice(files), rng.choice(files)
        how = random_mutation(rng)
        data = mutate(contents[seed_file], how, contents[other])
        examples += 1
        try:
            outcome = import_bytes(data, seed_file.name)
        except Exception as error:
            out.mkdir(parents=True, exist_ok=True)
            saved = out / f"crash-{examples}-{seed_file.name}"
            saved.write_bytes(data)
            crashes.append(
                {
                    "file": str(seed_file.relative_to(corpus)),
                    "mutation": repr(how),
                    "saved": str(saved),
                    "error": "".join(traceback.format_exception_only(error)).strip(),
                }
            )
            continue
        if not outcome.verdicts:
            crashes.append(
                {"file": seed_file.name, "mutation": repr(how), "error": "no verdict"}
            )
        verdicts.update(outcome.verdicts)
        if outcome.seconds > slowest[0]:
            slowest = (outcome.seconds, f"{seed_file.name} {how!r}")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "seed": seed,
        "seconds": seconds,
        "seed_files": len(files),
        "examples": examples,
        "crashes": crashes,
        "verdicts": dict(verdicts),
        "slowest_seconds": round(slowest[0], 3),
        "slowest": slowest[1],
        "peak_rss_mib": round(peak_mib, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fuzz_importers")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=Path("fuzz-crashes"))
    args = parser.parse_args()
    result = run(args.corpus, args.minutes * 60, args.seed, args.out)
    print(json.dumps(result, indent=2))
    return 1 if result["crashes"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
