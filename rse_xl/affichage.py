"""Terminal output of the CLI: progress bars and readable French reports (rich)."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from rich.console import Console

from rse_xl.cellules import cle_cellule, nom_onglet
from rse_xl.controles import CATALOGUE, Gravite, Probleme, Rapport
from rse_xl.fichiers import texte_chemin
from rse_xl.lecture import ClasseurLu


@contextlib.contextmanager
def progression(total: int, titre: str, actif: bool = True) -> Iterator[Callable[[Path], None]]:
    """A progress bar on stderr; yields the callback to call once per file done.

    Drawn only on a terminal: in a pipe, a log or Excel's call there is no one to watch it (and rich.progress
    is not imported, a start-up saved).
    """
    console = Console(stderr=True)
    if not actif or not console.is_terminal:
        yield lambda _chemin: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as barre:
        tache = barre.add_task(titre, total=total)
        yield lambda _chemin: barre.advance(tache)


def _nom_office(classeur: ClasseurLu | None, probleme: Probleme) -> str:
    if classeur and classeur.office:
        return f"{classeur.office.nom} — {classeur.fichier}"
    return f"Office non identifié — {Path(probleme.fichier).name}"


APERCU_CELLULES = 3  # cells shown for a group of warnings of one code


def _cle(p: Probleme) -> tuple[object, ...]:
    """Within one file, the order of the Contrôles sheet: errors first, then by sheet, cell and code."""
    return (p.gravite is not Gravite.ERREUR, p.onglet or "", cle_cellule(p.cellule), p.code)


def _position(p: Probleme) -> str:
    if p.onglet and p.cellule:
        return f"{nom_onglet(p.onglet)}!{p.cellule}"
    return p.onglet or "fichier"


def _un_par_ligne(console: Console, problemes: Sequence[Probleme]) -> None:
    onglet_courant: str | None = "\0"
    for p in problemes:
        if p.onglet != onglet_courant:
            onglet_courant = p.onglet
            console.print(f"  [bold cyan]{p.onglet or 'Fichier'}[/]", highlight=False)
        gravite = "[red]erreur[/]" if p.gravite is Gravite.ERREUR else "[yellow]avertissement[/]"
        ou = f"{p.cellule} " if p.cellule else ""
        console.print(f"    {ou}{gravite} [dim]{p.code}[/] — {p.message}", highlight=False)


def _par_code(console: Console, avertissements: Sequence[Probleme]) -> bool:
    """Warnings grouped by code: count, title, first cells; True when some were left out."""
    groupes: dict[str, list[Probleme]] = defaultdict(list)
    for p in avertissements:
        groupes[p.code].append(p)
    resume = False
    console.print("  [bold cyan]Avertissements[/]", highlight=False)
    for code, liste in sorted(groupes.items(), key=lambda g: (-len(g[1]), g[0])):
        if len(liste) == 1:
            p = liste[0]
            console.print(
                f"    [yellow]{code}[/] — {_position(p)} : {p.message}", highlight=False, markup=True
            )
            continue
        resume = True
        cellules = ", ".join(_position(p) for p in liste[:APERCU_CELLULES])
        reste = len(liste) - APERCU_CELLULES
        suite = f" et {reste} autre(s)" if reste > 0 else ""
        console.print(
            f"    [yellow]{code}[/] × {len(liste)} — {CATALOGUE[code].titre} : {cellules}{suite}",
            highlight=False,
        )
    return resume


def afficher_rapport(
    console: Console, rapport: Rapport, classeurs: Sequence[ClasseurLu], tout: bool = False
) -> None:
    """The report by office (file): errors one per line, then warnings grouped by code (``tout``: one per line).

    Both follow the order of the summary's Contrôles sheet: errors first, then by sheet and cell.
    """
    par_fichier = {texte_chemin(c.chemin): c for c in classeurs}
    groupes: dict[str, list[Probleme]] = defaultdict(list)
    for p in rapport.problemes:
        groupes[p.fichier].append(p)
    resume = False
    for fichier in rapport.fichiers:
        problemes = groupes.get(fichier, [])
        classeur = par_fichier.get(fichier)
        titre = (
            _nom_office(classeur, problemes[0])
            if problemes
            else (
                f"{classeur.office.nom} — {classeur.fichier}"
                if classeur and classeur.office
                else Path(fichier).name
            )
        )
        if not problemes:
            console.print(f"[bold green]✓[/] {titre} : aucun problème.")
            continue
        ordre = sorted(problemes, key=_cle)
        erreurs = [p for p in ordre if p.gravite is Gravite.ERREUR]
        avertissements = ordre[len(erreurs) :]
        console.print(
            f"\n[bold]{titre}[/] : {len(erreurs)} erreur(s), {len(avertissements)} avertissement(s)"
        )
        if tout:
            _un_par_ligne(console, ordre)
            continue
        _un_par_ligne(console, erreurs)
        if avertissements:
            resume = _par_code(console, avertissements) or resume
    stats = rapport.statistiques()
    couleur = "green" if rapport.valide else "red"
    console.print(
        f"\n[bold {couleur}]{stats['fichiers']} fichier(s) : {stats['erreurs']} erreur(s), "
        f"{stats['avertissements']} avertissement(s).[/]"
    )
    if resume:
        console.print("Chaque avertissement, cellule par cellule : relancez avec --tout.")


def resume_consolidation(console: Console, conso: object, sorties: Sequence[Path]) -> None:
    """End-of-run summary: offices, files left out, errors, warnings, where the outputs are."""
    from rse_xl.consolidation import Consolidation
    from rse_xl.indicateurs import INTER, Statut

    assert isinstance(conso, Consolidation)
    stats = conso.rapport.statistiques()
    console.print(
        f"[bold]Campagne {conso.annee}[/] — {len(conso.offices)} office(s) consolidé(s) : "
        + (", ".join(o.nom for o in conso.offices) or "aucun"),
        highlight=False,
    )
    for f in conso.fichiers:
        if not f.retenu:
            console.print(
                f"  [red]Écarté[/] : {f.fichier} ({f.erreurs} erreur(s) ; voir « rse-xl valider »)",
                highlight=False,
            )
    inter = [r for r in conso.resultats if r.office == INTER and r.annee == conso.annee]
    if inter:
        compte = {s: sum(r.statut is s for r in inter) for s in Statut}
        console.print(
            "  Inter-offices : " + ", ".join(f"{n} {s.value.lower()}" for s, n in compte.items() if n),
            highlight=False,
        )
        incomplets = sum(1 for r in inter if r.offices < r.offices_total)
        if incomplets:
            console.print(
                f"  [yellow]{incomplets} indicateur(s) inter-offices incomplet(s)[/] : ils ne couvrent pas tous "
                "les offices (colonne « Offices couverts » de la synthèse).",
                highlight=False,
            )
    couleur = "green" if conso.rapport.valide else "red"
    console.print(
        f"  [{couleur}]{stats['erreurs']} erreur(s)[/], {stats['avertissements']} avertissement(s) "
        "(détail dans l'onglet Contrôles)."
    )
    for p in sorties:
        console.print(f"Écrit : [bold]{Path(p).resolve()}[/]", highlight=False)
