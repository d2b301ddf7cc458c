"""Hypothesis profiles for the property tests: `ci` (fixed seed, fast) and `long` (>= 100,000 inputs).

Select one with HYPOTHESIS_PROFILE=long; `ci` is the default. The counts actually run are recorded
in docs/robustness.md.
"""
from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

# Examples per property test (5 hypothesis tests today): `long` runs 5 x 25,000 = 125,000 inputs.
CI_EXAMPLES = 200
LONG_EXAMPLES = 25_000

_COMMON = dict(deadline=timedelta(seconds=5), print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                      HealthCheck.data_too_large])
settings.register_profile("ci", derandomize=True, max_examples=CI_EXAMPLES, database=None, **_COMMON)
settings.register_profile("long", max_examples=LONG_EXAMPLES, **_COMMON)
settings.register_profile("medium", max_examples=2_000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
