"""Command line: a thin shell over the library, one function call per command."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from rse_xl import __version__
from rse_xl.aide import cx, franciser, message_usage
from rse_xl.errors import EntreeError, RseXlError
from rse_xl.fichiers import texte_chemin
from rse_xl.referentiel.models import ANNEES

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


Ecraser = Annotated[
    bool,
    typer.Option(
        "--ecraser",
        help="Remplacer un fichier existant que rse-xl n'a pas écrit (jamais un classeur lu, ni le classeur "
        "rempli d'un office, ni un fichier en lecture seule).",
    ),
]


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
    from rse_xl.fichiers import ecarter_sorties, texte_chemin

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


# --- plumbing ----------------------------------------------------------------------------------------------


def _json(donnees: object) -> None:
    sys.stdout.write(json.dumps(donnees, ensure_ascii=False, indent=2, default=str) + "\n")


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
