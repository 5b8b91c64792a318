"""What the command line's modules share: the Typer ``app``, its consoles and exit codes, option types, helpers.

``rse_xl.cli`` and ``rse_xl.cli_campagne`` register their commands on this ``app``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from rse_xl import __version__
from rse_xl.errors import EntreeError
from rse_xl.fichiers import texte_chemin

if TYPE_CHECKING:
    from rse_xl.referentiel import Convention

app = typer.Typer(
    name="rse-xl",
    help="Suivi de la convention RSE inter-offices 2025-2027 : classeurs d'office, contrôles, consolidation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

console = Console(soft_wrap=True)
erreurs = Console(stderr=True, soft_wrap=True)

CODE_OK, CODE_ERREURS, CODE_USAGE, CODE_INATTENDU = 0, 1, 2, 3


class _Etat:
    debug = False


def _version(valeur: bool) -> None:
    if valeur:
        console.print(f"rse-xl {__version__}")
        raise typer.Exit()


@app.callback()
def principal(
    debug: Annotated[
        bool, typer.Option("--debug", help="Afficher la trace complète en cas d'erreur.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Afficher la version.")
    ] = False,
) -> None:
    """Suivi de la convention RSE inter-offices 2025-2027."""
    _Etat.debug = _Etat.debug or debug


Ecraser = Annotated[
    bool,
    typer.Option(
        "--ecraser",
        help="Remplacer un fichier existant que rse-xl n'a pas écrit (jamais un classeur lu, ni le classeur "
        "rempli d'un office, ni un fichier en lecture seule).",
    ),
]


Entrees = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="FICHIER|DOSSIER",
        help="Classeurs d'office ou dossiers qui en contiennent (par défaut : workbooks/).",
    ),
]


Parametres = Annotated[
    Path | None,
    typer.Option(
        "--parametres",
        metavar="FICHIER",
        help="Fichier YAML de réglages : offices au-delà des trois de la convention, seuils de statut, "
        "seuil des marchés (voir le README).",
    ),
]
Workers = Annotated[
    int | None,
    typer.Option("--workers", min=1, metavar="N", help="Lectures en parallèle (défaut : nombre de cœurs)."),
]


DateReference = Annotated[
    str | None,
    typer.Option(
        "--date-reference",
        metavar="DATE",
        help="Date du jour à retenir (jj/mm/aaaa ou AAAA-MM-JJ), pour rejouer une campagne.",
    ),
]


def _convention(parametres: Path | None) -> Convention:
    from rse_xl.referentiel import charger_parametres, referentiel

    return charger_parametres(parametres) if parametres is not None else referentiel()


def _date(texte: str | None) -> dt.date | None:
    if texte is None:
        return None
    for format in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(texte.strip(), format).date()
        except ValueError:
            continue
    raise EntreeError(
        f"Date invalide « {texte} » : écrivez-la jj/mm/aaaa (30/11/2026) ou AAAA-MM-JJ (2026-11-30)."
    )


def _annoncer_demo(commande: str, en_json: bool) -> Path:
    """The demo folder, announced on the first line (on stderr under --json): no one takes it for real data."""
    dossier = dossier_demo()
    (erreurs if en_json else console).print(
        f"Démonstration : aucun dossier indiqué, ce sont les classeurs de démonstration de {dossier} (chiffres "
        f"fictifs). Pour vos classeurs : rse-xl {commande} DOSSIER.",
        highlight=False,
        markup=False,
    )
    return dossier


def _sans_nos_sorties(chemins: list[Path], en_json: bool) -> list[Path]:
    """The inputs without rse-xl's own outputs, each one set aside said in a line (on stderr under --json)."""
    from rse_xl.fichiers import ecarter_sorties

    gardes, ecartes = ecarter_sorties(chemins)
    for chemin, quoi in ecartes:
        (erreurs if en_json else console).print(
            f"Ignoré : {texte_chemin(chemin)} — c'est {quoi}, pas le classeur d'un office.",
            highlight=False,
            markup=False,
        )
    return gardes


def dossier_demo() -> Path:
    """The demo workbooks shipped in workbooks/ (from a checkout), for commands run without inputs.

    The checkout's own folder comes first: a ``workbooks/`` folder in the current directory may hold real
    office workbooks, which must not be presented as the demo.
    """
    for base in (Path(__file__).resolve().parent.parent, Path.cwd()):
        if (base / "workbooks").is_dir():
            return base / "workbooks"
    raise EntreeError("Indiquez les classeurs à traiter (aucun dossier workbooks/ ici).")


def _json(donnees: object) -> None:
    sys.stdout.write(json.dumps(donnees, ensure_ascii=False, indent=2, default=str) + "\n")
