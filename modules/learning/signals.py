"""Signals other feature areas can listen to.

``completion_recorded`` is sent exactly once for each :class:`~modules.learning.models.Completion`,
by the request that created it, inside the same database transaction (after the row is flushed,
before the commit). Receivers get ``sender=current_app._get_current_object()`` and
``completion=<Completion>``; they may add rows to ``db.session`` (a certificate, an email) and
must not commit: the completion and whatever receivers add are committed together, or not at all.

``completion_withdrawn`` is sent once when a completion is withdrawn
(:func:`modules.learning.withdrawal.withdraw_completion`), inside that transaction too, with
``completion=<Completion>`` (``withdrawn_at`` already set). Reports recompute the person's latest
completion of the course from it.

Example (certificates)::

    from modules.learning.signals import completion_recorded

    @completion_recorded.connect
    def issue_certificate(app, completion):
        db.session.add(Certificate(completion_id=completion.id, ...))
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

completion_recorded = _signals.signal("sightline-completion-recorded")
completion_withdrawn = _signals.signal("sightline-completion-withdrawn")
