"""Pytest configuration shared by every test module."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# CI runs a fixed, larger number of examples; local runs stay quick. Both are deterministic.
settings.register_profile(
    "ci", max_examples=300, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, derandomize=True)
# A long fuzzing run on demand: HYPOTHESIS_PROFILE=fuzz python -m pytest tests/hostile/test_fuzz.py
settings.register_profile(
    "fuzz", max_examples=3000, derandomize=False, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))
