"""The campaign commands: ``retours``, ``migrer`` and ``diagnostic``, registered on the shared Typer ``app``.

``rse_xl.cli`` imports this module and sets the order the commands are listed in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rse_xl.cli_commun import (
    CODE_ERREURS,
    CODE_OK,
    DateReference,
    Ecraser,
    Entrees,
    Parametres,
    _annoncer_demo,
    _convention,
    _date,
    _json,
    _sans_nos_sorties,
    app,
    console,
)
from rse_xl.errors import EntreeError
from rse_xl.fichiers import texte_chemin
from rse_xl.referentiel.models import ANNEES

# --- retours and migrer ------------------------------------------------------------------------------------


@app.command("retours")
def cmd_retours(
    entrees: Entrees = None,
    sortie: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--sortie",
            metavar="DOSSIER",
            help="Dossier où écrire les classeurs annotés (par défaut : DOSSIER_retours à côté des classeurs).",
        ),
    ] = None,
    annee: Annotated[
        int | None,
        typer.Option(
            "--annee",
            min=ANNEES[0],
            max=ANNEES[-1],
            metavar="ANNÉE",
            help=f"Année de campagne des contrôles ({ANNEES[0]} à {ANNEES[-1]}).",
        ),
    ] = None,
    en_json: Annotated[bool, typer.Option("--json", help="Les classeurs écrits, en JSON.")] = False,
    date_reference: DateReference = None,
    parametres: Parametres = None,
    ecraser: Ecraser = False,
) -> None:
    """Rendre à chaque office son classeur, chaque problème marqué sur sa cellule (les originaux ne sont pas modifiés)."""
    from rse_xl.affichage import progression
    from rse_xl.consolidation import consolider
    from rse_xl.fichiers import collecter_classeurs
    from rse_xl.retours import ecrire_retours

    conv = _convention(parametres)
    entrees = entrees or [_annoncer_demo("retours", en_json)]
    chemins = _sans_nos_sorties(collecter_classeurs(entrees), en_json)
    if not chemins:
        raise EntreeError(
            "Aucun classeur d'office (.xlsx ou .xlsm) parmi les entrées indiquées : indiquez le dossier des "
            "classeurs reçus des offices, ou leurs fichiers."
        )
    if sortie is None:
        premier = entrees[0]
        base = premier if premier.is_dir() else premier.parent
        sortie = base.resolve().parent / f"{base.resolve().name}_retours"
    if any(c.resolve().parent == sortie.resolve() for c in chemins):  # said before anything is read
        raise EntreeError(
            f"Le dossier des retours est celui des classeurs des offices ({texte_chemin(sortie.resolve())}) : "
            "choisissez un autre dossier, les originaux ne sont jamais remplacés."
        )
    with progression(len(chemins), "Lecture des classeurs", actif=not en_json) as avancer:
        conso = consolider(
            chemins, annee=annee, aujourdhui=_date(date_reference), convention=conv, progression=avancer
        )
    retours = ecrire_retours(conso, sortie, ecraser=ecraser)
    if en_json:
        _json(
            {
                "dossier": str(sortie.resolve()),
                "annee": conso.annee,
                "retours": [
                    {
                        "source": texte_chemin(r.source),
                        "classeur": texte_chemin(r.chemin.resolve()),
                        "office": r.office,
                        "problemes": r.problemes,
                        "marques": r.marques,
                    }
                    for r in retours
                ],
            }
        )
    else:
        for r in retours:
            console.print(
                f"Retour écrit : {texte_chemin(r.chemin.resolve())} — {r.problemes} problème(s), "
                f"{r.marques} marqué(s) sur leur cellule",
                markup=False,
                highlight=False,
            )
        if not retours:
            console.print("Aucun classeur d'office lisible : rien à renvoyer (voir « rse-xl valider »).")
    raise typer.Exit(CODE_OK if retours else CODE_ERREURS)


@app.command("migrer")
def cmd_migrer(
    entrees: Annotated[
        list[Path],
        typer.Argument(
            metavar="FICHIER|DOSSIER", help="Classeurs d'office à passer au modèle actuel, ou dossiers."
        ),
    ],
    sortie: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--sortie",
            metavar="FICHIER|DOSSIER",
            help="Classeur à écrire (un seul classeur migré), ou dossier (plusieurs). Par défaut : NOM_v2.xlsx "
            "à côté de l'original.",
        ),
    ] = None,
    en_json: Annotated[
        bool, typer.Option("--json", help="Ce qui a été écrit et ce qui n'a pas été repris, en JSON.")
    ] = False,
    parametres: Parametres = None,
    ecraser: Ecraser = False,
) -> None:
    """Passer des classeurs d'office au modèle actuel, toutes leurs saisies reprises (les originaux ne sont pas modifiés)."""
    from rse_xl.fichiers import collecter_classeurs
    from rse_xl.migration import migrer, nom_migre

    conv = _convention(parametres)
    chemins = _sans_nos_sorties(collecter_classeurs(entrees), en_json)
    if not chemins:
        raise EntreeError("Aucun classeur d'office (.xlsx ou .xlsm) parmi les entrées indiquées.")
    plusieurs = len(chemins) > 1 or any(e.is_dir() for e in entrees)
    if sortie is not None and plusieurs and sortie.suffix.lower() == ".xlsx":
        raise EntreeError(
            f"Plusieurs classeurs à migrer : « -o {texte_chemin(sortie)} » doit être un dossier, pas un fichier."
        )
    faites, echecs = [], []
    for chemin in chemins:
        if sortie is None:
            cible = nom_migre(chemin)
        elif plusieurs or sortie.is_dir() or sortie.suffix.lower() != ".xlsx":  # a folder, named or new
            sortie.mkdir(parents=True, exist_ok=True)
            cible = sortie / nom_migre(chemin).name
        else:
            cible = sortie
        try:
            faites.append(migrer(chemin, cible, conv, ecraser=ecraser))
        except EntreeError as exc:  # one workbook that cannot be migrated does not stop the others
            echecs.append((chemin, str(exc)))
    if en_json:
        _json(
            {
                "migres": [
                    {
                        "source": texte_chemin(m.source),
                        "classeur": texte_chemin(m.chemin.resolve()),
                        "office": m.office,
                        "version_avant": m.version_avant,
                        "version": m.version,
                        "saisies": m.saisies,
                        "lignes": m.lignes,
                        "non_repris": [{"quoi": r.quoi, "detail": r.detail} for r in m.restes],
                    }
                    for m in faites
                ],
                "echecs": [{"source": texte_chemin(c), "message": t} for c, t in echecs],
            }
        )
    else:
        for m in faites:
            console.print(
                f"Migré : {texte_chemin(m.source.name)} (modèle {m.version_avant}) → "
                f"{texte_chemin(m.chemin.resolve())} (modèle {m.version}) : {m.saisies} saisie(s), "
                f"{m.lignes} ligne(s) de registre reprises",
                markup=False,
                highlight=False,
            )
            for r in m.restes:
                console.print(f"  Non repris tel quel — {r.quoi} : {r.detail}", markup=False, highlight=False)
        for _chemin, texte in echecs:
            console.print(f"Non migré : {texte}", markup=False, highlight=False)
    raise typer.Exit(CODE_ERREURS if echecs or not faites else CODE_OK)


# --- diagnostic --------------------------------------------------------------------------------------------


@app.command("diagnostic")
def cmd_diagnostic(
    maitre: Annotated[
        Path | None,
        typer.Argument(
            metavar="MAITRE.xlsm",
            help="Classeur maître dont vérifier les paramètres (lu, jamais modifié). Sans lui : Python, "
            "rse-xl et xlwings seulement.",
            show_default=False,
        ),
    ] = None,
    en_json: Annotated[bool, typer.Option("--json", help="Liste des vérifications en JSON.")] = False,
) -> None:
    """Vérifier ce PC avant la première campagne : Python, xlwings, dossiers du classeur maître ; code 1 s'il y a à corriger."""
    from dataclasses import asdict

    from rse_xl.diagnostic import diagnostiquer, lire_reglages, texte_diagnostic

    reglages = lire_reglages(maitre) if maitre is not None else None
    verifications = diagnostiquer(
        adresse_maitre=str(maitre.resolve()) if maitre is not None else None,
        reglages=reglages,
        version_vba=None,
    )
    if en_json:
        _json([asdict(v) for v in verifications])
    else:
        console.print(texte_diagnostic(verifications), markup=False, highlight=False)
    raise typer.Exit(CODE_OK if all(v.ok for v in verifications) else CODE_ERREURS)
