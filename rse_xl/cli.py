"""Command line: a thin shell over the library, one function call per command."""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from rse_xl import __version__
from rse_xl.errors import EntreeError, RseXlError

try:  # Typer ≥ 0.20 vendors its own copy of click
    from typer._click import exceptions as cx
except ImportError:  # pragma: no cover
    from click import exceptions as cx  # type: ignore[no-redef]

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
    _Etat.debug = debug


# --- referentiel -------------------------------------------------------------------------------------------


@app.command("referentiel")
def cmd_referentiel(
    en_json: Annotated[bool, typer.Option("--json", help="Sortie JSON complète.")] = False,
) -> None:
    """Afficher le référentiel : les 16 fiches, les 36 actions, leurs indicateurs et cibles."""
    from rse_xl.referentiel import referentiel
    from rse_xl.referentiel.export import en_dict

    conv = referentiel()
    if en_json:
        _json(en_dict(conv))
        return
    console.print(
        f"[bold]{conv.titre}[/] — {len(conv.fiches)} fiches, "
        f"{sum(len(f.actions) for f in conv.fiches)} actions"
    )
    for fiche in conv.fiches:
        console.print(f"\n[bold blue]{fiche.code} {fiche.titre}[/]")
        for a in fiche.actions:
            ind = a.indicateur
            console.print(f"  [bold]{a.code}[/] {a.titre}", highlight=False)
            console.print(
                f"         Indicateur : {ind.libelle} ({ind.type.value}, {ind.unite})", highlight=False
            )
            for y in conv.periode:
                console.print(f"         {y} : {ind.cibles[y].texte}", highlight=False)


# --- modele ------------------------------------------------------------------------------------------------


@app.command("modele")
def cmd_modele(
    office: Annotated[
        str, typer.Option("--office", help="Nom ou code de l'office (ex. « Brest métropole habitat », BMH).")
    ],
    sortie: Annotated[Path | None, typer.Option("-o", "--sortie", help="Fichier .xlsx à écrire.")] = None,
) -> None:
    """Écrire le classeur vierge d'un office, généré depuis le référentiel."""
    from rse_xl.modele import ecrire_classeur, nom_fichier_modele, trouver_office
    from rse_xl.referentiel import referentiel

    o = trouver_office(referentiel(), office)
    chemin = sortie or Path(nom_fichier_modele(o))
    ecrire_classeur(chemin, o)
    console.print(f"Classeur de « {o.nom} » écrit : {chemin}")


# --- valider -----------------------------------------------------------------------------------------------


Entrees = Annotated[
    list[Path] | None,
    typer.Argument(help="Classeurs d'office ou dossiers qui en contiennent (par défaut : workbooks/)."),
]


@app.command("valider")
def cmd_valider(
    entrees: Entrees = None,
    en_json: Annotated[bool, typer.Option("--json", help="Rapport complet en JSON.")] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Lectures en parallèle.")] = 1,
) -> None:
    """Contrôler des classeurs d'office sans les modifier ; code de sortie 1 s'il y a au moins une erreur."""
    from rse_xl.affichage import afficher_rapport, progression
    from rse_xl.fichiers import collecter_classeurs
    from rse_xl.validation import valider

    chemins = collecter_classeurs(entrees or [dossier_demo()])
    if not chemins:
        raise EntreeError("Aucun classeur .xlsx ou .xlsm trouvé dans les entrées indiquées.")
    with progression(len(chemins), "Lecture des classeurs", actif=not en_json) as avancer:
        resultat = valider(chemins, workers=workers, progression=avancer)
    if en_json:
        _json(resultat.rapport.en_dict())
    else:
        afficher_rapport(console, resultat.rapport, resultat.classeurs)
    raise typer.Exit(CODE_OK if resultat.rapport.valide else CODE_ERREURS)


def dossier_demo() -> Path:
    """The demo workbooks shipped in workbooks/ (from a checkout), for commands run without inputs."""
    for base in (Path.cwd(), Path(__file__).resolve().parent.parent):
        if (base / "workbooks").is_dir():
            return base / "workbooks"
    raise EntreeError("Indiquez les classeurs à traiter (aucun dossier workbooks/ ici).")


# --- plumbing ----------------------------------------------------------------------------------------------


def _json(donnees: object) -> None:
    sys.stdout.write(json.dumps(donnees, ensure_ascii=False, indent=2, default=str) + "\n")


_USAGE_FR = {
    cx.NoSuchOption: "option inconnue",
    cx.MissingParameter: "paramètre manquant",
    cx.BadParameter: "valeur invalide",
    cx.BadOptionUsage: "option mal utilisée",
}


def _message_usage(exc: cx.UsageError) -> str:
    commande = exc.ctx.command_path if exc.ctx else "rse-xl"
    if isinstance(exc, cx.NoSuchOption):
        quoi = f"option inconnue « {exc.option_name} »"
    elif isinstance(exc, cx.MissingParameter) and exc.param is not None:
        noms = "/".join(getattr(exc.param, "opts", []) or [exc.param.name or ""])
        quoi = f"paramètre obligatoire manquant : {noms}"
    elif isinstance(exc, cx.BadParameter):
        nom = "/".join(getattr(exc.param, "opts", []) or []) if exc.param else ""
        quoi = f"valeur invalide{(' pour ' + nom) if nom else ''} : {exc.message}"
    else:
        quoi = next((v for k, v in _USAGE_FR.items() if isinstance(exc, k)), "commande incorrecte")
        quoi += f" ({exc.message})"
    return f"Erreur : {quoi}. Voir « {commande} --help »."


def main(argv: list[str] | None = None) -> int:
    """Entry point: French one-line errors, exit codes 0 / 1 / 2 / 3, no traceback unless --debug."""
    args = sys.argv[1:] if argv is None else argv
    # --debug is accepted anywhere on the line, not only before the command.
    _Etat.debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    try:
        resultat = typer.main.get_command(app).main(args=args, prog_name="rse-xl", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        erreurs.print("Interrompu.")
        return CODE_USAGE
    except cx.NoArgsIsHelpError as exc:
        console.print(exc.ctx.get_help() if exc.ctx else "", markup=False, highlight=False)
        return CODE_USAGE
    except cx.UsageError as exc:
        erreurs.print(_message_usage(exc), markup=False, highlight=False)
        return CODE_USAGE
    except RseXlError as exc:
        if _Etat.debug:
            traceback.print_exc()
        erreurs.print(f"Erreur : {exc}", markup=False, highlight=False)
        return CODE_USAGE
    except KeyboardInterrupt:
        erreurs.print("Interrompu.")
        return 130
    except Exception as exc:
        if _Etat.debug:
            traceback.print_exc()
        erreurs.print(
            f"Erreur inattendue ({type(exc).__name__} : {exc}). Relancez avec --debug et transmettez la trace "
            "à l'équipe rse-xl.",
            markup=False,
            highlight=False,
        )
        return CODE_INATTENDU
    return resultat if isinstance(resultat, int) else CODE_OK


if __name__ == "__main__":
    sys.exit(main())
