"""Every validation rule, seeded in tests/content/corpus/: the exact file, line, column and message
of every problem that ``content check`` reports, and nothing else."""
from __future__ import annotations

from pathlib import Path

from modules.content.checker import check_paths
from modules.content.problems import Severity

# (file, line, column, severity, message), in the order the checker sorts them.
EXPECTED = [
    ('corpus-second/quiz/course.md', 1, 1, 'error', "course 'quiz' is also in corpus/quiz"),
    ('corpus-second/quiz/course.md', 3, 7, 'error', "course code 'QUIZ' is also used by corpus/quiz/course.md"),
    ('corpus/Bad_Folder/course.md', 1, 1, 'error', "course folder name 'Bad_Folder' must be lower case letters, digits and hyphens"),
    ('corpus/boxes-footnotes/01-box-problems.md', 6, 1, 'error', 'this is not a box, so it shows as ordinary text: write !!! note "Remember" (a title goes in double quotes)'),
    ('corpus/boxes-footnotes/01-box-problems.md', 9, 1, 'error', 'this is not a box, so it shows as ordinary text: write !!! reflect "Before you read on" (a title goes in double quotes)'),
    ('corpus/boxes-footnotes/01-box-problems.md', 12, 1, 'error', 'this is not a box, so it shows as ordinary text: write !!! note "Remember" (a title goes in double quotes)'),
    ('corpus/boxes-footnotes/01-box-problems.md', 16, 3, 'error', 'box text must be indented by four spaces under its !!! line (this line has 2): otherwise the box is empty and this text shows after it'),
    ('corpus/boxes-footnotes/01-box-problems.md', 19, 1, 'error', 'box text must be indented by four spaces under its !!! line: otherwise the box is empty and this text shows after it'),
    ('corpus/boxes-footnotes/01-box-problems.md', 22, 3, 'error', 'box text must be indented by four spaces under its !!! line (this line has 2): otherwise the box is empty and this text shows after it'),
    ('corpus/boxes-footnotes/02-footnote-problems.md', 7, 48, 'error', "footnote [^missing] has no note: add a line '[^missing]: the note' (anywhere in the file), or learners see '[^missing]' as it is"),
    ('corpus/boxes-footnotes/02-footnote-problems.md', 9, 25, 'error', 'footnotes cannot go in headings or options; put the note in the text below'),
    ('corpus/boxes-footnotes/02-footnote-problems.md', 11, 34, 'error', 'footnotes cannot go in headings or options; put the note in the text below'),
    ('corpus/boxes-footnotes/02-footnote-problems.md', 13, 19, 'error', 'footnotes cannot go in headings or options; put the note in the text below'),
    ('corpus/boxes-footnotes/02-footnote-problems.md', 18, 8, 'error', 'footnotes cannot go in headings or options; put the note in the text below'),
    ('corpus/boxes-footnotes/02-footnote-problems.md', 25, 1, 'warning', 'footnote [^spare] is never used: refer to it with [^spare] in the text, or delete the note'),
    ('corpus/boxes-footnotes/course.md', 13, 53, 'error', "footnote [^nowhere] has no note: add a line '[^nowhere]: the note' (anywhere in the file), or learners see '[^nowhere]' as it is"),
    ('corpus/case-study/01-story-problems.md', 7, 1, 'error', "'Jo' looks like a personal name: case studies must not contain real personal details. A name identifies a person directly. Instead, use a made-up name and list it under pseudonyms: in the module's settings."),
    ('corpus/case-study/01-story-problems.md', 7, 13, 'error', "'LS1 4AP' looks like a postcode: case studies must not contain real personal details. A postcode narrows a story down to a few streets. Instead, leave it out, or describe the area in general terms ('a town in the north')."),
    ('corpus/case-study/01-story-problems.md', 7, 38, 'error', "'07700 900123' looks like a phone number: case studies must not contain real personal details. A phone number leads straight to a person. Instead, leave it out; give only national helplines."),
    ('corpus/case-study/01-story-problems.md', 8, 7, 'error', "'jo.bloggs@example.org' looks like an email address: case studies must not contain real personal details. An email address leads straight to a person. Instead, leave it out."),
    ('corpus/case-study/01-story-problems.md', 8, 34, 'error', "'AB12 CDE' looks like a vehicle registration: case studies must not contain real personal details. A registration identifies a car and its owner. Instead, describe the car in general terms ('a dark hatchback')."),
    ('corpus/case-study/01-story-problems.md', 8, 55, 'error', "'943 476 5919' looks like an NHS number: case studies must not contain real personal details. An NHS number identifies one person. Instead, leave it out."),
    ('corpus/case-study/01-story-problems.md', 9, 11, 'error', "'AB 12 34 56 C' looks like a National Insurance number: case studies must not contain real personal details. A National Insurance number identifies one person. Instead, leave it out."),
    ('corpus/case-study/01-story-problems.md', 9, 46, 'error', "'12 March 2023' looks like an exact date: case studies must not contain real personal details. An exact date, with the rest of a story, can identify the child (jigsaw identification). Instead, give an age band or a relative time ('Month 3', 'two weeks later')."),
    ('corpus/case-study/01-story-problems.md', 13, 1, 'error', "decision point has no options: list them as '- [ ] ...' and '- [x] ...'"),
    ('corpus/case-study/01-story-problems.md', 17, 1, 'error', 'decision point has no correct option: mark the best option(s) with [x]'),
    ('corpus/case-study/01-story-problems.md', 17, 1, 'error', 'decision point has no practice point: end it with a paragraph that starts **Practice point:**'),
    ('corpus/case-study/01-story-problems.md', 27, 1, 'error', 'decision point needs at least two options'),
    ('corpus/case-study/01-story-problems.md', 29, 1, 'error', 'option has no consequence: indent it under the option'),
    ('corpus/case-study/01-story-problems.md', 33, 1, 'error', "decision point has no question after 'Decision:'"),
    ('corpus/case-study/01-story-problems.md', 35, 1, 'error', 'option has no text'),
    ('corpus/case-study/01-story-problems.md', 45, 1, 'error', 'reflect box has no question: indent it under the !!! reflect line'),
    ('corpus/course-settings/course.md', 3, 7, 'error', "code must be capital letters, digits and hyphens, like CSE-L1 (found 'cse l1')"),
    ('corpus/course-settings/course.md', 4, 8, 'error', "level must be 1, 2 or 3 (found '4')"),
    ('corpus/course-settings/course.md', 5, 20, 'error', "unknown agency kind 'fire_service' in audience (use social_care, police, health, education, licensing, housing, youth_voluntary, other)"),
    ('corpus/course-settings/course.md', 6, 14, 'error', "cpd_minutes must be a whole number above 0 (found '0')"),
    ('corpus/course-settings/course.md', 7, 19, 'error', "refresher_months must be a whole number from 1 to 120 (found '200')"),
    ('corpus/course-settings/course.md', 8, 12, 'error', "pass_mark must be a whole number from 1 to 100 (found '0')"),
    ('corpus/course-settings/course.md', 9, 14, 'error', "unknown certificate design 'fancy': there is no folder certificates/fancy/"),
    ('corpus/course-settings/course.md', 10, 1, 'error', "unknown course setting 'cpd_minute' (did you mean 'cpd_minutes'?)"),
    ('corpus/course-settings/course.md', 13, 5, 'error', "module 'good-lesson' is listed twice (first on line 12)"),
    ('corpus/course-settings/course.md', 14, 5, 'error', "module 'no-such-module' does not exist"),
    ('corpus/course-settings/course.md', 15, 5, 'error', "module 'good-lesso' does not exist (did you mean 'good-lesson'?)"),
    ('corpus/files/01-latin1.md', 2, 11, 'error', 'file is not UTF-8 text (byte 0xE9 here): save it as UTF-8'),
    ('corpus/files/02-no-front-matter.md', 1, 1, 'error', "file must start with settings between two '---' lines (front matter)"),
    ('corpus/files/03-unclosed.md', 1, 1, 'error', "front matter is not closed: add a line '---' after the settings"),
    ('corpus/files/04-bad-yaml.md', 2, 24, 'error', 'settings are not valid YAML: mapping values are not allowed here (if a value contains a colon, put it in double quotes)'),
    ('corpus/files/05-alias.md', 4, 10, 'error', 'YAML aliases (*name) are not allowed in settings'),
    ('corpus/files/06-list-settings.md', 2, 1, 'error', "settings must be 'name: value' lines"),
    ('corpus/files/07-duplicate-key.md', 4, 1, 'error', "setting 'title' is given twice"),
    ('corpus/files/08-bad-date.md', 4, 10, 'error', "the value of 'summary' cannot be read (month must be in 1..12)"),
    ('corpus/files/09-complex-key.md', 3, 3, 'error', 'a setting name must be a plain word'),
    ('corpus/files/10-zero-byte.md', 2, 12, 'error', 'file is not UTF-8 text (it contains a zero byte): save it as UTF-8'),
    ('corpus/files/11-control-character.md', 3, 15, 'error', 'settings contain a character that is not allowed (U+0007)'),
    ('corpus/files/course.md', 9, 10, 'error', 'modules must list at least one module'),
    ('corpus/incomplete-design/course.md', 9, 14, 'error', "certificate design 'incomplete' cannot be used: certificates/incomplete/ needs certificate.css (designs you can use: default, formal)"),
    ('corpus/lesson-body/01-body-problems.md', 6, 22, 'error', '[[local-contacts]] must be on a line of its own'),
    ('corpus/lesson-body/01-body-problems.md', 6, 55, 'error', 'unknown marker [[unknown-marker]] (the only marker is [[local-contacts]])'),
    ('corpus/lesson-body/01-body-problems.md', 8, 5, 'error', "unknown box kind 'danger' (use note, tip, important, warning, reflect, summary)"),
    ('corpus/lesson-body/01-body-problems.md', 14, 13, 'error', 'the anchor #main-content is used by the page layout; choose another'),
    ('corpus/lesson-body/01-body-problems.md', 18, 11, 'error', 'the anchor #fixed is already used on line 16'),
    ('corpus/lesson-body/01-body-problems.md', 20, 1, 'error', 'heading has no text'),
    ('corpus/lesson-body/01-body-problems.md', 24, 1, 'error', 'link has no address'),
    ('corpus/lesson-body/01-body-problems.md', 24, 20, 'error', "links may only use https://, http://, mailto: or tel: (found 'javascript:')"),
    ('corpus/lesson-body/01-body-problems.md', 24, 54, 'error', "links may only use https://, http://, mailto: or tel: (found 'data:')"),
    ('corpus/lesson-body/01-body-problems.md', 25, 1, 'error', 'broken link: there is no heading with the anchor #nowhere in this file'),
    ('corpus/lesson-body/01-body-problems.md', 25, 58, 'error', "link to 'leaflet.pdf' will not work: link to modules (.md files), to headings (#anchor) or to web addresses (https://...)"),
    ('corpus/lesson-body/01-body-problems.md', 26, 1, 'error', "broken link: there is no module at '03-missing.md'"),
    ('corpus/lesson-body/01-body-problems.md', 26, 37, 'error', "link to '/admin' will not work: link to modules (.md files), to headings (#anchor) or to web addresses (https://...)"),
    ('corpus/lesson-body/01-body-problems.md', 30, 1, 'warning', 'picture has no description: say what it shows between the [ ] (screen readers read it out)'),
    ('corpus/lesson-body/01-body-problems.md', 31, 1, 'error', 'pictures must be files in the course folder, not web addresses'),
    ('corpus/lesson-body/01-body-problems.md', 31, 39, 'error', 'pictures must be given as a path relative to this file, like images/x.svg'),
    ('corpus/lesson-body/01-body-problems.md', 32, 1, 'error', "pictures must be SVG, PNG, JPEG, GIF or WebP files: 'images/old.bmp'"),
    ('corpus/lesson-body/01-body-problems.md', 32, 31, 'error', "pictures must be inside the course folders: '../../../../outside.png'"),
    ('corpus/lesson-body/01-body-problems.md', 33, 1, 'error', "picture not found: 'images/missing.svg'"),
    ('corpus/lesson-body/course.md', 14, 5, 'error', "broken link: '02-target.md' has no heading with the anchor #nowhere"),
    ('corpus/missing-settings/course.md', 1, 1, 'error', "missing required setting 'code'"),
    ('corpus/missing-settings/course.md', 1, 1, 'error', "missing required setting 'cpd_minutes'"),
    ('corpus/missing-settings/course.md', 1, 1, 'error', "missing required setting 'level'"),
    ('corpus/missing-settings/course.md', 1, 1, 'error', "missing required setting 'pass_mark'"),
    ('corpus/missing-settings/course.md', 1, 1, 'error', "missing required setting 'refresher_months'"),
    ('corpus/missing-settings/course.md', 3, 11, 'error', "audience must be 'all' or a list of agency kinds"),
    ('corpus/missing-settings/course.md', 4, 10, 'error', "modules must be a list of module ids, one per line starting with '- '"),
    ('corpus/missing-settings/course.md', 5, 14, 'error', "unknown certificate design '../secret': use a folder name from certificates/"),
    ('corpus/module-settings/01-bad-kind.md', 3, 7, 'error', "kind must be one of lesson, case_study, quiz, handbook (found 'video')"),
    ('corpus/module-settings/02-zero-minutes.md', 2, 8, 'error', 'title must not be empty'),
    ('corpus/module-settings/02-zero-minutes.md', 4, 10, 'error', "minutes must be a whole number above 0 (found '0')"),
    ('corpus/module-settings/03-quiz-settings-on-lesson.md', 5, 1, 'error', "setting 'draw' only applies to quiz modules"),
    ('corpus/module-settings/03-quiz-settings-on-lesson.md', 6, 1, 'error', "setting 'assessment' only applies to quiz modules"),
    ('corpus/module-settings/04-no-content-note.md', 1, 1, 'error', 'a case study needs a content_note setting: what difficult material it contains'),
    ('corpus/module-settings/05-custom-id.md', 5, 5, 'error', "module id must be lower case letters, digits and hyphens (found 'Custom_ID')"),
    ('corpus/module-settings/06-Bad_File_Name.md', 1, 1, 'error', "module id 'Bad_File_Name' (from the file name) must be lower case letters, digits and hyphens: rename the file or set id:"),
    ('corpus/module-settings/07-bad-quiz.md', 5, 12, 'error', "pass_mark must be a whole number from 1 to 100 (found '101')"),
    ('corpus/module-settings/07-bad-quiz.md', 6, 13, 'error', "assessment must be true or false (found 'yes please')"),
    ('corpus/module-settings/07-bad-quiz.md', 7, 15, 'error', "draw for pool 'terms' must be a whole number above 0"),
    ('corpus/module-settings/08-duplicate.md', 5, 5, 'error', "module id 'good-lesson' is also used by corpus/course-settings/01-good-lesson.md"),
    ('corpus/module-settings/09-unused.md', 1, 1, 'warning', "module 'unused' is not used by any course"),
    ('corpus/module-settings/10-draw-words.md', 5, 7, 'error', 'draw must be a whole number above 0, or pools with numbers like {terms: 8, scenarios: 2}'),
    ('corpus/module-settings/10-draw-words.md', 6, 10, 'error', 'summary must be text'),
    ('corpus/module-settings/11-comment-in-value.md', 2, 15, 'warning', "'title' is read as 'Module': the text from ' #' on is a YAML comment and is left out (put the value in double quotes if it contains ' #', or a comment on a line of its own)"),
    ('corpus/module-settings/11-comment-in-value.md', 4, 12, 'warning', "'minutes' is read as '5': the text from ' #' on is a YAML comment and is left out (put the value in double quotes if it contains ' #', or a comment on a line of its own)"),
    ('corpus/module-settings/course.md', 5, 20, 'error', "agency kind 'police' is listed twice in audience"),
    ('corpus/no-course-file', 1, 1, 'error', 'no course.md in this folder: every folder in courses/ is a course'),
    ('corpus/no-course-file/01-orphan.md', 1, 1, 'warning', "module 'orphan' is not used by any course"),
    ('corpus/personal-data/01-lesson-details.md', 10, 41, 'warning', "'0113 496 0000' looks like a phone number: lessons must not contain real personal details. A phone number leads straight to a person. Instead, leave it out; give only national helplines."),
    ('corpus/personal-data/02-quiz-details.md', 6, 4, 'warning', "'Jade' looks like a personal name: quizzes must not contain real personal details. A name identifies a person directly. Instead, use a made-up name and list it under pseudonyms: in the module's settings."),
    ('corpus/personal-data/02-quiz-details.md', 6, 21, 'warning', "'12 March 2023' looks like an exact date: quizzes must not contain real personal details. An exact date, with the rest of a story, can identify the child (jigsaw identification). Instead, give an age band or a relative time ('Month 3', 'two weeks later')."),
    ('corpus/personal-data/03-handbook-details.md', 11, 25, 'warning', "'0808 800 5001' looks like a phone number: handbooks must not contain real personal details. A phone number leads straight to a person. Instead, leave it out; give only national helplines."),
    ('corpus/personal-data/03-handbook-details.md', 11, 40, 'warning', "'duty@example.org' looks like an email address: handbooks must not contain real personal details. An email address leads straight to a person. Instead, leave it out."),
    ('corpus/quiz/01-quiz-problems.md', 6, 5, 'error', "unknown box kind 'reflect' (use note, tip, important, warning)"),
    ('corpus/quiz/01-quiz-problems.md', 9, 1, 'error', 'question has no correct answer: mark the right option with [x]'),
    ('corpus/quiz/01-quiz-problems.md', 14, 18, 'error', "unknown question type 'essay' (use better-wording, multiple, rewrite, single, true-false)"),
    ('corpus/quiz/01-quiz-problems.md', 19, 21, 'error', "unknown question setting 'colour' (use type=, pool=, id= or revisit=)"),
    ('corpus/quiz/01-quiz-problems.md', 19, 32, 'error', "pool name 'Bad_Pool' must be lower case letters, digits and hyphens"),
    ('corpus/quiz/01-quiz-problems.md', 19, 46, 'error', "question id 'Bad_Id' must be lower case letters, digits and hyphens"),
    ('corpus/quiz/01-quiz-problems.md', 24, 1, 'error', "question has no options: list them as '- [ ] ...' and '- [x] ...'"),
    ('corpus/quiz/01-quiz-problems.md', 28, 1, 'error', 'a single-answer question must have exactly one [x] option (found 2); use type=multiple when several are right'),
    ('corpus/quiz/01-quiz-problems.md', 33, 1, 'error', "a true-false question has exactly two options: '- [ ] True' and '- [ ] False'"),
    ('corpus/quiz/01-quiz-problems.md', 38, 1, 'error', 'question needs at least 2 options'),
    ('corpus/quiz/01-quiz-problems.md', 42, 1, 'error', 'question needs at least 2 options'),
    ('corpus/quiz/01-quiz-problems.md', 48, 1, 'error', "a question's options must be one list, with no text between them"),
    ('corpus/quiz/01-quiz-problems.md', 54, 1, 'error', 'avoid, expect and correct rules only work in rewrite questions (type=rewrite)'),
    ('corpus/quiz/01-quiz-problems.md', 56, 1, 'error', "rewrite question needs the sentence to rewrite, as a quote ('> ...')"),
    ('corpus/quiz/01-quiz-problems.md', 59, 1, 'error', 'cannot read this rule: write it as - avoid "phrase": feedback'),
    ('corpus/quiz/01-quiz-problems.md', 61, 1, 'warning', 'the sentence names no child (no name or age), so answers are not checked for being about this child: give the child a name or age, or add - keep "...": feedback'),
    ('corpus/quiz/01-quiz-problems.md', 65, 1, 'error', 'rewrite questions have no options: give avoid and expect rules'),
    ('corpus/quiz/01-quiz-problems.md', 78, 19, 'error', "question id 'twin' is used twice in this quiz"),
    ('corpus/quiz/01-quiz-problems.md', 83, 1, 'error', 'question has no text'),
    ('corpus/quiz/01-quiz-problems.md', 88, 1, 'error', 'rewrite question has no expect or concept rule: add - concept adults-act: feedback or - expect "word", "word": feedback'),
    ('corpus/quiz/01-quiz-problems.md', 88, 1, 'warning', 'the sentence names no child (no name or age), so answers are not checked for being about this child: give the child a name or age, or add - keep "...": feedback'),
    ('corpus/quiz/01-quiz-problems.md', 94, 1, 'error', 'question has no correct answer: mark the right option with [x]'),
    ('corpus/quiz/01-quiz-problems.md', 99, 26, 'error', "cannot read 'oops': question settings look like {type=single pool=terms}"),
    ('corpus/quiz/01-quiz-problems.md', 106, 1, 'error', 'option has no text'),
    ('corpus/quiz/02-empty-quiz.md', 5, 1, 'error', 'quiz has no questions: each question starts with a ## heading'),
    ('corpus/quiz/03-draw-quiz.md', 6, 10, 'error', "draw asks for 3 questions from pool 'terms', but it has only 2"),
    ('corpus/quiz/03-draw-quiz.md', 7, 3, 'error', "draw names pool 'scenarios', but no question is in that pool"),
    ('corpus/quiz/04-draw-total.md', 5, 7, 'error', 'draw asks for 5 questions, but the quiz has only 1'),
    ('corpus/quiz/05-question-footnotes.md', 6, 19, 'error', 'footnotes cannot go in headings or options; put the note in the text below'),
    ('corpus/quiz/05-question-footnotes.md', 8, 15, 'error', 'footnotes cannot go in headings or options; put the note in the text below'),
    ('corpus/quiz/06-rewrite-rules.md', 11, 18, 'error', 'avoid phrase "risky choices" is not in the sentence to rewrite: use the words as the sentence has them, so that copying the sentence unchanged is marked wrong'),
    ('corpus/quiz/06-rewrite-rules.md', 12, 9, 'error', 'avoid phrase "she’s choosing" is not in the sentence to rewrite: use the words as the sentence has them, so that copying the sentence unchanged is marked wrong'),
    ('corpus/quiz/06-rewrite-rules.md', 15, 1, 'error', "a rewrite question may have only one '- correct:' line: join them into one"),
    ('corpus/quiz/06-rewrite-rules.md', 19, 3, 'warning', "'Jade' looks like a personal name: quizzes must not contain real personal details. A name identifies a person directly. Instead, use a made-up name and list it under pseudonyms: in the module's settings."),
    ('corpus/quiz/06-rewrite-rules.md', 23, 1, 'error', "'- correct:' has no text: after the colon, write what a right answer did well"),
    ('corpus/quiz/07-draw-unnamed-pools.md', 5, 1, 'warning', "draw does not name pools 'default' (2 questions without pool=), 'extra' (1 question), so their questions will never be asked: add them to draw (for example default: 1) or delete those questions"),
    ('corpus/quiz/07-draw-unnamed-pools.md', 7, 1, 'warning', 'the right option is option 1 in all 4 single-answer questions: vary where the right option comes'),
    ('corpus/raw-html/01-html-problems.md', 8, 3, 'error', "links may only use https://, http://, mailto: or tel: (found 'javascript:'), so this link is removed: write [text](https://...) instead"),
    ('corpus/raw-html/01-html-problems.md', 8, 52, 'error', "links may only use https://, http://, mailto: or tel: (found 'JaVaScript:'), so this link is removed: write [text](https://...) instead"),
    ('corpus/raw-html/01-html-problems.md', 8, 109, 'error', "links may only use https://, http://, mailto: or tel: (found 'data:'), so this link is removed: write [text](https://...) instead"),
    ('corpus/raw-html/01-html-problems.md', 10, 1, 'error', '<script> is removed from the page with everything inside it: pages never run scripts: delete it (to show code, put it in backticks: `<script>`)'),
    ('corpus/raw-html/01-html-problems.md', 12, 3, 'error', 'onclick= is removed from <span>: pages never run scripts, so delete the attribute'),
    ('corpus/raw-html/01-html-problems.md', 12, 54, 'error', '<img> is not shown: write pictures in Markdown, ![what it shows](images/x.png), so that the file is stored with the module'),
    ('corpus/raw-html/01-html-problems.md', 12, 54, 'error', 'onerror= is removed from <img>: pages never run scripts, so delete the attribute'),
    ('corpus/raw-html/01-html-problems.md', 14, 1, 'error', '<iframe> is removed from the page with everything inside it: pages cannot embed other sites: link to the page instead, like [its title](https://...)'),
    ('corpus/raw-html/01-html-problems.md', 16, 1, 'error', '<form> is removed from the page: pages cannot hold forms: ask the question as a decision point or a quiz question'),
    ('corpus/raw-html/01-html-problems.md', 16, 37, 'error', '<input> is removed from the page: pages cannot hold forms: ask the question as a decision point or a quiz question'),
    ('corpus/raw-html/01-html-problems.md', 18, 3, 'error', "the link to '02-other.md' is removed: links in HTML are not checked, so write them in Markdown, like [text](02-next-module.md) or [text](#a-heading)"),
    ('corpus/raw-html/01-html-problems.md', 25, 1, 'error', "picture cannot be used: it could run code or load other files (see the errors for corpus/raw-html/images/active.svg): 'images/active.svg'"),
    ('corpus/raw-html/course.md', 12, 20, 'error', "links may only use https://, http://, mailto: or tel: (found 'javascript:'), so this link is removed: write [text](https://...) instead"),
    ('corpus/raw-html/images/active.svg', 2, 3, 'error', 'onload="..." runs code when the picture is shown or touched: remove the attribute'),
    ('corpus/raw-html/images/active.svg', 3, 3, 'error', '<foreignObject> embeds a web page, which can run code: pictures may not do that, so remove it'),
    ('corpus/raw-html/images/active.svg', 3, 18, 'error', '<p> is an HTML element, which can run code inside a picture: remove it'),
    ('corpus/stray.md', 1, 1, 'error', 'this file is not in a course folder'),
]


def _check():
    return check_paths([Path("corpus"), Path("corpus-second")], Path("certificates"))


def test_broken_corpus_reports_exactly_the_expected_problems(in_content_tests):
    result = _check()
    actual = [(p.display_path(), p.line, p.col, p.severity.name, p.message) for p in result.problems]
    missing = [e for e in EXPECTED if e not in actual]
    unexpected = [a for a in actual if a not in EXPECTED]
    assert not missing and not unexpected, f"missing: {missing}\nunexpected: {unexpected}"
    assert actual == EXPECTED  # and in this order


def test_every_problem_prints_as_path_line_col_message(in_content_tests):
    result = _check()
    lines = [str(p) for p in result.problems]
    assert (
        "corpus/files/04-bad-yaml.md:2:24: settings are not valid YAML: mapping values are not allowed here "
        "(if a value contains a colon, put it in double quotes)"
    ) in lines
    assert (
        "corpus/module-settings/09-unused.md:1:1: warning: module 'unused' is not used by any course" in lines
    )


def test_warnings_do_not_count_as_errors(in_content_tests):
    result = _check()
    warnings = [p for p in result.problems if p.severity is Severity.warning]
    assert warnings and all(not p.is_error for p in warnings)
    assert len(result.errors) == len(EXPECTED) - len(warnings)
    assert not result.ok


def test_a_path_that_does_not_exist_and_a_non_markdown_file_are_problems(in_content_tests):
    result = check_paths([Path("no-such-folder"), Path("corpus/lesson-body/images/old.bmp")], Path("certificates"))
    assert [str(p) for p in result.problems] == [
        "corpus/lesson-body/images/old.bmp:1:1: not a Markdown (.md) file or a folder",
        "no-such-folder:1:1: no such file or folder",
    ]
