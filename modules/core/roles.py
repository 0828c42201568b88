"""The roles a user can hold. In core because every area's access rules name them
(``@allow(Role.manager)``), and ``modules.accounts`` (which stores them) re-exports them."""
from __future__ import annotations

from modules.core.enums import LabelledEnum


class Role(LabelledEnum):
    learner = "Learner"
    trainer = "Trainer"
    manager = "Manager"
    partnership_admin = "Partnership admin"
