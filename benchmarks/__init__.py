"""Reproducible benchmarks. ``make bench`` runs every ``bench_*`` module here."""
