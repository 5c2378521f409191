"""The `cdt` command: one entry point whose groups come from each package."""

from __future__ import annotations

import sys

import click

from assistant.calculators.cli import calc_group
from assistant.cli import ask, chat
from assistant.calculators.drift import verify_parameters
from corpus.cli import corpus_group
from corpus.errors import CorpusError
from corpus.update import after_update
from indexing.cli import index_group, models_group, search
from indexing.convention_cli import convention_group
from ui.serve import serve


class _FriendlyErrors(click.Group):
    """Turn the project's user-facing errors into a French message and exit status 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except CorpusError as error:
            click.echo(f"Erreur : {error}", err=True)
            sys.exit(1)


@click.group(cls=_FriendlyErrors, context_settings={"help_option_names": ["-h", "--help"]})
def cdt() -> None:
    """Assistant juridique du Code du travail."""


cdt.add_command(corpus_group)
cdt.add_command(convention_group)
cdt.add_command(models_group)
cdt.add_command(index_group)
cdt.add_command(search)
cdt.add_command(calc_group)
cdt.add_command(ask)
cdt.add_command(chat)
cdt.add_command(serve)
after_update(verify_parameters)  # a law change that drops a calculator parameter must be seen at once


def main() -> None:
    cdt()


if __name__ == "__main__":
    main()
