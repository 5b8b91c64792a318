"""Consolidate the offices' workbooks: read, validate, compute, and shape the result for every output."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rse_xl import __version__
from rse_xl.controles import Gravite, Rapport
from rse_xl.fichiers import texte_chemin
from rse_xl.indicateurs import INTER, LIBELLE_INTER, Resultat, resultats_inter, resultats_office
from rse_xl.lecture import ClasseurLu
from rse_xl.memoire import collecteur_suspendu
from rse_xl.referentiel import Action, Convention, Fiche, Office, empreinte_referentiel, referentiel
from rse_xl.validation import valider_lot

MESURES = (
    "cible",
    "realise",
    "realise_saisi",
    "realise_registres",
    "numerateur",
    "denominateur",
    "atteinte",
    "evolution",
)


@dataclass(frozen=True)
class InfoFichier:
    """What the Journal says of one input file."""

    chemin: str
    fichier: str
    taille: int
    empreinte: str
    modifie: dt.datetime | None
    office: str | None  # code
    office_nom: str | None
    modele_version: int | None
    referentiel_empreinte: str | None
    outil_version: str | None
    etat: str | None
    referent: str | None
    date_maj: dt.date | None
    retenu: bool
    erreurs: int
    avertissements: int


@dataclass
class Consolidation:
    """Everything an output needs: the files used, the figures, and the report."""

    convention: Convention
    annee: int
    aujourdhui: dt.date
    genere_le: dt.datetime
    fichiers: list[InfoFichier]
    offices: list[Office]
    resultats: list[Resultat]
    rapport: Rapport
    version_outil: str = __version__
    empreinte_referentiel: str = field(default_factory=empreinte_referentiel)
    # The demo workbooks shipped with rse-xl, not real offices: every output says so.
    demonstration: bool = False
    # office code → the annotated copy written for it by « Retours aux offices » (rse_xl.retours), if any
    retours: dict[str, str] = field(default_factory=dict)
    _index: dict[tuple[str, str, int], Resultat] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {(r.office, r.action, r.annee): r for r in self.resultats}

    def resultat(self, office: str, action: str, annee: int) -> Resultat | None:
        return self._index.get((office, action, annee))

    @property
    def colonnes(self) -> list[tuple[str, str]]:
        """(code, label) of the result columns: each office retained, then the offices together."""
        return [(o.code, o.nom) for o in self.offices] + [(INTER, LIBELLE_INTER)]

    def actions(self) -> list[tuple[Fiche, Action]]:
        return [(f, a) for f in self.convention.fiches for a in f.actions]

    def fichier_de(self, office: str) -> InfoFichier | None:
        return next((f for f in self.fichiers if f.office == office and f.retenu), None)

    def donnees(self) -> list[dict[str, Any]]:
        """Tidy rows: one per office × action × year × measure, for pivot tables and exports."""
        noms = dict(self.colonnes)
        actions = {a.code: (f, a) for f, a in self.actions()}
        lignes: list[dict[str, Any]] = []
        for r in self.resultats:
            fiche, action = actions[r.action]
            fichier = self.fichier_de(r.office)
            unite = action.indicateur.unite
            mesures: list[tuple[str, float | None, str]] = [
                (m, getattr(r, m), "ratio" if m == "atteinte" else unite) for m in MESURES
            ]
            mesures += [(f"detail:{k}", v, "") for k, v in sorted(r.details.items())]
            for mesure, valeur, u in mesures:
                if valeur is None:
                    continue
                source = r.sources.get(mesure if mesure != "realise_saisi" else "realise", "")
                lignes.append(
                    {
                        "office": noms.get(r.office, r.office),
                        "code_office": r.office,
                        "fiche": fiche.code,
                        "action": r.action,
                        "annee": r.annee,
                        "mesure": mesure,
                        "valeur": float(valeur),
                        "unite": u,
                        "statut": r.statut.value,
                        "couverture": r.couverture or "",
                        "origine": r.origine.value if r.origine else "",
                        "exclu": r.exclu,
                        "fichier_source": fichier.fichier if fichier else "",
                        "cellule_source": source,
                    }
                )
        return lignes


def annee_par_defaut(convention: Convention, aujourdhui: dt.date) -> int:
    """The campaign year: this year within the period, else the nearest end of it."""
    debut, fin = convention.periode[0], convention.periode[-1]
    return min(max(aujourdhui.year, debut), fin)


def consolider(
    chemins: Sequence[Path],
    annee: int | None = None,
    aujourdhui: dt.date | None = None,
    convention: Convention | None = None,
    workers: int | None = 1,
    progression: Callable[[Path], None] | None = None,
    indicateurs: bool = True,
) -> Consolidation:
    """Read and validate every workbook, then compute every indicator per office and together.

    With ``indicateurs=False`` only the checks run (the report and the files' identity are the same): what
    the master's « Valider » button needs to draw its Contrôles sheet.

    Each workbook is read, validated and computed in one go by a worker (``workers`` at once, None: one per
    core), which then lets its cells and rows go: hundreds of workbooks hold in memory, and the result is
    the same whatever the number of workers.
    """
    with collecteur_suspendu():  # hundreds of workbooks' results: no pass over them all (rse_xl.memoire)
        return _consolider(chemins, annee, aujourdhui, convention, workers, progression, indicateurs)


def _consolider(
    chemins: Sequence[Path],
    annee: int | None,
    aujourdhui: dt.date | None,
    convention: Convention | None,
    workers: int | None,
    progression: Callable[[Path], None] | None,
    indicateurs: bool,
) -> Consolidation:
    convention = convention or referentiel()
    aujourdhui = aujourdhui or dt.date.today()
    if annee is None:
        annee = annee_par_defaut(convention, aujourdhui)
    validation, calcules = valider_lot(
        chemins,
        convention,
        aujourdhui,
        workers=workers,
        progression=progression,
        apres=calculer_puis_alleger if indicateurs else _seulement_alleger,
    )
    retenus = {c.office_code: c for c in validation.retenus if c.office_code}
    par_lu = {id(lu): resultats for lu, resultats in zip(validation.classeurs, calcules, strict=True)}
    offices = [o for o in convention.offices if o.code in retenus]
    par_office = {o.code: par_lu[id(retenus[o.code])] or [] for o in offices}
    resultats = [r for o in offices for r in par_office[o.code]]
    if indicateurs:
        resultats += resultats_inter(par_office, convention)
    return Consolidation(
        convention=convention,
        annee=annee,
        aujourdhui=aujourdhui,
        genere_le=dt.datetime.now().replace(microsecond=0),
        fichiers=[
            _info(c, c.office_code in retenus and retenus[c.office_code] is c) for c in validation.classeurs
        ],
        offices=offices,
        resultats=resultats,
        rapport=validation.rapport,
    )


def calculer_puis_alleger(
    lu: ClasseurLu, convention: Convention, aujourdhui: dt.date
) -> list[Resultat] | None:
    """A workbook's indicators, computed as soon as it is validated; then its rows go (see ``alleger``).

    Computed before the check across files: a workbook that turns out to share its office with another is
    left out afterwards, its figures unused; nothing else of that check changes them.
    """
    resultats = None
    if lu.lisible and lu.office is not None:
        resultats = resultats_office(lu, convention, aujourdhui.year)
    alleger(lu)
    return resultats


def _seulement_alleger(lu: ClasseurLu, convention: Convention, aujourdhui: dt.date) -> None:
    """Checks only: no indicator, the workbook's rows go at once."""
    alleger(lu)


def alleger(lu: ClasseurLu) -> None:
    """Let a workbook's inputs and register rows go, once its indicators are computed.

    What is kept is what the Journal and the report need: the file's identity and its problems.
    """
    lu.saisies = {}
    lu.calcules = {}
    lu.registres = {}
    lu.lignes_indexees = {}


def _info(c: ClasseurLu, retenu: bool) -> InfoFichier:
    def texte(nom: str) -> str | None:
        v = c.identite.get(nom)
        return str(v.valeur) if v is not None and v.renseignee else None

    date = c.identite.get("ID_DATE")
    return InfoFichier(
        chemin=texte_chemin(c.chemin),
        fichier=c.fichier,
        taille=c.taille,
        empreinte=c.empreinte,
        modifie=c.modifie,
        office=c.office_code,
        office_nom=c.office.nom if c.office else None,
        modele_version=c.modele_version,
        referentiel_empreinte=c.referentiel_empreinte,
        outil_version=c.outil_version,
        etat=texte("ID_ETAT"),
        referent=texte("ID_REFERENT"),
        date_maj=date.valeur if date is not None and isinstance(date.valeur, dt.date) else None,
        retenu=retenu,
        erreurs=sum(p.gravite is Gravite.ERREUR for p in c.problemes),
        avertissements=sum(p.gravite is Gravite.AVERTISSEMENT for p in c.problemes),
    )
