"""Content checks shared by the content importer, the editor and the quiz marker (plain functions)."""
