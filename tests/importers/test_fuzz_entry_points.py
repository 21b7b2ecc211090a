"""Fuzzing the importers' entry point for a file (``dispatch.iter_file``, which
hands zips to ``archives`` and every other stream to ``registry.read_stream``) with
damaged copies of every real device file in the corpus: cut short, bytes flipped,
spliced onto another file, wrapped in gzip. Each gets a verdict (items, a skip or a
refusal), never an exception other than ``ImportRefused``, within a bounded time.

The longer run is ``python -m benchmarks.fuzz_importers`` (docs/security.md)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.fuzzing import Mutation, import_bytes, mutate, seeds

# A bound that catches a loop or a runaway read, generous for a busy two-core
# machine: the largest FIT file of the corpus took 3 s there at a load of 15
# (docs/security.md has the long run's slowest).
PER_FILE_SECONDS = 30.0

fractions = st.floats(0.0, 1.0)
mutations = st.builds(
    Mutation,
    cut=st.one_of(st.just(1.0), fractions),
    flips=st.lists(st.tuples(fractions, st.integers(1, 255)), max_size=8).map(tuple),
    splice_at=st.one_of(st.none(), fractions),
    other_from=fractions,
    gzipped=st.booleans(),
)


def test_every_kind_of_device_file_is_a_seed(corpus: Path) -> None:
    suffixes = {p.suffix.lower() for p in seeds(corpus)}
    assert suffixes == {".gpx", ".tcx", ".fit", ".xml", ".zip"}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(which=st.integers(0, 10_000), partner=st.integers(0, 10_000), how=mutations)
def test_a_damaged_corpus_file_gets_a_verdict_never_a_crash(
    corpus: Path, which: int, partner: int, how: Mutation
) -> None:
    files = seeds(corpus)
    seed, other = files[which % len(files)], files[partner % len(files)]
    data = mutate(seed.read_bytes(), how, other.read_bytes())
    outcome = import_bytes(data, seed.name)
    assert sum(outcome.verdicts.values()) >= 1, (seed.name, how)
    assert outcome.seconds < PER_FILE_SECONDS, (seed.name, how, outcome.seconds)


def test_each_corpus_file_cut_in_half_and_spliced_gets_a_verdict(corpus: Path) -> None:
    """The same shapes on every seed once, so no file is left to chance."""
    files = seeds(corpus)
    for seed, other in zip(files, files[1:] + files[:1], strict=True):
        for how in (
            Mutation(cut=0.5),
            Mutation(splice_at=0.5, other_from=0.5),
            Mutation(cut=0.7, flips=((0.1, 0xFF), (0.6, 0x20)), gzipped=True),
        ):
            outcome = import_bytes(
                mutate(seed.read_bytes(), how, other.read_bytes()), seed.name
            )
            assert sum(outcome.verdicts.values()) >= 1, (seed.name, how)
            assert outcome.seconds < PER_FILE_SECONDS, (seed.name, how, outcome.seconds)
