"""One workbook: the file looked at first, then the template's identity, the Identité sheet, and the rest."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from stat import S_ISDIR, S_ISFIFO, S_ISREG

from rse_xl import conversion as cv
from rse_xl.fichiers import empreinte, raison
from rse_xl.layout import (
    APPORTS_VERSIONS,
    IDENTITE,
    MODELE_VERSION,
    NOM_MODELE_IDENTIFIANT,
    NOM_MODELE_VERSION,
    NOM_OFFICE_CODE,
    NOM_OUTIL_VERSION,
    NOM_REFERENTIEL_EMPREINTE,
    ONGLET_IDENTITE,
    VERSIONS_CONNUES,
    nom_registre_tenu,
    registres_declarables,
)
from rse_xl.lecture.donnees import ClasseurLu
from rse_xl.lecture.feuilles import _A1, _Feuilles
from rse_xl.lecture.fiches import _PLANS, _Fiches
from rse_xl.lecture.registres import _Registres
from rse_xl.ooxml import Nature, Paquet, PaquetError, nature_fichier
from rse_xl.referentiel import Convention, Office, referentiel


def oublier_memoires() -> None:
    """Forget what reading keeps from one workbook to the next (parsed layouts, cell names).

    Only a benchmark needs it, to time a first reading as a new process would.
    """
    from rse_xl import ooxml

    _A1.clear()
    _PLANS.clear()
    _OFFICES.clear()
    ooxml._CLASSEURS.clear()
    ooxml._POSITIONS.clear()


# A text file under these names is a sheet exported by a spreadsheet, to re-save as .xlsx.
EXTENSIONS_TEXTE = (".csv", ".tsv", ".txt")

_DESCRIPTION_NATURE = {
    Nature.TEXTE: "fichier texte",
    Nature.VIDE: "fichier vide",
    Nature.INCONNU: "contenu binaire inconnu",
    Nature.CFB_AUTRE: "document Office d'un autre type",
}


def _nature_speciale(mode: int) -> str:
    if S_ISDIR(mode):
        return "c'est un dossier, pas un fichier"
    if S_ISFIFO(mode):
        return "tube nommé, pas un fichier ordinaire"
    return "périphérique ou fichier spécial, pas un fichier ordinaire"


def lire_classeur(chemin: Path, convention: Convention | None = None) -> ClasseurLu:
    """Read one office workbook; never raises on bad content (problems are in ``ClasseurLu.problemes``)."""
    convention = convention or referentiel()
    lu = ClasseurLu(chemin=Path(chemin))
    try:
        stat = os.stat(lu.chemin)
        if not S_ISREG(stat.st_mode):
            # A named pipe or a device would block the first read forever: never opened.
            lu.signaler("type-fichier-inconnu", detail=_nature_speciale(stat.st_mode))
            return lu
        lu.taille = stat.st_size
        lu.modifie = dt.datetime.fromtimestamp(stat.st_mtime)
        lu.empreinte = empreinte(lu.chemin)
        lu.nature = nature_fichier(lu.chemin)
    except OSError as exc:
        lu.signaler("fichier-introuvable", detail=raison(exc))
        return lu
    if lu.nature is Nature.XLS:
        lu.signaler("format-xls")
        return lu
    if lu.nature is Nature.CHIFFRE:
        lu.signaler("fichier-protege")
        return lu
    if lu.nature is Nature.TEXTE and lu.chemin.suffix.lower() in EXTENSIONS_TEXTE:
        lu.signaler("format-autre-tableur", detail=f"Fichier {lu.chemin.suffix[1:].upper()} (texte)")
        return lu
    if lu.nature is not Nature.ZIP_AUTRE:
        lu.signaler("type-fichier-inconnu", detail=_DESCRIPTION_NATURE.get(lu.nature, lu.nature.value))
        return lu
    try:
        paquet = Paquet.ouvrir(lu.chemin)
    except PaquetError as exc:
        lu.signaler(exc.code, detail=exc.detail, **({"onglet": exc.onglet} if exc.onglet else {}))
        return lu
    try:
        lu.nature = paquet.nature
        _Lecteur(lu, paquet, convention).lire()
    finally:
        paquet.fermer()
    return lu


class _Lecteur:
    """One workbook's reading: the template's identity and versions, the Identité sheet, then the fiche sheets
    (``_Fiches``) and the registers (``_Registres``), all from the same sheets (``_Feuilles``)."""

    def __init__(self, lu: ClasseurLu, paquet: Paquet, convention: Convention) -> None:
        self.lu = lu
        self.paquet = paquet
        self.conv = convention
        self.feuilles = _Feuilles(lu, paquet)
        self.fiches = _Fiches(lu, paquet, self.feuilles)
        self.registres = _Registres(lu, paquet, self.feuilles, convention)

    def lire(self) -> None:
        lu, paquet = self.lu, self.paquet
        if NOM_MODELE_IDENTIFIANT not in paquet.noms:
            lu.signaler("modele-inconnu", detail="nom défini RSE_MODELE absent")
            return
        if not self.feuilles.ouvrir():
            return
        lu.lisible = True
        if lu.nature is Nature.XLSM:
            lu.signaler("macros-ignorees")
        ident = self.feuilles.lire_nomme(NOM_MODELE_IDENTIFIANT, cv.en_texte)
        if ident is None or ident.valeur != "rse-xl/classeur-office":
            lu.signaler(
                "modele-inconnu", detail=f"identifiant « {cv.decrire(ident.brut if ident else None)} »"
            )
            lu.lisible = False
            return
        version = self.feuilles.lire_nomme(NOM_MODELE_VERSION, cv.en_entier)
        lu.modele_version = version.valeur if version else None
        if lu.modele_version not in VERSIONS_CONNUES:
            connues = ", ".join(map(str, VERSIONS_CONNUES))
            v = cv.decrire(version.brut if version else None)
            if isinstance(lu.modele_version, int) and lu.modele_version < min(VERSIONS_CONNUES):
                lu.signaler("version-modele-ancienne", version=v)
            else:
                lu.signaler("version-modele-inconnue", version=v, connues=connues)
            lu.lisible = False
            return
        if lu.modele_version < MODELE_VERSION:
            lu.signaler(
                "modele-a-migrer",
                version=str(lu.modele_version),
                actuelle=str(MODELE_VERSION),
                apport=" ; ".join(t for v, t in sorted(APPORTS_VERSIONS.items()) if v > lu.modele_version),
                classeur=lu.fichier,
            )
        emp = self.feuilles.lire_nomme(NOM_REFERENTIEL_EMPREINTE, cv.en_texte)
        lu.referentiel_empreinte = emp.valeur if emp else None
        outil = self.feuilles.lire_nomme(NOM_OUTIL_VERSION, cv.en_texte, signaler_absent=False)
        lu.outil_version = outil.valeur if outil else None
        code = self.feuilles.lire_nomme(NOM_OFFICE_CODE, cv.en_texte, signaler_absent=False)
        lu.office_modele = code.valeur if code else None
        self._identite()
        fiches = self.fiches
        for fiche in self.conv.fiches:
            onglet = fiches.onglet_de(fiche)
            if onglet is None:
                lu.signaler("onglet-manquant", onglet=fiche.onglet)
                continue
            for action in fiche.actions:
                fiches.lire_action(action)
            fiches.verifier_fusions(onglet)
        self.registres.lire()

    def _identite(self) -> None:
        """The Identité sheet, and the office it names."""
        lu = self.lu
        if self.paquet.feuille(ONGLET_IDENTITE) is None:
            lu.signaler("onglet-manquant", onglet=ONGLET_IDENTITE)
        for champ in IDENTITE:
            conv = cv.en_date if champ.nom == "ID_DATE" else cv.en_texte
            v = self.feuilles.lire_nomme(champ.nom, conv, attendu="une date", conseil="saisissez jj/mm/aaaa")
            if v is not None:
                lu.identite[champ.nom] = v
        if (lu.modele_version or 1) >= 2:
            self._registres_tenus()
        office = lu.identite.get("ID_OFFICE")
        if office is None or not office.renseignee:
            lu.signaler(
                "office-manquant",
                onglet=office.onglet if office else ONGLET_IDENTITE,
                cellule=office.cellule if office else None,
            )
            return
        trouve = _offices_par_cle(self.conv).get(cv.cle_liste(str(office.valeur)))
        if trouve is None:
            office.valide = False
            lu.signaler(
                "office-inconnu",
                onglet=office.onglet,
                cellule=office.cellule,
                valeur=cv.decrire(office.brut),
                offices=", ".join(o.nom for o in self.conv.offices),
            )
            return
        lu.office = trouve

    def _registres_tenus(self) -> None:
        """Version 2: per register and year, « Oui » / « Non » / empty (see ``layout.nom_registre_tenu``)."""
        lu = self.lu
        for spec in registres_declarables():
            for annee in self.conv.periode:
                nom = nom_registre_tenu(spec.registre, annee)
                v = self.feuilles.lire_nomme(
                    nom,
                    cv.en_booleen,
                    attendu="Oui ou Non",
                    conseil="choisissez Oui ou Non dans la liste, ou laissez vide",
                    quoi="réponse",
                    colonne=f"Registres tenus — {spec.onglet} {annee}",
                    valeurs="Oui, Non",
                )
                if v is None:
                    continue
                lu.reponses_tenus[nom] = v
                if v.valide and isinstance(v.valeur, bool):
                    lu.registres_tenus[(spec.registre, annee)] = v.valeur


_OFFICES: dict[int, tuple[Convention, dict[str, Office]]] = {}


def _offices_par_cle(conv: Convention) -> dict[str, Office]:
    """The convention's offices by name and by code, compared as list values; worked out once per convention
    (a federation may declare hundreds of offices)."""
    connu = _OFFICES.get(id(conv))
    if connu is not None and connu[0] is conv:
        return connu[1]
    noms = {cv.cle_liste(o.nom): o for o in conv.offices} | {cv.cle_liste(o.code): o for o in conv.offices}
    if len(_OFFICES) > 64:
        _OFFICES.clear()
    _OFFICES[id(conv)] = (conv, noms)
    return noms
