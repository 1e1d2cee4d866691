"""Benchmark of the matching engine on a cycle-sized random instance, run by hand; prints its figures.

    .venv/bin/python scripts/bench_matching.py [--applicants 20000] [--companies 100] [--choices 5]
        [--two-course-share 0.5] [--seed 1] [--repeat 5]

Not part of the test suite and needs no Django or database. The instance, fixed by the seed: `--companies`
companies, each with one unit (position and course), or two (in person and online) for about
`--two-course-share` of them; 1 or 2 places per unit; every applicant lists `--choices` distinct units at
random; every unit ranks every applicant who listed it, in a random order. Target (see
docs/matching-engine.md): deferred_acceptance under 1 s for 20,000 applicants and 100 companies.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere, without installing

from matching.engine import (
    Instance,
    blocking_pairs,
    deferred_acceptance,
    is_feasible,
    normalise,
)

COURSES = ("in_person", "online")
TARGET_SECONDS = 1.0


def instance_random(
    *, applicants: int, companies: int, choices: int, two_course_share: float, seed: int
) -> Instance:
    """A random instance shaped like a cycle's matching round; the same seed gives the same instance."""
    rng = random.Random(seed)
    capacities: dict[tuple[int, str], int] = {}
    for company in range(1, companies + 1):
        courses = COURSES if rng.random() < two_course_share else (rng.choice(COURSES),)
        for course in courses:
            capacities[(company, course)] = rng.randint(1, 2)
    units = list(capacities)
    applicant_prefs = {a: rng.sample(units, min(choices, len(units))) for a in range(1, applicants + 1)}
    unit_prefs: dict[tuple[int, str], list[int]] = {unit: [] for unit in units}
    for a, listed in applicant_prefs.items():
        for unit in listed:
            unit_prefs[unit].append(a)
    for ranked in unit_prefs.values():
        rng.shuffle(ranked)
    return Instance(applicant_prefs=applicant_prefs, unit_prefs=unit_prefs, capacities=capacities)


def timed(function: Callable[[], object], *, repeat: int) -> tuple[list[tuple[float, float]], object]:
    """Wall-clock and CPU seconds of each of `repeat` calls, and the last call's value."""
    seconds = []
    value = None
    for _ in range(repeat):
        gc.collect()  # start each run with the same heap, so one run's garbage is not charged to the next
        wall, cpu = time.perf_counter(), time.process_time()
        value = function()
        seconds.append((time.perf_counter() - wall, time.process_time() - cpu))
    return seconds, value


def spread(runs: list[tuple[float, float]]) -> str:
    # CPU time shows what the engine costs when other work on the machine stretches the wall clock.
    wall = [w for w, _ in runs]
    cpu = statistics.median(c for _, c in runs)
    return (
        f"median {statistics.median(wall):.3f} s  min {min(wall):.3f} s  max {max(wall):.3f} s"
        f"  (CPU median {cpu:.3f} s)"
    )


def lengths(lists) -> str:
    sizes = [len(x) for x in lists]
    return f"min {min(sizes)}, mean {statistics.fmean(sizes):.1f}, max {max(sizes)}" if sizes else "none"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=20_000)
    parser.add_argument("--companies", type=int, default=100)
    parser.add_argument("--choices", type=int, default=5)
    parser.add_argument("--two-course-share", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    instance = instance_random(
        applicants=args.applicants,
        companies=args.companies,
        choices=args.choices,
        two_course_share=args.two_course_share,
        seed=args.seed,
    )
    load_before = os.getloadavg()
    print(f"machine: {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs")
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    units = instance.capacities
    two_course = len(units) - len({company for company, _ in units})
    print(
        f"instance: {len(instance.applicant_prefs)} applicants, {args.companies} companies, "
        f"{len(units)} units ({two_course} companies with two courses), {sum(units.values())} places, "
        f"seed {args.seed}"
    )
    print(f"  applicant lists: {lengths(instance.applicant_prefs.values())}")
    print(f"  unit lists:      {lengths(instance.unit_prefs.values())}")

    normalise_s, _ = timed(lambda: normalise(instance), repeat=args.repeat)
    bare_s, bare = timed(lambda: deferred_acceptance(instance, explain=False), repeat=args.repeat)
    full_s, result = timed(lambda: deferred_acceptance(instance), repeat=args.repeat)
    blocking_s, pairs = timed(lambda: blocking_pairs(instance, result.assignment), repeat=args.repeat)
    problems = is_feasible(instance, result.assignment)
    load_after = os.getloadavg()

    print(f"proposals: {result.proposals}")
    print(f"matched: {len(result.assignment)} of {len(instance.applicant_prefs)} applicants")
    print(f"issues in the input: {len(result.issues)}")
    print(f"runs: {args.repeat} of each")
    print(f"  normalise alone:                          {spread(normalise_s)}")
    print(f"  deferred_acceptance without reasons:      {spread(bare_s)}")
    print(f"  deferred_acceptance with reasons:         {spread(full_s)}")
    print(f"  blocking_pairs:                           {spread(blocking_s)}")
    print(f"stable: {'yes' if not pairs else f'no ({len(pairs)} blocking pairs)'}")
    print(f"feasible: {'yes' if not problems else f'no ({len(problems)} problems)'}")
    print(f"same matching without reasons: {'yes' if bare.assignment == result.assignment else 'no'}")
    print(f"load average after: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    median = statistics.median(wall for wall, _ in full_s)
    verdict = "PASS" if median < TARGET_SECONDS else "FAIL"
    print(f"target: deferred_acceptance with reasons < {TARGET_SECONDS:.0f} s (median): {verdict}")
    return 0 if not pairs and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
