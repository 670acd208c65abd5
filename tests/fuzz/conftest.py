"""The fuzzers' settings: how long they run, and the memory each input may use.

`KAZSIM_FUZZ=short` (the default, about two minutes in all, part of `.ci/run`) or
`KAZSIM_FUZZ=long` (hours: `KAZSIM_FUZZ=long python -m pytest -m fuzz`), or a number
of short runs' worth (`KAZSIM_FUZZ=5`: about ten minutes). Every input
has 2 s of processor time (targets.time_bound interrupts it: a hang is found too;
Hypothesis' wall-clock deadline is off, as it fails at random on a busy machine) and,
in a fuzz test, the process may grow by at most MEMORY_BUDGET (RLIMIT_AS: beyond it
an allocation raises MemoryError, a finding).
"""

from __future__ import annotations

import os
import resource
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from . import targets

MEMORY_BUDGET = 1024 * 1024 * 1024  # bytes of address space above the process at the start
_RUN = os.environ.get("KAZSIM_FUZZ", "short")
SCALE = {"short": 1, "long": 2000}.get(_RUN) or int(_RUN)  # or a number: times the short run

settings.register_profile(
    "kazsim-fuzz", deadline=None, print_blob=True, derandomize=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much])


def address_space() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


@pytest.fixture(autouse=True)
def bounded_memory(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fuzz tests run under an address-space limit (Linux), lifted again after each."""
    size = address_space()
    if request.node.get_closest_marker("fuzz") is None or not size:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + MEMORY_BUDGET
    resource.setrlimit(resource.RLIMIT_AS, (min(limit, hard) if hard > 0 else limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.fixture(scope="session")
def saves(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """Real saves: games of the tutorial and the main scenario played by `--auto`."""
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("fuzz-saves")
    for scenario, seed in [("tutorial", 7), ("tutorial", 8), ("kazakhstan-2022", 3)]:
        subprocess.run([sys.executable, "-m", "kazsim", "play", scenario, "--auto",
                        "--seed", str(seed), "--save-dir", str(folder)],
                       check=True, capture_output=True, cwd=targets.ROOT)
    found = sorted(folder.glob("*.json"))
    assert len(found) == 3
    return [p.read_bytes() for p in found]
