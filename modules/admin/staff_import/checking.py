"""Reading and checking a staff file in one call: what the preview, the confirm and the command
line all start with."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from modules.admin.staff_import.planning import ImportPlan, ImportScope, plan_import
from modules.admin.staff_import.reading import NotAStaffFile, read_staff_file


@dataclass(frozen=True)
class Preview:
    """Either a plan (which may have problems) or, for a file that is no staff list at all, the
    one message that says so."""

    plan: ImportPlan | None
    file_error: str | None
    sha256: str


def preview_file(data: bytes, scope: ImportScope,
                 progress: Callable[[int], None] | None = None) -> Preview:
    digest = hashlib.sha256(data).hexdigest()
    try:
        staff = read_staff_file(data)
    except NotAStaffFile as exc:
        return Preview(None, str(exc), digest)
    return Preview(plan_import(staff, scope, progress), None, digest)
