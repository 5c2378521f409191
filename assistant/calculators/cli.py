"""`cdt calc …`: every calculator on the command line, its options generated from its inputs.

Options take text and go through the calculators' own validation, so that a wrong value gives the
same French message naming the field as in the chat or the page, with exit status 1 (through the
`cdt` group's error handling), rather than click's English usage error.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import click

from corpus.store import load_store

from assistant.calculators.base import Calculator, MissingInputs, option_name
from assistant.calculators.drift import verify_parameters
from assistant.calculators.registry import CALCULATORS
from assistant.calculators.rendering import result_to_text


@click.group("calc", invoke_without_command=True)
@click.option("--list", "show_list", is_flag=True, help="Liste les calculateurs disponibles.")
@click.option("--verifier", is_flag=True,
              help="Vérifie que chaque paramètre figure toujours dans le texte de son article "
                   "(à lancer après `cdt corpus update`).")
@click.pass_context
def calc_group(ctx: click.Context, show_list: bool, verifier: bool) -> None:
    """Calculateurs sourcés : chaque montant ou durée avec sa formule et ses articles.

    `cdt calc NOM --help` décrit les options d'un calculateur.
    """
    if ctx.invoked_subcommand:
        return
    if show_list:
        width = max(len(name) for name in CALCULATORS)
        for name, calculator in CALCULATORS.items():
            click.echo(f"{name:<{width}}  {calculator.description}")
    elif verifier:
        store = load_store()
        checked = verify_parameters(store)
        linked = f" et dans les articles d'autres codes cités ({store.linked.manifest.source})" if store.linked else ""
        click.echo(f"{checked} paramètres vérifiés : tous figurent dans le Code du travail consolidé au "
                   f"{store.consolidation_date:%d/%m/%Y}{linked}.")
    else:
        click.echo(ctx.get_help())


def _command(calculator: Calculator) -> click.Command:
    params: list[click.Parameter] = []
    for name, kind, field_spec in calculator.inputs.fields():
        option = option_name(name)
        help_text = field_spec.label + (" (obligatoire)" if field_spec.required else "")
        if kind is bool:
            declaration = f"--{option}/--{field_spec.negative}"
            params.append(click.Option([declaration, name], default=None, help=help_text))
        else:
            params.append(click.Option([f"--{option}", name], type=str, metavar=_metavar(kind), help=help_text))
    params.append(click.Option(["--json", "as_json"], is_flag=True,
                               help="Sortie JSON (calculator, value, unit, details, formula, sources, missing)."))
    articles = ", ".join(dict.fromkeys(p.article for p in calculator.parameters))
    return click.Command(
        calculator.name, params=params, callback=_runner(calculator), help=calculator.description,
        short_help=calculator.title, epilog=f"Articles : {articles}.",
    )


def _runner(calculator: Calculator) -> Callable[..., None]:
    def run(as_json: bool, **values: object) -> None:
        store = load_store()
        # The command line is an edge: the reference date is read here, once (--date gives the facts' date).
        result = calculator.run(values, store, dt.date.today())
        if result.incomplete:
            raise MissingInputs(calculator.name, [q for q in result.missing if q.blocking])
        if as_json:
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            click.echo(result_to_text(result, calculator.title, store.consolidation_date))
    return run


def _metavar(kind: type) -> str:
    return {int: "ENTIER", dt.date: "DATE"}.get(kind, "NOMBRE")


for _calculator in CALCULATORS.values():
    calc_group.add_command(_command(_calculator))
