"""HTTP routes of the acceptance service; dependencies in :mod:`onematter_acceptance.entrypoints.deps`."""
