"""A Moodle GIFT file turned into a draft quiz module of a course, listed in its course.md.

The conversion is the content engine's (``modules.content.gift``), the same as
``flask --app app content gift``. Adding it saves two drafts (the module and course.md), so
learners see nothing until a trainer publishes. Nothing here commits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from modules.authoring import drafts
from modules.authoring.workspace import COURSE_FILE, working_files
from modules.content.frontmatter import split_front_matter
from modules.content.gift import convert, parse
from modules.content.gift.files import module_file_name
from modules.content.module_file import module_id_from_filename
from modules.content.problems import Problems
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


def add_to_modules_list(text: str, module_id: str) -> str:
    """course.md's text with ``module_id`` added at the end of its ``modules:`` list, every other
    byte kept. (The smallest edit GIFT import needs; h7's course_text does this in general.)"""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    front = split_front_matter(text.replace("\r\n", "\n"), Problems(Path(COURSE_FILE), []))
    setting = front.settings.get("modules") if front else None
    if setting is None or not isinstance(setting.value, list):
        raise GiftImportError("the course's course.md has no modules: list to add the quiz to; "
                              "fix course.md first")
    if module_id in setting.value:
        raise GiftImportError(f"the course already lists a module '{module_id}'")
    key = setting.key_line - 1
    flow = re.match(r"^(modules:\s*\[)(.*)\](\s*(#.*)?)$", lines[key])
    if flow:
        inner = flow.group(2).rstrip()
        lines[key] = f"{flow.group(1)}{inner}{', ' if inner.strip() else ''}{module_id}]{flow.group(3)}"
        return newline.join(lines)
    last, indent = key, "  "
    for index in range(key + 1, front.end_line - 1):
        item = re.match(r"^(\s*)-\s", lines[index])
        if item:
            last, indent = index, item.group(1)
        elif lines[index].strip() and not lines[index].startswith((" ", "\t", "#")):
            break  # the next setting
    if last == key:
        raise GiftImportError("the course's modules: list is not written as '- id' lines; "
                              "add the quiz to course.md by hand")
    lines.insert(last + 1, f"{indent}- {module_id}")
    return newline.join(lines)


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
    new_course_text = add_to_modules_list(course_text, module_id)
    drafts.save_draft(path, expected_revision=0, actor=actor, text=conversion.markdown)
    drafts.save_draft(course_path, expected_revision=drafts.current_revision(course_path), actor=actor,
                      text=new_course_text)
    audit.record("content.gift_imported", actor=actor, path=path, questions=conversion.converted,
                 left_out=len(conversion.left_out))
    return AddedModule(path, conversion)
