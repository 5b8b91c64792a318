"""Validate office workbooks: the checks that need more than one cell, and the checks across files."""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from typing import Any

from rse_xl import conversion as cv
from rse_xl.controles import Rapport
from rse_xl.fichiers import texte_chemin
from rse_xl.layout import (
    CLASSES_DPE,
    DATE_MAX,
    DATE_MIN,
    REGISTRES,
    TYPES_AVEC_RATIO,
    Champ,
    TypeColonne,
    a_un_calcul,
)
from rse_xl.lecture import (
    LONGUEUR_TEXTE_MAX,
    ClasseurLu,
    LigneRegistre,
    ValeurLue,
    colonnes_communes,
    lire_classeur,
)
from rse_xl.memoire import apres_fork, collecteur_suspendu
from rse_xl.referentiel import (
    Action,
    Convention,
    Mesure,
    Office,
    Registre,
    TypeIndicateur,
    empreinte_referentiel,
    referentiel,
)
from rse_xl.regles import LignesIndexees, calculer, lignes_valides, tenu_pour
from rse_xl.tolerances import concordent

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Date pairs that must be in order, per register: (earlier, later).
ORDRES_DATES = {
    Registre.MARCHES: (("date_lancement", "date_notification"),),
    Registre.OPERATIONS: (("date_lancement", "date_livraison"),),
    Registre.VEHICULES: (("date_entree", "date_sortie"),),
    Registre.EQUIPEMENTS: (("date_service", "date_retrait"),),
}


@dataclass
class Validation:
    """The outcome of validating a set of files: the report and what was read."""

    rapport: Rapport
    classeurs: list[ClasseurLu] = field(default_factory=list)

    @property
    def retenus(self) -> list[ClasseurLu]:
        """Workbooks fit for consolidation: readable, one per office."""
        return [c for c in self.classeurs if c.lisible and c.office is not None and not c.doublon]


def valider(
    chemins: Sequence[Path],
    convention: Convention | None = None,
    aujourdhui: dt.date | None = None,
    workers: int | None = 1,
    progression: Callable[[Path], None] | None = None,
) -> Validation:
    """Read and validate every file; one bad file never stops the others.

    ``workers`` files are read at once (None: one per core); the order of the files and of the report never
    depends on it. ``progression`` is called once per file done, always on the calling thread (it may drive
    a user interface).
    """
    return valider_lot(chemins, convention, aujourdhui, workers, progression)[0]


# A batch is spread over processes from this many files per worker (below, threads: no start-up to pay).
FICHIERS_PAR_PROCESSUS = 4


def valider_lot(
    chemins: Sequence[Path],
    convention: Convention | None = None,
    aujourdhui: dt.date | None = None,
    workers: int | None = 1,
    progression: Callable[[Path], None] | None = None,
    apres: Callable[[ClasseurLu, Convention, dt.date], Any] | None = None,
) -> tuple[Validation, list[Any]]:
    """``valider``, and per file what ``apres(lu, convention, aujourdhui)`` returns, in the order of the files.

    ``apres`` runs where the file was read, right after its validation (consolidation computes the indicators
    there and lets the rows go): a module-level function, since a batch may be spread over processes. Reading
    is mostly Python, which threads do not run in parallel: a batch of many files goes to worker processes,
    each reading, validating and computing whole files and sending back only what is kept.
    """
    convention = convention or referentiel()
    aujourdhui = aujourdhui or dt.date.today()
    workers = min(workers or os.cpu_count() or 1, len(chemins))
    faits: list[tuple[ClasseurLu, Any]] = []

    def fait(chemin: Path, resultat: tuple[ClasseurLu, Any]) -> None:
        faits.append(resultat)
        if progression:
            progression(chemin)

    if workers <= 1:
        for chemin in chemins:
            fait(chemin, _traiter(chemin, convention, aujourdhui, apres))
    else:
        # Processes send back what they made: only worth it when ``apres`` keeps little (consolidation).
        en_processus = apres is not None and len(chemins) >= FICHIERS_PAR_PROCESSUS * workers
        pool = _processus(workers, convention, aujourdhui, apres) if en_processus else None
        if pool is None:
            # python-calamine releases the GIL while parsing: threads overlap the reading of a few files.
            with ThreadPoolExecutor(max_workers=workers) as fils:
                taches = fils.map(lambda c: _traiter(c, convention, aujourdhui, apres), chemins)
                for chemin, resultat in zip(chemins, taches, strict=True):
                    fait(chemin, resultat)
        else:
            with pool:
                try:
                    taches = pool.map(_traiter_en_processus, chemins, chunksize=2)
                    for chemin, resultat in zip(chemins, taches, strict=True):
                        fait(chemin, resultat)
                except (BrokenProcessPool, OSError):
                    # A worker died (killed for memory…) or the pool could not start: the files not yet
                    # done are read here, one after the other.
                    for chemin in chemins[len(faits) :]:
                        fait(chemin, _traiter(chemin, convention, aujourdhui, apres))
    classeurs = [lu for lu, _ in faits]
    _doublons(classeurs)
    rapport = Rapport(fichiers=[texte_chemin(c.chemin) for c in classeurs])
    for c in classeurs:
        rapport.ajouter(c.problemes)
    return Validation(rapport, classeurs), [extra for _, extra in faits]


def _traiter(
    chemin: Path,
    convention: Convention,
    aujourdhui: dt.date,
    apres: Callable[[ClasseurLu, Convention, dt.date], Any] | None,
) -> tuple[ClasseurLu, Any]:
    """One file: read, validate, then ``apres``; an unexpected error becomes a problem of that file."""
    try:
        with collecteur_suspendu():
            lu = lire_classeur(chemin, convention)
            if lu.lisible:
                valider_classeur(lu, convention, aujourdhui)
            return lu, (apres(lu, convention, aujourdhui) if apres is not None else None)
    except Exception as exc:  # a defect of rse-xl on one odd file must not cost the others their report
        lu = ClasseurLu(chemin=Path(chemin))
        lu.signaler("fichier-illisible", detail=f"erreur inattendue de rse-xl, {type(exc).__name__} : {exc}")
        return lu, None


_CONTEXTE_PROCESSUS: dict[str, Any] = {}


def _initialiser_processus(
    convention: Convention,
    aujourdhui: dt.date,
    apres: Callable[[ClasseurLu, Convention, dt.date], Any] | None,
) -> None:
    """In each worker process, once: what every file of the batch shares.

    The worker is a fork of a process that may run other threads (a progress bar writing to the terminal):
    it gets its own standard streams, so that no lock a thread of the parent held at the fork can block it.
    """
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (for the life of the worker)
    apres_fork()
    _CONTEXTE_PROCESSUS.update(convention=convention, aujourdhui=aujourdhui, apres=apres)


def _traiter_en_processus(chemin: Path) -> tuple[ClasseurLu, Any]:
    c = _CONTEXTE_PROCESSUS
    return _traiter(chemin, c["convention"], c["aujourdhui"], c["apres"])


def _processus(
    workers: int,
    convention: Convention,
    aujourdhui: dt.date,
    apres: Callable[[ClasseurLu, Convention, dt.date], Any] | None,
) -> ProcessPoolExecutor | None:
    """Worker processes for a batch, forked from this one; None where there is no fork (threads then).

    Forked, not spawned: a worker starts in a few milliseconds with every module loaded, and nothing of the
    caller's main script is run again in it.
    """
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None  # Windows: each worker would start Python and import everything afresh
    try:
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_initialiser_processus,
            initargs=(convention, aujourdhui, apres),
        )
    except (OSError, ImportError, ValueError):  # no semaphores (some sandboxes), no multiprocessing
        return None


def _doublons(classeurs: Iterable[ClasseurLu]) -> None:
    par_office: dict[str, tuple[Office, list[ClasseurLu]]] = {}
    for c in classeurs:
        if c.office is not None:
            par_office.setdefault(c.office.code, (c.office, []))[1].append(c)
    for office, groupe in par_office.values():
        if len(groupe) > 1:
            noms = ", ".join(c.fichier for c in groupe)
            for c in groupe:
                c.doublon = True
                c.signaler("office-en-double", nom_office=office.nom, fichiers=noms, onglet="Identité")


def valider_classeur(lu: ClasseurLu, convention: Convention, aujourdhui: dt.date) -> None:
    """Add to ``lu.problemes`` every check beyond single cells; mark excluded rows and values."""
    _identite(lu, convention, aujourdhui)
    for spec in REGISTRES.values():
        lignes = lu.registres.get(spec.registre, [])
        for i in _lignes_a_controler(lignes, spec.registre, aujourdhui, convention):
            _ligne(lu, spec.registre, lignes[i], aujourdhui, convention)
    _donnees_annuelles(lu)
    valides: dict[Registre, LignesIndexees] = {}  # rows are all checked: take the valid ones once
    for fiche in convention.fiches:
        for action in fiche.actions:
            for annee in convention.periode:
                _action_annee(lu, action, annee, convention, aujourdhui, valides)


def _identite(lu: ClasseurLu, convention: Convention, aujourdhui: dt.date) -> None:
    from rse_xl.layout import IDENTITE

    for champ in IDENTITE:
        v = lu.identite.get(champ.nom)
        if v is None:
            continue
        if champ.requis and not v.renseignee and champ.nom != "ID_OFFICE":
            lu.signaler("identite-incomplete", onglet=v.onglet, cellule=v.cellule, champ=champ.libelle)
    email = lu.identite.get("ID_EMAIL")
    if email and email.renseignee and not _EMAIL.match(str(email.valeur)):
        lu.signaler(
            "email-invalide", onglet=email.onglet, cellule=email.cellule, valeur=cv.decrire(email.brut)
        )
    date = lu.identite.get("ID_DATE")
    if date and isinstance(date.valeur, dt.date) and date.valeur > aujourdhui:
        lu.signaler(
            "date-maj-future",
            onglet=date.onglet,
            cellule=date.cellule,
            valeur=f"{date.valeur:%d/%m/%Y}",
            aujourdhui=f"{aujourdhui:%d/%m/%Y}",
        )
    etat = lu.identite.get("ID_ETAT")
    if etat and etat.renseignee and cv.cle_liste(str(etat.valeur)) == "brouillon":
        lu.signaler("saisie-brouillon", onglet=etat.onglet, cellule=etat.cellule, valeur=str(etat.valeur))
    office = lu.identite.get("ID_OFFICE")
    if lu.office and lu.office_modele and lu.office.code != lu.office_modele and office:
        attendu = next((o.nom for o in convention.offices if o.code == lu.office_modele), lu.office_modele)
        lu.signaler(
            "office-incoherent",
            onglet=office.onglet,
            cellule=office.cellule,
            valeur=lu.office.nom,
            attendu=attendu,
        )
    if lu.referentiel_empreinte and lu.referentiel_empreinte != empreinte_referentiel():
        lu.signaler(
            "referentiel-different", trouve=lu.referentiel_empreinte[:8], attendu=empreinte_referentiel()[:8]
        )


# What each register column is checked for, row by row: (key, header, required, kind).
_AUTRE, _DATE, _TEXTE = 0, 1, 2
_COLONNES_CONTROLEES: dict[Registre, tuple[tuple[str, str, bool, int], ...]] = {
    spec.registre: tuple(
        (
            col.cle,
            col.entete,
            col.requis,
            _DATE
            if col.type is TypeColonne.DATE
            else _TEXTE
            if col.type in (TypeColonne.TEXTE, TypeColonne.LIEN)
            else _AUTRE,
        )
        for col in spec.colonnes
        if col.requis or col.type in (TypeColonne.DATE, TypeColonne.TEXTE, TypeColonne.LIEN)
    )
    for spec in REGISTRES.values()
}


def _lignes_a_controler(
    lignes: Sequence[LigneRegistre],
    registre: Registre,
    aujourdhui: dt.date,
    convention: Convention,
) -> Iterable[int]:
    """Indexes of the rows ``_ligne`` could report on or exclude, in order: the others need not be visited.

    Column by column, with bounds (the earliest and latest date of a column, the longest text) rather than
    row by row: a register of thousands of clean rows is cleared in a few passes. Always a superset of the
    rows with a problem; when unsure (rows of different shapes, values of unexpected types), every row.
    """
    tous = range(len(lignes))
    presentes = colonnes_communes(lignes)
    if presentes is None:
        return tous
    valeurs = list(map(attrgetter("valeurs"), lignes))
    suspectes: set[int] = set()
    debut, fin = DATE_MIN, min(DATE_MAX, aujourdhui)
    if registre is Registre.JOURNAL:
        debut, fin = max(debut, dt.date(2025, 1, 1)), min(fin, dt.date(2027, 12, 31))
    try:
        for cle, _entete, requis, genre in _COLONNES_CONTROLEES[registre]:
            if cle not in presentes:
                continue
            colonne = list(map(dict.get, valeurs, repeat(cle)))
            if requis and None in colonne:
                suspectes.update(i for i, x in enumerate(colonne) if x is None)
            renseignees = [x for x in colonne if x is not None]
            if not renseignees:
                continue
            if genre == _DATE and not (debut <= min(renseignees) and max(renseignees) <= fin):
                suspectes.update(
                    i for i, x in enumerate(colonne) if isinstance(x, dt.date) and not debut <= x <= fin
                )
            elif genre == _TEXTE and max(map(len, renseignees)) > LONGUEUR_TEXTE_MAX:
                suspectes.update(
                    i for i, x in enumerate(colonne) if isinstance(x, str) and len(x) > LONGUEUR_TEXTE_MAX
                )
    except TypeError:  # values that do not compare (a date and a text…): look at every row
        return tous
    for avant, apres in ORDRES_DATES.get(registre, ()):
        suspectes.update(
            i
            for i, v in enumerate(valeurs)
            if isinstance(d1 := v.get(avant), dt.date) and isinstance(d2 := v.get(apres), dt.date) and d2 < d1
        )
    if registre is Registre.OPERATIONS:
        suspectes.update(i for i, v in enumerate(valeurs) if _operation_a_signaler(v))
    if registre is Registre.MARCHES:
        depuis = convention.parametres.date_critere_environnemental
        suspectes.update(i for i, v in enumerate(valeurs) if _sans_critere_obligatoire(v, depuis))
    if registre is Registre.JOURNAL:
        suspectes.update(
            i for i, v in enumerate(valeurs) if v.get("action") == "F07.A1" and not v.get("illustration")
        )
    return sorted(suspectes)


def _operation_a_signaler(v: dict[str, Any]) -> bool:
    """Could ``_operation`` report on this row? (its three conditions, unchanged)"""
    avant, apres = v.get("dpe_avant"), v.get("dpe_apres")
    if avant in CLASSES_DPE and apres in CLASSES_DPE and CLASSES_DPE.index(apres) > CLASSES_DPE.index(avant):
        return True
    m1, m2 = v.get("methode_avant"), v.get("methode_apres")
    if m1 and m2 and m1 != m2:
        return True
    return bool(v.get("type") == "Réhabilitation" and v.get("date_livraison") and avant and not apres)


def _sans_critere_obligatoire(v: dict[str, Any], depuis: dt.date) -> bool:
    """A contract launched once the environmental award criterion is compulsory, without one."""
    lancement = v.get("date_lancement")
    return isinstance(lancement, dt.date) and lancement >= depuis and v.get("criteres_env") is False


def _ligne(
    lu: ClasseurLu,
    registre: Registre,
    ligne: LigneRegistre,
    aujourdhui: dt.date,
    convention: Convention,
) -> None:
    spec = REGISTRES[registre]
    onglet = spec.onglet
    v = ligne.valeurs

    def signaler(code: str, cle: str, **kw: object) -> None:
        lu.signaler(code, onglet=onglet, cellule=ligne.cellules.get(cle), **kw)

    for cle, entete, requis, genre in _COLONNES_CONTROLEES[registre]:
        if not ligne.a_la_colonne(cle):
            continue
        valeur = v.get(cle)
        if valeur is None:
            if requis and cv.est_vide(ligne.bruts.get(cle)):
                ligne.exclue = True
                signaler("ligne-incomplete", cle, colonne=entete)
            continue
        if genre == _DATE:
            if isinstance(valeur, dt.date):
                if not DATE_MIN <= valeur <= DATE_MAX:
                    ligne.exclue = True
                    signaler("date-invraisemblable", cle, valeur=f"{valeur:%d/%m/%Y}")
                elif valeur > aujourdhui:
                    signaler(
                        "date-future", cle, valeur=f"{valeur:%d/%m/%Y}", aujourdhui=f"{aujourdhui:%d/%m/%Y}"
                    )
                elif registre is Registre.JOURNAL and not 2025 <= valeur.year <= 2027:
                    signaler("date-hors-periode", cle, valeur=f"{valeur:%d/%m/%Y}", debut="2025", fin="2027")
        elif genre == _TEXTE and isinstance(valeur, str) and len(valeur) > LONGUEUR_TEXTE_MAX:
            signaler("texte-trop-long", cle, longueur=f"{len(valeur):,}".replace(",", " "), maximum="2 000")
    for avant, apres in ORDRES_DATES.get(registre, ()):
        d1, d2 = v.get(avant), v.get(apres)
        if isinstance(d1, dt.date) and isinstance(d2, dt.date) and d2 < d1:
            ligne.exclue = True
            signaler(
                "dates-incoherentes",
                apres,
                valeur=f"{d2:%d/%m/%Y}",
                apres=spec.colonne(apres).entete,
                avant=spec.colonne(avant).entete,
                valeur_avant=f"{d1:%d/%m/%Y}",
            )
    if registre is Registre.OPERATIONS:
        _operation(ligne, signaler)
    if registre is Registre.MARCHES:
        depuis = convention.parametres.date_critere_environnemental
        if _sans_critere_obligatoire(v, depuis):
            signaler(
                "critere-environnemental-obligatoire",
                "criteres_env",
                valeur=f"{v['date_lancement']:%d/%m/%Y}",
                depuis=f"{depuis:%d/%m/%Y}",
            )
    if registre is Registre.JOURNAL and v.get("action") == "F07.A1" and not v.get("illustration"):
        signaler(
            "ligne-a-completer",
            "illustration",
            colonne="Lien illustration",
            conseil="sans illustration, l'action n'est pas comptée dans l'indicateur 7.1",
        )


def _operation(ligne: LigneRegistre, signaler: Callable[..., None]) -> None:
    v = ligne.valeurs
    avant, apres = v.get("dpe_avant"), v.get("dpe_apres")
    if avant in CLASSES_DPE and apres in CLASSES_DPE and CLASSES_DPE.index(apres) > CLASSES_DPE.index(avant):
        signaler("dpe-degrade", "dpe_apres", valeur=apres, avant=avant, apres=apres)
    m1, m2 = v.get("methode_avant"), v.get("methode_apres")
    if m1 and m2 and m1 != m2:
        signaler("methode-dpe-differente", "methode_apres", valeur=m2, avant=m1, apres=m2)
    if v.get("type") == "Réhabilitation" and v.get("date_livraison") and avant and not apres:
        signaler(
            "ligne-a-completer",
            "dpe_apres",
            colonne="DPE après",
            conseil="sans elle, l'opération livrée n'entre pas dans la comparaison DPE (2.2)",
        )


def _donnees_annuelles(lu: ClasseurLu) -> None:
    spec = REGISTRES[Registre.DONNEES_ANNUELLES]
    vues: dict[int, int] = defaultdict(int)
    for ligne in lu.registres.get(Registre.DONNEES_ANNUELLES, ()):
        annee = ligne.valeurs.get("annee")
        if isinstance(annee, int):
            vues[annee] += 1
            if vues[annee] == 2:
                lu.signaler(
                    "annee-en-double",
                    onglet=spec.onglet,
                    cellule=ligne.cellules.get("annee"),
                    valeur=str(annee),
                    table=spec.titre,
                )
        dep, tot = ligne.valeurs.get("bilan_deplacements"), ligne.valeurs.get("bilan_total")
        if isinstance(dep, int | float) and isinstance(tot, int | float) and dep > tot:
            ligne.exclue = True
            lu.signaler(
                "numerateur-superieur",
                onglet=spec.onglet,
                cellule=ligne.cellules.get("bilan_deplacements"),
                numerateur=cv.decrire(dep),
                denominateur=cv.decrire(tot),
                annee=annee,
            )


def _action_annee(
    lu: ClasseurLu,
    action: Action,
    annee: int,
    conv: Convention,
    aujourdhui: dt.date,
    valides: dict[Registre, LignesIndexees] | None = None,
) -> None:
    code = action.code
    ind = action.indicateur
    cible_conv = ind.cibles[annee]
    ctx = {"action": code, "annee": annee}
    etape = lu.saisie(code, annee, Champ.ETAPE)
    cible = lu.saisie(code, annee, Champ.CIBLE)
    realise = lu.saisie(code, annee, Champ.REALISE)
    justificatif = lu.saisie(code, annee, Champ.JUSTIFICATIF)
    echu = annee <= aujourdhui.year  # past or current year

    def manquant(v: ValeurLue | None, quoi: str) -> None:
        if v is not None and v.valide and not v.renseignee:
            lu.signaler("valeur-manquante", onglet=v.onglet, cellule=v.cellule, quoi=quoi, **ctx)

    if echu:
        manquant(etape, "L'état de l'étape")
        if cible_conv.fixee_par_office:
            manquant(cible, "L'objectif-cible")
        if (
            cible_conv.mesure is Mesure.VALEUR
            and not a_un_calcul(action)
            and ind.type not in TYPES_AVEC_RATIO
        ):
            manquant(realise, "Le réalisé")
    if etape and etape.valeur == "Réalisé" and justificatif is not None and not justificatif.renseignee:
        lu.signaler("justificatif-manquant", onglet=justificatif.onglet, cellule=justificatif.cellule, **ctx)
    if ind.type in TYPES_AVEC_RATIO:
        _ratio(lu, action, annee, ctx)
    if realise and realise.valide and isinstance(realise.valeur, int | float) and a_un_calcul(action):
        regle = ind.source.registre
        assert regle is not None
        lignes = lignes_valides(lu, regle, valides)
        declare = lu.registres_tenus.get((regle, annee))  # the office's answer (template version 2)
        if declare is not False and (lignes or declare):
            calcul = calculer(action, annee, {regle: lignes}, conv.parametres)
            if (
                calcul is not None
                and calcul.valeur is not None
                and not concordent(action, realise.valeur, calcul.valeur)
            ):
                tenu = declare or tenu_pour(regle, lignes, annee)
                lu.signaler(
                    "ecart-registre" if tenu else "registre-non-tenu",
                    onglet=realise.onglet,
                    cellule=realise.cellule,
                    valeur=_afficher(ind.type, realise.valeur),
                    calcule=_afficher(ind.type, calcul.valeur),
                    registre=REGISTRES[regle].onglet,
                    **ctx,
                )


def _ratio(lu: ClasseurLu, action: Action, annee: int, ctx: dict[str, object]) -> None:
    num = lu.saisie(action.code, annee, Champ.NUMERATEUR)
    den = lu.saisie(action.code, annee, Champ.DENOMINATEUR)
    realise = lu.saisie(action.code, annee, Champ.REALISE)
    if not (num and den and num.valide and den.valide and num.renseignee and den.renseignee):
        return
    n, d = float(num.valeur), float(den.valeur)
    if d == 0 and n > 0:
        num.valide = den.valide = False
        lu.signaler(
            "denominateur-nul", onglet=den.onglet, cellule=den.cellule, numerateur=cv.decrire(n), **ctx
        )
    elif n > d:
        num.valide = den.valide = False
        lu.signaler(
            "numerateur-superieur",
            onglet=num.onglet,
            cellule=num.cellule,
            numerateur=cv.decrire(n),
            denominateur=cv.decrire(d),
            **ctx,
        )
    elif (
        d
        and realise
        and realise.valide
        and isinstance(realise.valeur, int | float)
        and abs(realise.valeur - n / d) > 0.005
    ):
        lu.signaler(
            "ratio-incoherent",
            onglet=realise.onglet,
            cellule=realise.cellule,
            valeur=_afficher(TypeIndicateur.TAUX, realise.valeur),
            ratio=_afficher(TypeIndicateur.TAUX, n / d),
            **ctx,
        )


def _afficher(kind: TypeIndicateur, x: float) -> str:
    if kind in TYPES_AVEC_RATIO:
        return f"{x * 100:.1f} %".replace(".", ",")
    return cv.decrire(round(x, 2))
