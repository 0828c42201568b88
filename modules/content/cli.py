import click


@click.group("content")
def content_command() -> None:
    """Check and import training content (courses/)."""
