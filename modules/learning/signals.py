"""Signals other feature areas can listen to.

``completion_recorded`` is sent exactly once for each new
:class:`~modules.learning.models.Completion`, by
:func:`modules.learning.completion.record_completion`, inside the transaction that records it
(after the row is flushed, before the commit). Receivers get
``sender=current_app._get_current_object()`` and ``completion=<Completion>`` (its ``source``
says whether it was done online); they may add rows to ``db.session`` and must not commit: the
completion and whatever receivers add are committed together, or not at all. Anything slow
(rendering, sending) goes to :func:`modules.core.jobs.enqueue_after_commit`, never here.

``completion_withdrawn`` is sent once when a completion is withdrawn
(:func:`modules.learning.withdrawal.withdraw_completion`), inside that transaction too, with
``completion=<Completion>`` (``withdrawn_at`` already set). Learning has already recomputed the
person's latest completion of the course by then (a direct call); nothing else listens today.

What learning itself keeps in step (each person's latest completion, for the dashboard) is a
direct call in the same function, not a receiver. Today's only receiver of
``completion_recorded`` is the certificates area's ``issue_on_completion``::

    from modules.learning.signals import completion_recorded

    @completion_recorded.connect
    def issue_on_completion(app, completion):
        db.session.add(Certificate(completion_id=completion.id, ...))
        enqueue_after_commit(render_stored_pdf, certificate.id)
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

completion_recorded = _signals.signal("sightline-completion-recorded")
completion_withdrawn = _signals.signal("sightline-completion-withdrawn")
