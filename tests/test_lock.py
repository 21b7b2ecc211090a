"""The dependency locks (requirements/main.txt and requirements/dev.txt, made by
``make lock``): every package pinned with its hashes, every range in pyproject.toml
honoured, versions with published advisories left out, and the suite itself running
on exactly the locked versions."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / "requirements" / "main.txt"
DEV = ROOT / "requirements" / "dev.txt"

# The first release of each line that fixed a published advisory (docs/security.md):
# pyproject.toml's floor and the lock must both be at or above it.
ADVISORY_FLOORS = {
    "django": Version("5.2.19"),
    "cryptography": Version("44.0.1"),
    "lxml": Version("6.1.3"),
}

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==(\S+)")


def pins(lock: Path) -> dict[str, tuple[Version, int]]:
    """Each locked package: its version and how many hashes it carries."""
    found: dict[str, tuple[Version, int]] = {}
    name = ""
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            name = canonicalize_name(match.group(1))
            found[name] = (Version(match.group(3)), 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = found[name]
            found[name] = (version, hashes + 1)
        elif line.strip() and not line.lstrip().startswith("#"):
            pytest.fail(f"{lock.name}: a line that is neither a pin nor a hash: {line}")
    return found


def project() -> dict[str, list[Requirement]]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = data["project"]["optional-dependencies"]
    return {
        "main": [Requirement(r) for r in data["project"]["dependencies"]],
        "redis": [Requirement(r) for r in extras["redis"]],
        "dev": [Requirement(r) for r in extras["dev"]],
    }


@pytest.mark.parametrize("lock", [MAIN, DEV], ids=["main", "dev"])
def test_every_locked_package_is_pinned_with_its_hashes(lock: Path) -> None:
    locked = pins(lock)
    assert len(locked) > 20
    unhashed = sorted(name for name, (_, hashes) in locked.items() if hashes == 0)
    assert unhashed == [], f"{lock.name}: pinned without a hash: {unhashed}"


@pytest.mark.parametrize(
    ("lock", "groups"),
    [(MAIN, ("main", "redis")), (DEV, ("main", "redis", "dev"))],
    ids=["main", "dev"],
)
def test_the_lock_holds_every_dependency_within_its_range(
    lock: Path, groups: tuple[str, ...]
) -> None:
    locked = pins(lock)
    wanted = [r for group in groups for r in project()[group]]
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in locked, (
            f"{requirement} is in pyproject.toml but not in {lock.name}; run make lock"
        )
        version, _ = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock.name} pins {name}=={version}, outside {requirement}; run make lock"
        )


def test_the_development_lock_keeps_the_applications_versions() -> None:
    main, dev = pins(MAIN), pins(DEV)
    differing = {n: (v, dev[n][0]) for n, (v, _) in main.items() if dev[n][0] != v}
    assert differing == {}


def test_floors_leave_out_versions_with_published_advisories() -> None:
    requirements = {str(canonicalize_name(r.name)): r for r in project()["main"]}
    locked = pins(MAIN)
    for name, fixed in ADVISORY_FLOORS.items():
        specifier = requirements[name].specifier
        below = Version(f"{fixed.major}.{fixed.minor}.{max(fixed.micro - 1, 0)}")
        if below != fixed:
            assert not specifier.contains(below), f"{name} {specifier} allows {below}"
        assert specifier.contains(fixed), f"{name} {specifier} refuses {fixed}"
        assert locked[name][0] >= fixed


def test_the_suite_runs_on_exactly_the_locked_versions() -> None:
    """The environment was installed from the development lock (make install-dev)."""
    drifted = {}
    for name, (version, _) in pins(DEV).items():
        try:
            installed = Version(importlib.metadata.version(name))
        except importlib.metadata.PackageNotFoundError:
            drifted[name] = "missing"
            continue
        if installed != version:
            drifted[name] = f"{installed} installed, {version} locked"
    assert drifted == {}, f"reinstall with make install-dev: {drifted}"
