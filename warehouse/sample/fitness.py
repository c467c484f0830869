"""Post types (岗位类型) and fit assessments (人岗相适) of leadership tenures.

Contract §10 computes the fit rates over 领导职务 tenures since the term start that have an
assessment.  The generator hands out exact quotas of assessed technical and complex posts
(41 of 50 and 77 of 100 fit, per unit of scale), leaves some unassessed, and gives the
tenures that must not count (before the term, other post types) a poor record, so a
warehouse that forgets a filter gets a visibly different rate.
"""

from __future__ import annotations

import random

from warehouse.sample.model import Tenure
from warehouse.sample.reference import TERM_START

TECH_ASSESSED, TECH_FIT, TECH_UNASSESSED = 50, 41, 10
COMPLEX_ASSESSED, COMPLEX_FIT, COMPLEX_UNASSESSED = 100, 77, 10
POST_TYPE = {"tech": "专业技术型", "complex": "复杂局面型", "general": "综合型"}


def assign_fitness(rng: random.Random, tenures: list[Tenure], scale: int) -> None:
    """Set ``post_type`` and ``fit`` on every leadership tenure."""
    leading = [t for t in tenures if t.category == "领导职务" and t.defect is None]
    since = [t for t in leading if t.start >= TERM_START]
    rng.shuffle(since)
    used: set[int] = set()

    def pick(hint: str, n: int) -> list[Tenure]:
        preferred = [t for t in since if t.hint == hint and id(t) not in used]
        fallback = [t for t in since if t.hint == "general" and id(t) not in used]
        chosen = (preferred + fallback)[:n]
        if len(chosen) < n:
            raise RuntimeError(f"not enough leadership tenures for {hint} posts")
        used.update(id(t) for t in chosen)
        return chosen

    plans = (
        ("tech", TECH_ASSESSED, TECH_FIT, TECH_UNASSESSED),
        ("complex", COMPLEX_ASSESSED, COMPLEX_FIT, COMPLEX_UNASSESSED),
    )
    for hint, assessed, fit, unassessed in plans:
        chosen = pick(hint, (assessed + unassessed) * scale)
        marks = ["相适"] * (fit * scale) + ["不相适"] * ((assessed - fit) * scale)
        marks += [None] * (unassessed * scale)
        rng.shuffle(marks)
        for tenure, mark in zip(chosen, marks, strict=True):
            tenure.post_type = POST_TYPE[hint]
            tenure.fit = mark
    for tenure in since:
        if id(tenure) in used:
            continue
        tenure.post_type = "综合型" if rng.random() < 0.7 else None
        tenure.fit = rng.choice(("相适", "相适", "不相适", None))
    for tenure in leading:
        if tenure.start >= TERM_START:
            continue
        tenure.post_type = POST_TYPE[tenure.hint] if rng.random() < 0.7 else None
        tenure.fit = rng.choices(("不相适", "相适", None), weights=(6, 2, 2))[0]
