"""Question types that exist only for the tests. Each folder here is a whole question type, written
as an author of a new type would write one in ``modules/content/questions/``; a test adds them with
``modules.content.questions.discover("tests.question_types")``."""
