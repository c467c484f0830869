"""Synthetic raw exports for the cadres warehouse (see /work/shared/raw-exports.md).

``generate_sample(out, seed, scale)`` writes a folder laid out as the contract's §1, whose
key figures are those of the source article (``expected.EXPECTED_FIGURES``), byte for byte
reproducible for a given seed and scale.
"""

from warehouse.sample.generate import generate_sample

__all__ = ["generate_sample"]
