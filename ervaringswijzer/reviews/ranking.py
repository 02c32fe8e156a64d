"""Ranking by a Bayesian average: a place needs several good reviews to rise. No Flask import."""
from __future__ import annotations


def bayesian_average(total: float, count: int, prior_mean: float, prior_weight: float) -> float:
    """(prior_weight × prior_mean + sum of scores) / (prior_weight + count).

    Every place starts as if it had `prior_weight` reviews at the site-wide mean, so one
    5-star review moves it only a little and many good reviews move it a lot.
    """
    if count < 0 or prior_weight < 0:
        raise ValueError("count and prior_weight must not be negative")
    if count + prior_weight == 0:
        return prior_mean
    return (prior_weight * prior_mean + total) / (prior_weight + count)


def review_score(aspects: dict[str, int | None]) -> float | None:
    """One review's overall score: the mean of its aspect ratings."""
    values = [v for v in aspects.values() if v is not None]
    return sum(values) / len(values) if values else None
