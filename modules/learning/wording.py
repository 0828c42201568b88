"""Durations in plain words for learners' pages."""
from __future__ import annotations


def minutes_in_words(minutes: int) -> str:
    """``150`` -> ``2 hours 30 minutes``; ``60`` -> ``1 hour``; ``20`` -> ``20 minutes``."""
    hours, mins = divmod(int(minutes or 0), 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if mins or not hours:
        parts.append(f"{mins} minute{'s' if mins != 1 else ''}")
    return " ".join(parts)


def months_in_words(months: int) -> str:
    """``36`` -> ``3 years``, ``18`` -> ``18 months``, ``12`` -> ``year`` (as in "every year")."""
    months = int(months)
    if months % 12 == 0:
        years = months // 12
        return "year" if years == 1 else f"{years} years"
    return "month" if months == 1 else f"{months} months"
