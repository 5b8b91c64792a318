"""Command line: a thin shell over the library, one function call per command."""

from __future__ import annotations

import gc
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from rse_xl.aide import cx, franciser, message_usage

# Importing cli_campagne registers retours, migrer and diagnostic; the shared app, options and helpers come from
# cli_commun. Their names stay importable from here.
from rse_xl.cli_campagne import cmd_diagnostic, cmd_migrer, cmd_retours  # noqa: F401
from rse_xl.cli_commun import (  # noqa: F401
    CODE_ERREURS,
    CODE_INATTENDU,
    CODE_OK,
    CODE_USAGE,
    DateReference,
    Ecraser,
    Entrees,
    Parametres,
    Workers,
    _annoncer_demo,
    _convention,
    _date,
    _Etat,
    _json,
    _sans_nos_sorties,
    _version,
    app,
    console,
    dossier_demo,
    erreurs,
    principal,
)
from rse_xl.errors import EntreeError, RseXlError
from rse_xl.referentiel.models import ANNEES

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
        str,
        typer.Option(
            "--office",
            metavar="OFFICE",
            help="Nom ou code de l'office (ex. « Brest métropole habitat », BMH).",
        ),
    ],
    sortie: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--sortie",
            metavar="FICHIER|DOSSIER",
            help="Fichier .xlsx à écrire, ou dossier où l'écrire.",
        ),
    ] = None,
    ecraser: Ecraser = False,
) -> None:
    """Écrire le classeur vierge d'un office, généré depuis le référentiel."""
    from rse_xl.modele import ecrire_classeur, nom_fichier_modele, trouver_office
    from rse_xl.referentiel import referentiel

    o = trouver_office(referentiel(), office)
    chemin = sortie or Path(nom_fichier_modele(o))
    if chemin.is_dir():
        chemin = chemin / nom_fichier_modele(o)
    ecrire_classeur(chemin, o, ecraser=ecraser)
    console.print(f"Classeur de « {o.nom} » écrit : {chemin.resolve()}")


# --- valider -----------------------------------------------------------------------------------------------


@app.command("valider")
def cmd_valider(
    entrees: Entrees = None,
    en_json: Annotated[bool, typer.Option("--json", help="Rapport complet en JSON.")] = False,
    workers: Workers = None,
    parametres: Parametres = None,
    date_reference: DateReference = None,
    tout: Annotated[
        bool, typer.Option("--tout", help="Lister chaque avertissement, au lieu de les grouper par code.")
    ] = False,
) -> None:
    """Contrôler des classeurs d'office sans les modifier ; code de sortie 1 s'il y a au moins une erreur."""
    from rse_xl.affichage import afficher_rapport, progression
    from rse_xl.fichiers import collecter_classeurs
    from rse_xl.validation import valider

    conv = _convention(parametres)
    aujourdhui = _date(date_reference)
    chemins = _sans_nos_sorties(collecter_classeurs(entrees or [_annoncer_demo("valider", en_json)]), en_json)
    if not chemins:
        raise EntreeError(
            "Aucun classeur d'office (.xlsx ou .xlsm) parmi les entrées indiquées : indiquez le dossier des "
            "classeurs reçus des offices, ou leurs fichiers."
        )
    with progression(len(chemins), "Lecture des classeurs", actif=not en_json) as avancer:
        resultat = valider(chemins, conv, aujourdhui=aujourdhui, workers=workers, progression=avancer)
    if en_json:
        _json(resultat.rapport.en_dict())
    else:
        afficher_rapport(console, resultat.rapport, resultat.classeurs, tout=tout)
    raise typer.Exit(CODE_OK if resultat.rapport.valide else CODE_ERREURS)


# --- consolider ---------------------------------------------------------------------------------------------


@app.command("consolider")
def cmd_consolider(
    entrees: Entrees = None,
    sortie: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--sortie",
            metavar="FICHIER",
            help="Classeur de synthèse à écrire (.xlsx, ou .xlsm : maître).",
        ),
    ] = None,
    annee: Annotated[
        int | None,
        typer.Option(
            "--annee",
            min=ANNEES[0],
            max=ANNEES[-1],
            metavar="ANNÉE",
            help=f"Année de campagne de la synthèse ({ANNEES[0]} à {ANNEES[-1]}).",
        ),
    ] = None,
    en_json: Annotated[bool, typer.Option("--json", help="Résumé et indicateurs en JSON.")] = False,
    export: Annotated[
        list[str] | None,
        typer.Option("--export", metavar="FORMAT", help="Exporter aussi : csv, parquet, pdf (répétable)."),
    ] = None,
    workers: Workers = None,
    date_reference: DateReference = None,
    parametres: Parametres = None,
    ecraser: Ecraser = False,
) -> None:
    """Consolider les classeurs des offices et écrire la synthèse (sans entrée : les classeurs de démonstration)."""
    from rse_xl.affichage import progression, resume_consolidation
    from rse_xl.consolidation import consolider
    from rse_xl.fichiers import collecter_classeurs, verifier_cible

    conv = _convention(parametres)
    if annee is not None and annee not in conv.periode:
        raise EntreeError(
            f"Année {annee} hors de la convention : choisissez {', '.join(map(str, conv.periode))}."
        )
    formats = [f.lower() for f in export or []]
    _verifier_exports(formats)
    aujourdhui = _date(date_reference)
    chemins = _sans_nos_sorties(
        collecter_classeurs(entrees or [_annoncer_demo("consolider", en_json)]), en_json
    )
    if not chemins:
        raise EntreeError(
            "Aucun classeur d'office (.xlsx ou .xlsm) parmi les entrées indiquées : indiquez le dossier des "
            "classeurs reçus des offices, ou leurs fichiers."
        )
    if sortie is not None:  # before reading anything: a bad output path is said at once
        verifier_cible(sortie, None, entrees=chemins, ecraser=ecraser)
        for f in formats:
            verifier_cible(sortie.with_suffix("." + f), None, entrees=chemins, ecraser=ecraser)
    with progression(len(chemins), "Lecture des classeurs", actif=not en_json) as avancer:
        conso = consolider(
            chemins,
            annee=annee,
            aujourdhui=aujourdhui,
            convention=conv,
            workers=workers or os.cpu_count() or 1,
            progression=avancer,
        )
    conso.demonstration = not entrees
    cible = sortie or Path(f"synthese_{'DEMO' if conso.demonstration else 'RSE'}_{conso.annee}.xlsx")
    ecrits = [_ecrire_sortie(conso, cible, ecraser)]
    for f in formats:
        if f == "pdf":
            from rse_xl.impression import exporter_pdf

            ecrits.append(exporter_pdf(ecrits[0], cible.with_suffix(".pdf"), ecraser=ecraser))
            continue
        from rse_xl.export import exporter_donnees

        ecrits.append(
            exporter_donnees(conso, cible.with_suffix("." + f), f, ecraser=ecraser)  # type: ignore[arg-type]
        )
    if en_json:
        from rse_xl.indicateurs import en_dict

        _json(
            {
                "sorties": [str(p.resolve()) for p in ecrits],
                "demonstration": conso.demonstration,
                "annee": conso.annee,
                "offices": [o.code for o in conso.offices],
                "valide": conso.rapport.valide,
                "statistiques": conso.rapport.statistiques(),
                "fichiers": [f.__dict__ for f in conso.fichiers],
                "resultats": [en_dict(r) for r in conso.resultats],
                "problemes": [p.en_dict() for p in conso.rapport.problemes],
            }
        )
    else:
        resume_consolidation(console, conso, ecrits)
    raise typer.Exit(CODE_OK if conso.rapport.valide else CODE_ERREURS)


def _verifier_exports(formats: list[str]) -> None:
    """Every export format known and its tools installed, before anything is read or written."""
    for f in formats:
        if f == "pdf":
            from rse_xl.impression import verifier_impression

            verifier_impression()
        elif f in ("csv", "parquet"):
            from rse_xl.export import verifier_format

            verifier_format(f)
        else:
            raise EntreeError(f"Format d'export inconnu « {f} » : choisissez csv, parquet ou pdf.")


def _ecrire_sortie(conso: object, cible: Path, ecraser: bool) -> Path:
    if cible.suffix.lower() == ".xlsm":
        from rse_xl.maitre import ecrire_maitre

        return ecrire_maitre(cible, conso, ecraser=ecraser)  # type: ignore[arg-type]
    if cible.suffix.lower() != ".xlsx":
        raise EntreeError(
            f"« {cible.name} » : la synthèse s'écrit en .xlsx (ou .xlsm pour un classeur maître)."
        )
    from rse_xl.synthese import ecrire_synthese

    return ecrire_synthese(conso, cible, ecraser=ecraser)  # type: ignore[arg-type]


# --- maitre ------------------------------------------------------------------------------------------------


@app.command("maitre")
def cmd_maitre(
    sortie: Annotated[
        Path,
        typer.Option("-o", "--sortie", metavar="FICHIER", help="Classeur maître à écrire (.xlsm)."),
    ] = Path("maitre_RSE.xlsm"),
    interpreter: Annotated[
        str | None,
        typer.Option(
            "--interpreter",
            metavar="CHEMIN",
            help="Chemin de Python pour xlwings (onglet xlwings.conf), ex. "
            "%LOCALAPPDATA%\\Programs\\Python\\Python311\\python.exe.",
        ),
    ] = None,
    ecraser: Ecraser = False,
) -> None:
    """Écrire le classeur maître vierge (.xlsm) : boutons Valider, Consolider, Générer la synthèse."""
    from rse_xl.maitre import ecrire_maitre

    chemin = ecrire_maitre(sortie, interpreter=interpreter, ecraser=ecraser)
    console.print(f"Classeur maître écrit : {chemin.resolve()}")


# --- demo --------------------------------------------------------------------------------------------------


@app.command("demo")
def cmd_demo(
    dossier: Annotated[
        Path,
        typer.Option("-o", "--sortie", metavar="DOSSIER", help="Dossier où écrire les trois classeurs."),
    ] = Path("workbooks"),
    graine: Annotated[
        int,
        typer.Option("--graine", metavar="N", help="Graine du tirage (mêmes données pour la même graine)."),
    ] = 0,
    ecraser: Ecraser = False,
    incomplet: Annotated[
        bool,
        typer.Option(
            "--incomplet",
            help="Campagne incomplète : un office en retard, un onglet renommé, des lignes sous un tableau, "
            "un DPE changé par la seule méthode (dossier par défaut : campagne_incomplete).",
        ),
    ] = False,
) -> None:
    """Écrire trois classeurs d'office remplis de données plausibles, pour essayer l'outil."""
    from rse_xl.demo import ecrire_demo

    if incomplet and dossier == Path("workbooks"):
        dossier = Path("campagne_incomplete")  # never over the shipped demo workbooks
    for chemin in ecrire_demo(dossier, graine=graine, incomplet=incomplet, ecraser=ecraser):
        console.print(f"Classeur de démonstration écrit : {chemin.resolve()}")


# --- plumbing ----------------------------------------------------------------------------------------------


# « rse-xl --help » lists the commands in this order, whichever module registered them.
ORDRE_COMMANDES = (
    "referentiel",
    "modele",
    "valider",
    "consolider",
    "retours",
    "migrer",
    "maitre",
    "diagnostic",
    "demo",
)
app.registered_commands.sort(key=lambda c: ORDRE_COMMANDES.index(c.name or ""))


def main(argv: list[str] | None = None) -> int:
    """Entry point: French one-line errors, exit codes 0 / 1 / 2 / 3, no traceback unless --debug."""
    args = sys.argv[1:] if argv is None else argv
    # --debug is accepted anywhere on the line, not only before the command.
    _Etat.debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    try:
        commande = typer.main.get_command(app)
        franciser(commande)
        resultat = commande.main(args=args, prog_name="rse-xl", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        erreurs.print("Interrompu.")
        return CODE_USAGE
    except cx.NoArgsIsHelpError as exc:
        # Building this error drew the help already when rich is there; without rich it is the message.
        if exc.message.strip():
            console.print(exc.message, markup=False, highlight=False)
        return CODE_USAGE
    except cx.UsageError as exc:
        erreurs.print(message_usage(exc), markup=False, highlight=False)
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


def lancer() -> None:
    """The ``rse-xl`` script: ``main()`` in a process that ends with it.

    A command lasts seconds and its objects hold hardly any reference cycle (reference counting frees them):
    the cyclic collector is kept off meanwhile, and the objects left at the end are frozen, so that exiting
    skips the interpreter's last pass over every one of them (0.1 s after a consolidation, ``bench/RESULTS.md``).
    Worker processes of a batch turn the collector back on (``rse_xl.memoire.apres_fork``).
    """
    gc.disable()
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    lancer()
