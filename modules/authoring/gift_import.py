"""A Moodle GIFT file turned into a draft quiz module of a course, listed in its course.md.

The conversion is the content engine's (``modules.content.gift``), the same as
``flask --app app content gift``. Adding it saves two drafts (the module and course.md), so
learners see nothing until a trainer publishes. Nothing here commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from modules.authoring import course_text as course_text_edits
from modules.authoring import drafts
from modules.authoring.workspace import COURSE_FILE, working_files
from modules.content.gift import convert, parse
from modules.content.gift.files import module_file_name
from modules.content.module_file import module_id_from_filename
from modules.core import audit


class GiftImportError(ValueError):
    """The module cannot be added (the message says why, in plain words)."""


@dataclass
class AddedModule:
    path: str
    conversion: convert.Conversion


def converted(text: str, *, title: str, module_id: str) -> convert.Conversion:
    return convert.convert(parse.parse(text), title=title, module_id=module_id)


def _module_ids(files: dict[str, bytes]) -> set[str]:
    return {module_id_from_filename(PurePosixPath(path)) for path in files
            if path.endswith(".md") and PurePosixPath(path).name not in (COURSE_FILE, "README.md")
            and len(PurePosixPath(path).parts) == 2}


def add_gift_module(folder: str, *, text: str, title: str, module_id: str, actor) -> AddedModule:
    """Save the converted quiz as a new draft module of ``folder`` and list it in course.md.

    :raise GiftImportError: nothing converted, the id is taken, or course.md cannot be changed.
    :raise drafts.DraftConflict: someone saved either file in between.
    """
    conversion = converted(text, title=title, module_id=module_id)
    if not conversion.converted:
        raise GiftImportError("none of the file's questions can be converted, so there is nothing to add")
    files = working_files(with_pictures=False)
    if module_id in _module_ids(files):
        raise GiftImportError(f"a module with the id '{module_id}' already exists: choose another id")
    course_path = f"{folder}/{COURSE_FILE}"
    course_text = drafts.current_text(course_path)
    if course_text is None:
        raise GiftImportError(f"there is no course folder '{folder}'")
    names = [PurePosixPath(path).name for path in files if PurePosixPath(path).parent.as_posix() == folder]
    path = f"{folder}/{module_file_name(module_id, names)}"
    try:
        new_course_text = course_text_edits.add_module(course_text, module_id)
    except course_text_edits.CourseTextError as exc:
        raise GiftImportError(str(exc)) from None
    drafts.save_draft(path, expected_revision=0, actor=actor, text=conversion.markdown)
    drafts.save_draft(course_path, expected_revision=drafts.current_revision(course_path), actor=actor,
                      text=new_course_text)
    audit.record("content.gift_imported", actor=actor, path=path, questions=conversion.converted,
                 left_out=len(conversion.left_out))
    return AddedModule(path, conversion)
