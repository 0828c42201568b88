"""Signals other feature areas can listen to.

``completion_recorded`` is sent exactly once for each :class:`~modules.learning.models.Completion`,
by the request that created it, inside the same database transaction (after the row is flushed,
before the commit). Receivers get ``sender=current_app._get_current_object()`` and
``completion=<Completion>``; they may add rows to ``db.session`` (a certificate, an email) and
must not commit: the completion and whatever receivers add are committed together, or not at all.

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
