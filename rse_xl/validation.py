"""Validate office workbooks: the checks that need more than one cell, and the checks across files."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rse_xl import conversion as cv
from rse_xl.controles import Rapport
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
from rse_xl.lecture import LONGUEUR_TEXTE_MAX, ClasseurLu, LigneRegistre, ValeurLue, lire_classeur
from rse_xl.referentiel import (
    Action,
    Convention,
    Mesure,
    Registre,
    TypeIndicateur,
    empreinte_referentiel,
    referentiel,
)
from rse_xl.regles import calculer
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
    workers: int = 1,
    progression: Callable[[Path], None] | None = None,
) -> Validation:
    """Read and validate every file; one bad file never stops the others."""
    convention = convention or referentiel()
    aujourdhui = aujourdhui or dt.date.today()

    def traiter(chemin: Path) -> ClasseurLu:
        lu = lire_classeur(chemin, convention)
        if lu.lisible:
            valider_classeur(lu, convention, aujourdhui)
        if progression:
            progression(chemin)
        return lu

    if workers > 1 and len(chemins) > 1:
        # python-calamine releases the GIL while parsing: threads overlap the reading of several files.
        with ThreadPoolExecutor(max_workers=workers) as pool:
            classeurs = list(pool.map(traiter, chemins))
    else:
        classeurs = [traiter(c) for c in chemins]
    _doublons(classeurs)
    rapport = Rapport(fichiers=[str(c.chemin) for c in classeurs])
    for c in classeurs:
        rapport.ajouter(c.problemes)
    return Validation(rapport, classeurs)


def _doublons(classeurs: Iterable[ClasseurLu]) -> None:
    par_office: dict[str, list[ClasseurLu]] = defaultdict(list)
    for c in classeurs:
        if c.office is not None:
            par_office[c.office.code].append(c)
    for groupe in par_office.values():
        if len(groupe) > 1:
            noms = ", ".join(c.fichier for c in groupe)
            for c in groupe:
                c.doublon = True
                c.signaler(
                    "office-en-double",
                    nom_office=c.office.nom if c.office else "",
                    fichiers=noms,
                    onglet="Identité",
                )


def valider_classeur(lu: ClasseurLu, convention: Convention, aujourdhui: dt.date) -> None:
    """Add to ``lu.problemes`` every check beyond single cells; mark excluded rows and values."""
    _identite(lu, convention)
    for spec in REGISTRES.values():
        for ligne in lu.registres.get(spec.registre, ()):
            _ligne(lu, spec.registre, ligne, aujourdhui)
    _donnees_annuelles(lu)
    for fiche in convention.fiches:
        for action in fiche.actions:
            for annee in convention.periode:
                _action_annee(lu, action, annee, convention, aujourdhui)


def _identite(lu: ClasseurLu, convention: Convention) -> None:
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


def _ligne(lu: ClasseurLu, registre: Registre, ligne: LigneRegistre, aujourdhui: dt.date) -> None:
    spec = REGISTRES[registre]
    onglet = spec.onglet
    v = ligne.valeurs

    def signaler(code: str, cle: str, **kw: object) -> None:
        lu.signaler(code, onglet=onglet, cellule=ligne.cellules.get(cle), **kw)

    for col in spec.colonnes:
        if col.cle not in ligne.cellules:
            continue
        valeur = v.get(col.cle)
        if col.requis and valeur is None and cv.est_vide(ligne.bruts.get(col.cle)):
            ligne.exclue = True
            signaler("ligne-incomplete", col.cle, colonne=col.entete)
        if col.type is TypeColonne.DATE and isinstance(valeur, dt.date):
            texte = f"{valeur:%d/%m/%Y}"
            if not DATE_MIN <= valeur <= DATE_MAX:
                ligne.exclue = True
                signaler("date-invraisemblable", col.cle, valeur=texte)
            elif valeur > aujourdhui:
                signaler("date-future", col.cle, valeur=texte, aujourdhui=f"{aujourdhui:%d/%m/%Y}")
            elif registre is Registre.JOURNAL and not 2025 <= valeur.year <= 2027:
                signaler("date-hors-periode", col.cle, valeur=texte, debut="2025", fin="2027")
        if (
            col.type in (TypeColonne.TEXTE, TypeColonne.LIEN)
            and isinstance(valeur, str)
            and len(valeur) > LONGUEUR_TEXTE_MAX
        ):
            signaler(
                "texte-trop-long", col.cle, longueur=f"{len(valeur):,}".replace(",", " "), maximum="2 000"
            )
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
        _operation(lu, ligne, signaler)
    if registre is Registre.JOURNAL and v.get("action") == "F07.A1" and not v.get("illustration"):
        signaler(
            "ligne-a-completer",
            "illustration",
            colonne="Lien illustration",
            conseil="sans illustration, l'action n'est pas comptée dans l'indicateur 7.1",
        )


def _operation(lu: ClasseurLu, ligne: LigneRegistre, signaler: Callable[..., None]) -> None:
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


def _action_annee(lu: ClasseurLu, action: Action, annee: int, conv: Convention, aujourdhui: dt.date) -> None:
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
        if lu.lignes_valides(regle):
            calcul = calculer(action, annee, {regle: lu.lignes_valides(regle)}, conv.parametres)
            if (
                calcul is not None
                and calcul.valeur is not None
                and not concordent(action, realise.valeur, calcul.valeur)
            ):
                lu.signaler(
                    "ecart-registre",
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
