"""Hypothesis profiles: a small one for `make test`, a long one for `make fuzz`.

Pick one with HYPOTHESIS_PROFILE=fuzz (the default is `ci`). Deadlines are off because
generation time, not the macro, dominates an example and varies with machine load.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=_QUIET)
settings.register_profile(
    "fuzz", max_examples=10_000, deadline=None, suppress_health_check=_QUIET, print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
