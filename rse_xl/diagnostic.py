"""First-day diagnostics: can this PC run the master's buttons? One line per check, OK or À corriger.

The same function serves the master's « Diagnostic » button and ``rse-xl diagnostic``: it checks Python,
rse-xl and xlwings (the VBA module of the master wants the very same xlwings version), the master's local
folder (OneDrive and SharePoint addresses included), the offices' folder and files named in Paramètres, that
the summary's folder takes a new file, and on macOS the AppleScript that RunPython needs. Nothing is written
but one temporary file, deleted at once; a check that fails unexpectedly is one line to fix, never a crash.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.metadata
import os
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from rse_xl import __version__
from rse_xl.errors import FichierError, RseXlError
from rse_xl.fichiers import raison, texte_chemin

if TYPE_CHECKING:
    from rse_xl.excel import Reglages
    from rse_xl.referentiel import Convention

__all__ = ["Verification", "diagnostiquer", "lire_reglages", "texte_diagnostic"]

PYTHON_MINIMUM = (3, 11)  # requires-python in pyproject.toml
OCTETS_LUS = 8  # enough to prove a file opens and reads
DOSSIER_APPLESCRIPT = Path("Library", "Application Scripts", "com.microsoft.Excel")  # under the home folder


@dataclass(frozen=True)
class Verification:
    """One check: what was checked, whether it is fine, what was found and, when not fine, what to do."""

    sujet: str
    ok: bool
    detail: str
    conseil: str = ""


def diagnostiquer(
    *,
    adresse_maitre: str | None,
    reglages: Reglages | None,
    version_vba: str | None,
    convention: Convention | None = None,
    plateforme: str = sys.platform,
    maison: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[Verification]:
    """Every check, in order; the master's ones only when a master is given (its address or its settings).

    ``adresse_maitre`` is Excel's FullName (a path or a OneDrive/SharePoint address), ``version_vba`` the
    xlwings version of the VBA module embedded in the master (None: that of a master written now).
    """
    environ = os.environ if environ is None else environ
    maison = Path.home() if maison is None else maison
    verifications = [
        *_proteger("Python", _python),
        *_proteger("rse-xl", _rse_xl),
        *_proteger("xlwings", lambda: _xlwings(version_vba)),
    ]
    if plateforme == "darwin":
        verifications += _proteger("Script AppleScript de xlwings (macOS)", lambda: _applescript(maison))
    if adresse_maitre is None and reglages is None:
        return verifications
    dossier_maitre: list[Path | None] = [None]

    def maitre() -> list[Verification]:
        verification, dossier_maitre[0] = _dossier_maitre(adresse_maitre, environ, maison)
        return [verification]

    verifications += _proteger("Dossier du classeur maître", maitre)
    contexte = _Contexte(adresse_maitre, dossier_maitre[0], reglages, convention, environ, maison)
    verifications += _proteger("Classeurs des offices", contexte.entrees)
    verifications += _proteger("Dossier de la synthèse", contexte.synthese)
    return verifications


def texte_diagnostic(verifications: Iterable[Verification]) -> str:
    """The diagnostic as French text: a summary line, then one line per check."""
    verifications = list(verifications)
    bons = sum(v.ok for v in verifications)
    a_corriger = len(verifications) - bons
    lignes = [f"Diagnostic : {bons} vérification{'s' if bons > 1 else ''} OK, {a_corriger} à corriger."]
    for v in verifications:
        if v.ok:
            lignes.append(f"OK — {v.sujet} : {v.detail}")
        else:
            conseil = f" {v.conseil}" if v.conseil else ""
            lignes.append(f"À corriger — {v.sujet} : {v.detail.rstrip('.')}.{conseil}")
    return "\n".join(lignes)


# --- reading a master file without Excel -------------------------------------------------------------------------


class _Noms:
    """The defined names of a workbook read by openpyxl, as xlwings' ``book.names`` offers them."""

    def __init__(self, valeurs: dict[str, Any]) -> None:
        self.valeurs = valeurs  # lower-case name → value of its cell

    def __contains__(self, nom: object) -> bool:
        return isinstance(nom, str) and nom.lower() in self.valeurs

    def __getitem__(self, nom: str) -> SimpleNamespace:
        return SimpleNamespace(refers_to_range=SimpleNamespace(value=self.valeurs[nom.lower()]))


def lire_reglages(chemin: Path, convention: Convention | None = None) -> Reglages:
    """The Paramètres of a master file, read (never written) by its defined names as the buttons read them."""
    import openpyxl

    from rse_xl.excel import lire_parametres
    from rse_xl.referentiel import referentiel

    chemin = Path(chemin)
    if not chemin.exists():
        raise FichierError(
            f"« {texte_chemin(chemin)} » n'existe pas : indiquez le chemin du classeur maître (.xlsm)."
        )
    if chemin.is_dir():
        raise FichierError(
            f"« {texte_chemin(chemin)} » est un dossier : indiquez le fichier du classeur maître (.xlsm)."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl drops extensions it does not know: no matter here
            wb = openpyxl.load_workbook(chemin, read_only=True, data_only=True)
    except Exception as exc:  # a text file, a damaged or encrypted workbook: openpyxl raises many kinds
        raise FichierError(
            f"« {texte_chemin(chemin)} » ne s'ouvre pas comme un classeur Excel : "
            "indiquez le classeur maître (.xlsm) écrit par « rse-xl maitre »."
        ) from exc
    try:
        destinations: dict[str, tuple[str, str]] = {}
        for nom, defini in wb.defined_names.items():
            for onglet, adresse in defini.destinations:
                destinations[nom.lower()] = (onglet, adresse.replace("$", "").upper())
        cellules: dict[str, dict[str, Any]] = {}
        for onglet in {o for o, _ in destinations.values()}:
            if onglet in wb.sheetnames:
                cellules[onglet] = {
                    c.coordinate: c.value
                    for ligne in wb[onglet].iter_rows()
                    for c in ligne
                    if getattr(c, "coordinate", None) and c.value is not None
                }
    finally:
        wb.close()
    valeurs = {nom: cellules.get(o, {}).get(a) for nom, (o, a) in destinations.items()}
    return lire_parametres(SimpleNamespace(names=_Noms(valeurs)), convention or referentiel())


# --- the checks --------------------------------------------------------------------------------------------------


def _proteger(sujet: str, verifier: Callable[[], Verification | list[Verification]]) -> list[Verification]:
    """A check's lines; an exception becomes one line to fix instead of stopping the diagnostic."""
    try:
        resultat = verifier()
    except RseXlError as exc:  # its message is French and says what to do
        return [Verification(sujet, False, str(exc))]
    except Exception as exc:
        return [
            Verification(
                sujet,
                False,
                f"vérification interrompue par une erreur inattendue ({type(exc).__name__} : {exc})",
                "Transmettez ce diagnostic à l'équipe rse-xl.",
            )
        ]
    return resultat if isinstance(resultat, list) else [resultat]


def _python(version: tuple[int, ...] | None = None) -> Verification:
    version = tuple(sys.version_info[:3]) if version is None else version
    texte = ".".join(map(str, version))
    minimum = ".".join(map(str, PYTHON_MINIMUM))
    if version[:2] >= PYTHON_MINIMUM:
        return Verification("Python", True, f"{texte} ({texte_chemin(sys.executable)})")
    return Verification(
        "Python",
        False,
        f"Python {texte} ({texte_chemin(sys.executable)}), rse-xl demande Python {minimum} ou plus récent",
        f"Installez Python {minimum} ou plus récent (python.org), puis rse-xl avec ce Python.",
    )


def _rse_xl() -> Verification:
    try:
        installe = importlib.metadata.version("rse-xl")
    except importlib.metadata.PackageNotFoundError:
        installe = None
    dossier = texte_chemin(Path(__file__).resolve().parent)
    if installe is not None and installe != __version__:
        return Verification(
            "rse-xl",
            False,
            f"le code chargé ({dossier}) est la version {__version__}, mais la version {installe} est installée",
            "Réinstallez rse-xl (pip install -e . dans son dossier) pour que les deux concordent.",
        )
    return Verification("rse-xl", True, f"version {__version__} ({dossier})")


def _version_xlwings() -> str | None:
    """The installed xlwings version, read without importing xlwings (slow to import)."""
    try:
        return importlib.metadata.version("xlwings")
    except importlib.metadata.PackageNotFoundError:
        return None


def _xlwings(version_vba: str | None) -> Verification:
    installe = _version_xlwings()
    origine = "module VBA du classeur maître"
    if version_vba is None:
        from rse_xl.projet_xlwings import version_xlwings_vba

        version_vba = version_xlwings_vba()
        origine = (
            "module VBA d'un classeur maître écrit maintenant par « rse-xl maitre » (celui d'un classeur "
            "existant n'est pas lu)"
        )
    if installe is None:
        attendue = f"=={version_vba}" if version_vba else ""
        return Verification(
            "xlwings",
            False,
            "xlwings n'est pas installé : les boutons du classeur maître ne peuvent pas appeler Python",
            f"Installez-le : « pip install xlwings{attendue} ».",
        )
    if version_vba is None:
        return Verification(
            "xlwings",
            False,
            f"xlwings {installe} installé, mais la version du {origine} est introuvable",
            "Réécrivez le classeur maître avec « rse-xl maitre » et reportez-y vos paramètres.",
        )
    if installe != version_vba:
        return Verification(
            "xlwings",
            False,
            f"xlwings {installe} installé, mais le {origine} est celui de xlwings {version_vba}",
            f"Installez la même version : « pip install xlwings=={version_vba} », ou réécrivez le classeur "
            f"maître avec « rse-xl maitre » (il intégrera le module de xlwings {installe}) et reportez-y vos "
            "paramètres.",
        )
    return Verification("xlwings", True, f"{installe}, la version du {origine}")


def _applescript(maison: Path) -> Verification:
    sujet = "Script AppleScript de xlwings (macOS)"
    installe = _version_xlwings()
    if installe is None:
        return Verification(
            sujet,
            False,
            "xlwings n'est pas installé, son script AppleScript non plus",
            "Installez xlwings (pip install xlwings), puis « xlwings runpython install ».",
        )
    dossier = maison / DOSSIER_APPLESCRIPT
    script = dossier / f"xlwings-{installe}.applescript"
    if script.is_file():
        return Verification(sujet, True, texte_chemin(script))
    autres = sorted(p.name for p in dossier.glob("xlwings-*.applescript")) if dossier.is_dir() else []
    trouves = f" (trouvé(s) : {', '.join(autres)})" if autres else ""
    return Verification(
        sujet,
        False,
        f"« {texte_chemin(script)} » manque{trouves} : Excel ne peut pas lancer Python sur ce Mac",
        "Dans un Terminal, lancez « xlwings runpython install », puis redémarrez Excel.",
    )


def _dossier_maitre(
    adresse: str | None, environ: Mapping[str, str], maison: Path
) -> tuple[Verification, Path | None]:
    from rse_xl.excel import chemin_local

    sujet = "Dossier du classeur maître"
    adresse = (adresse or "").strip()
    local = chemin_local(adresse, environ, maison) if adresse else None
    if local is not None:
        dossier = local.parent
        if not dossier.is_dir():
            return Verification(
                sujet,
                False,
                f"« {texte_chemin(dossier)} » n'est pas un dossier accessible sur ce PC",
                "Enregistrez le classeur maître dans le dossier de la campagne, puis relancez.",
            ), None
        return Verification(sujet, True, texte_chemin(dossier)), dossier
    if "://" in adresse:
        return Verification(
            sujet,
            False,
            f"le classeur maître est ouvert depuis le web (« {adresse} »), sans copie synchronisée trouvée "
            "sur ce PC",
            "Synchronisez son dossier avec OneDrive sur ce PC (bouton « Synchroniser » de SharePoint) et "
            "ouvrez le classeur depuis ce dossier, ou indiquez des chemins complets dans l'onglet Paramètres.",
        ), None
    return Verification(
        sujet,
        False,
        "le classeur maître n'a jamais été enregistré : son dossier est inconnu",
        "Enregistrez-le (.xlsm) dans le dossier de la campagne, puis relancez.",
    ), None


class _Contexte:
    """What the checks of Paramètres share: the settings, the master's folder, how paths are resolved."""

    def __init__(
        self,
        adresse_maitre: str | None,
        dossier: Path | None,
        reglages: Reglages | None,
        convention: Convention | None,
        environ: Mapping[str, str],
        maison: Path,
    ) -> None:
        from rse_xl.excel import Reglages, chemin_local

        self.maitre = chemin_local(adresse_maitre, environ, maison) if adresse_maitre else None
        self.dossier = dossier
        self.reglages = reglages if reglages is not None else Reglages()
        self._convention = convention
        self.environ = environ
        self.maison = maison

    @property
    def convention(self) -> Convention:
        if self._convention is None:
            from rse_xl.referentiel import referentiel

            self._convention = referentiel()
        return self._convention

    def resoudre(self, texte: str, quoi: str) -> Path:
        """A path typed in Paramètres, exactly as the buttons resolve it."""
        from rse_xl.excel import resoudre_chemin

        return resoudre_chemin(texte, quoi, self.dossier, self.environ, self.maison)

    def entrees(self) -> list[Verification]:
        r = self.reglages
        if not r.dossier and not r.fichiers:
            return [
                Verification(
                    "Classeurs des offices",
                    False,
                    "ni dossier des classeurs, ni fichier d'office indiqué dans l'onglet Paramètres",
                    "Indiquez dans l'onglet « Paramètres » le dossier des classeurs des offices (ou le "
                    "fichier de chaque office), enregistrez, puis relancez.",
                )
            ]
        verifications: list[Verification] = []
        if r.dossier:
            verifications += _proteger(
                "Dossier des classeurs des offices", lambda: self._dossier_offices(r.dossier or "")
            )
        noms = {o.code: o.nom for o in self.convention.offices}
        for code, texte in r.fichiers.items():
            sujet = f"Fichier de {noms.get(code, code)}"
            verifications += _proteger(sujet, functools.partial(self._fichier_office, sujet, texte))
        return verifications

    def _dossier_offices(self, texte: str) -> Verification:
        from rse_xl.fichiers import collecter_classeurs, ecarter_sorties

        sujet = "Dossier des classeurs des offices"
        dossier = self.resoudre(texte, "Le dossier des classeurs")
        affiche = texte_chemin(dossier)
        if not dossier.exists():
            return Verification(
                sujet,
                False,
                f"« {affiche} » n'existe pas",
                "Corrigez le chemin dans l'onglet Paramètres (chemin complet, ou relatif au dossier du "
                "classeur maître), ou créez ce dossier et déposez-y les classeurs des offices.",
            )
        if not dossier.is_dir():
            return Verification(
                sujet,
                False,
                f"« {affiche} » est un fichier, pas un dossier",
                "Indiquez le dossier qui contient les classeurs, ou ce fichier dans la case de son office.",
            )
        try:
            classeurs = collecter_classeurs([dossier])
        except OSError as exc:
            return Verification(
                sujet,
                False,
                f"« {affiche} » ne se lit pas ({raison(exc)})",
                "Demandez l'accès en lecture à ce dossier, ou copiez les classeurs dans un dossier à vous.",
            )
        exclus = {p.resolve() for p in (self.maitre, self._sortie_ou_rien()) if p is not None}
        classeurs, _ = ecarter_sorties(c for c in classeurs if c.resolve() not in exclus)
        illisibles = [f"{c.name} ({r})" for c in classeurs if (r := _illisible(c))]
        if illisibles:
            return Verification(
                sujet,
                False,
                f"« {affiche} » : {len(illisibles)} classeur(s) illisible(s) : {', '.join(illisibles)}",
                "Fermez-les s'ils sont ouverts ailleurs, ou demandez l'accès en lecture, puis relancez.",
            )
        if not classeurs:
            return Verification(
                sujet,
                False,
                f"« {affiche} » ne contient aucun classeur .xlsx ou .xlsm",
                "Déposez-y les classeurs reçus des offices, ou corrigez le chemin dans l'onglet Paramètres.",
            )
        n = len(classeurs)
        return Verification(
            sujet, True, f"{affiche} — {n} classeur{'s' if n > 1 else ''} trouvé{'s' if n > 1 else ''}"
        )

    def _fichier_office(self, sujet: str, texte: str) -> Verification:
        chemin = self.resoudre(texte, f"Le {sujet[0].lower()}{sujet[1:]}")
        affiche = texte_chemin(chemin)
        if not chemin.exists():
            return Verification(
                sujet,
                False,
                f"« {affiche} » n'existe pas",
                "Corrigez le chemin dans l'onglet Paramètres, ou videz la case si ce classeur est dans le "
                "dossier des classeurs.",
            )
        if chemin.is_dir():
            return Verification(
                sujet,
                False,
                f"« {affiche} » est un dossier, pas un fichier",
                "Indiquez le classeur de l'office (.xlsx ou .xlsm), ou ce dossier dans « Dossier des "
                "classeurs des offices ».",
            )
        if chemin.suffix.lower() not in (".xlsx", ".xlsm"):
            return Verification(
                sujet,
                False,
                f"« {affiche} » n'est pas un classeur .xlsx ou .xlsm",
                "Indiquez le classeur de l'office (faites-le enregistrer au format .xlsx s'il est dans un "
                "autre format).",
            )
        if probleme := _illisible(chemin):
            return Verification(
                sujet,
                False,
                f"« {affiche} » ne se lit pas ({probleme})",
                "Fermez-le s'il est ouvert ailleurs, ou demandez l'accès en lecture, puis relancez.",
            )
        return Verification(sujet, True, affiche)

    def _sortie(self) -> Path:
        """The summary's path, exactly as « Générer la synthèse » computes it."""
        from rse_xl.consolidation import annee_par_defaut
        from rse_xl.excel import chemin_synthese

        r = self.reglages
        annee = r.annee or annee_par_defaut(self.convention, r.date_reference or dt.date.today())
        return chemin_synthese(r, annee, self.dossier, self.environ, self.maison)

    def _sortie_ou_rien(self) -> Path | None:
        try:
            return self._sortie()
        except RseXlError:
            return None

    def synthese(self) -> Verification:
        sujet = "Dossier de la synthèse"
        sortie = self._sortie()
        dossier = sortie.parent
        affiche = texte_chemin(dossier)
        if not dossier.exists():
            return Verification(
                sujet,
                False,
                f"« {affiche} » n'existe pas : la synthèse « {sortie.name} » ne pourra pas y être écrite",
                "Créez ce dossier, ou corrigez « Classeur de synthèse » dans l'onglet Paramètres.",
            )
        if not dossier.is_dir():
            return Verification(
                sujet,
                False,
                f"« {affiche} » est un fichier, pas un dossier : la synthèse « {sortie.name} » ne pourra pas "
                "être écrite",
                "Corrigez « Classeur de synthèse » dans l'onglet Paramètres.",
            )
        try:
            # A new file with a name no one uses, deleted on close: nothing that exists is touched.
            with tempfile.NamedTemporaryFile(dir=dossier, prefix=".rse-xl-diagnostic-", suffix=".tmp") as f:
                f.write(b"rse-xl")
        except OSError as exc:
            return Verification(
                sujet,
                False,
                f"impossible d'écrire dans « {affiche} » ({raison(exc)})",
                "Demandez l'accès en écriture à ce dossier, ou choisissez un autre « Classeur de synthèse » "
                "dans l'onglet Paramètres.",
            )
        return Verification(sujet, True, f"{affiche} — la synthèse s'y écrira sous le nom « {sortie.name} »")


def _illisible(chemin: Path) -> str | None:
    """Why a file cannot be read (in French), or None once a few bytes are read from it."""
    try:
        with open(chemin, "rb") as f:
            f.read(OCTETS_LUS)
    except OSError as exc:
        return raison(exc)
    return None
