"""The master workbook's buttons: the functions xlwings' RunPython calls, a few lines each over the library.

A button reads the Paramètres sheet of the calling workbook (by defined names), runs the same library
functions as the command line, renders the result sheets with the summary's XlsxWriter code into a
temporary workbook, and copies those sheets into the master in place of the previous ones. Every failure
ends as a French message box: a coordinator never sees a traceback. xlwings is imported only when a
button runs (it is slow to import), and only its plain Book / Sheet / App interface is used.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import tempfile
import traceback
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

# The path side and the Paramètres reading live in chemins_excel and parametres_excel; their names stay here too.
from rse_xl.chemins_excel import (  # noqa: F401
    _candidats,
    _dans_bibliotheque,
    _sous_dossiers,
    adresse_classeur,
    chemin_local,
    chemin_synthese,
    resoudre_chemin,
)
from rse_xl.errors import EntreeError, RseXlError
from rse_xl.maitre import ONGLET_PARAMETRES
from rse_xl.parametres_excel import Reglages, _annee, _date, _oui_non, _texte, lire_parametres  # noqa: F401

if TYPE_CHECKING:
    from rse_xl.consolidation import Consolidation

__all__ = [
    "adresse_classeur",
    "chemin_local",
    "chemin_synthese",
    "consolider",
    "diagnostic",
    "generer_synthese",
    "lire_parametres",
    "remplacer_onglets",
    "resoudre_chemin",
    "retours_aux_offices",
    "valider",
]

ONGLET_DIAGNOSTIC = "Diagnostic"
DOSSIER_RETOURS = "retours_offices"  # beside the master, when Paramètres does not name one
LONGUEUR_MESSAGE_MAX = 1000  # characters a VBA MsgBox shows (its prompt stops near 1 024)
FICHIER_JOURNAL = "rse-xl-excel.log"  # in the temporary folder: the traceback of an unexpected error


# --- the three buttons ------------------------------------------------------------------------------------------


def valider(livre: Any = None) -> None:
    """Button « Valider »: check the offices' workbooks; the master then shows the Contrôles sheet only."""
    _bouton("Valider", livre, _valider)


def consolider(livre: Any = None) -> None:
    """Button « Consolider »: check and compute; the master shows every result sheet."""
    _bouton("Consolider", livre, _consolider)


def generer_synthese(livre: Any = None) -> None:
    """Button « Générer la synthèse »: as Consolider, and write the summary workbook (and CSV) to disk."""
    _bouton("Générer la synthèse", livre, _generer_synthese)


def retours_aux_offices(livre: Any = None) -> None:
    """Button « Retours aux offices »: as Consolider, then each office's annotated copy in the returns folder."""
    _bouton("Retours aux offices", livre, _retours)


def _retours(maitre: _Maitre) -> tuple[str, str]:
    from rse_xl.retours import ecrire_retours
    from rse_xl.synthese import onglets_resultats

    conso = maitre.consolider()
    dossier = maitre.dossier_retours()
    maitre.statut(f"écriture des retours dans {dossier.name}…")
    retours = ecrire_retours(conso, dossier)  # first: a refused folder leaves the master as it was
    maitre.afficher(conso, onglets_resultats(conso.convention, accueil=False))
    lignes = [f"  {r.chemin.name} : {_pluriel(r.problemes, 'problème')} marqué(s)" for r in retours]
    suite = (
        f"Retours écrits dans {dossier} :\n" + "\n".join(lignes)
        if retours
        else "Aucun classeur d'office lisible : rien à renvoyer (détail : onglet « Contrôles »)."
    )
    return _bilan("Retours aux offices écrits", conso, suite), _mode(conso)


def diagnostic(version_vba: str | None = None, livre: Any = None) -> None:
    """Button « Diagnostic »: can this PC run the other buttons? One line per check, in one message box.

    ``version_vba`` is the xlwings version of the VBA module that runs the button (passed by RseXl.bas).
    Nothing here may stop short of the message: a setting that cannot be read is one line to fix."""
    livre = livre if livre is not None else _livre_appelant()
    app = livre.app
    try:
        message, mode = _diagnostic(livre, version_vba)
    except Exception as exc:  # a button never shows a traceback
        message, mode = _message_inattendu("Diagnostic", exc), "critical"
    _alerter(app, message, "Diagnostic", mode)


def _diagnostic(livre: Any, version_vba: str | None) -> tuple[str, str]:
    from rse_xl.diagnostic import Verification, diagnostiquer, texte_diagnostic
    from rse_xl.referentiel import referentiel

    conv = referentiel()
    erreurs: list[str] = []
    reglages = lire_parametres(livre, conv, erreurs)
    avant = [
        Verification("Onglet Paramètres", False, erreur, "Corrigez la case indiquée, puis relancez.")
        for erreur in erreurs
    ]
    verifications = avant + diagnostiquer(
        adresse_maitre=adresse_classeur(livre) or None,
        reglages=reglages,
        version_vba=version_vba or None,
        convention=conv,
    )
    texte = texte_diagnostic(verifications)
    mode = "info" if all(v.ok for v in verifications) else "critical"
    if len(texte) <= LONGUEUR_MESSAGE_MAX:
        return texte, mode
    # Too long for a message box: every line in a sheet of the master, the start of the text in the box.
    try:
        copier_onglets(
            livre, lambda wb: _onglet_diagnostic(wb, verifications), [ONGLET_DIAGNOSTIC], [ONGLET_DIAGNOSTIC]
        )
        suite = f"Le détail de chaque vérification est dans l'onglet « {ONGLET_DIAGNOSTIC} »."
    except Exception:  # the sheet is a convenience: the message still says where the rest is
        suite = "La suite : lancez « rse-xl diagnostic » dans une invite de commande, avec le chemin de ce classeur."
    debut = texte[: LONGUEUR_MESSAGE_MAX - len(suite) - 3].rsplit("\n", 1)[0]
    return f"{debut}\n…\n{suite}", mode


def _onglet_diagnostic(wb: Any, verifications: Sequence[Any]) -> None:
    from rse_xl.diagnostic import texte_diagnostic

    ws = wb.add_worksheet(ONGLET_DIAGNOSTIC)
    gras = wb.add_format({"bold": True, "font_size": 14})
    entete = wb.add_format({"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF", "border": 1})
    texte = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    ok = wb.add_format({"bold": True, "valign": "top", "border": 1, "bg_color": "#C6EFCE"})
    ko = wb.add_format({"bold": True, "valign": "top", "border": 1, "bg_color": "#FFC7CE"})
    ws.write_string(0, 0, texte_diagnostic(verifications).splitlines()[0], gras)
    for j, (titre, largeur) in enumerate(
        (("État", 12), ("Vérification", 30), ("Constat", 60), ("À faire", 70))
    ):
        ws.write_string(2, j, titre, entete)
        ws.set_column(j, j, largeur)
    for i, v in enumerate(verifications, start=3):
        ws.write_string(i, 0, "OK" if v.ok else "À corriger", ok if v.ok else ko)
        ws.write_string(i, 1, v.sujet, texte)
        ws.write_string(i, 2, v.detail, texte)
        ws.write_string(i, 3, v.conseil, texte)


def _valider(maitre: _Maitre) -> tuple[str, str]:
    # The Contrôles sheet is drawn by the summary's renderer from a Consolidation holding only the checks:
    # the same report `rse-xl valider` prints, with no indicator computed.
    from rse_xl.synthese import ONGLET_CONTROLES

    conso = maitre.consolider(indicateurs=False)
    maitre.afficher(conso, [ONGLET_CONTROLES])
    return _bilan("Validation terminée", conso, "Détail : onglet « Contrôles »."), _mode(conso)


def _consolider(maitre: _Maitre) -> tuple[str, str]:
    from rse_xl.synthese import onglets_resultats

    conso = maitre.consolider()
    maitre.afficher(conso, onglets_resultats(conso.convention, accueil=False))
    return _bilan("Consolidation terminée", conso, "Résultats : onglet « Synthèse » et suivants."), _mode(
        conso
    )


def _generer_synthese(maitre: _Maitre) -> tuple[str, str]:
    from rse_xl.synthese import onglets_resultats

    conso = maitre.consolider()
    ecrits = maitre.ecrire_fichiers(conso)  # first: a locked file leaves the master as it was
    maitre.afficher(conso, onglets_resultats(conso.convention, accueil=False))
    fichiers = "\n".join(f"  {p}" for p in ecrits)
    return _bilan("Synthèse générée", conso, f"Fichier(s) écrit(s) :\n{fichiers}"), _mode(conso)


# --- what every button does around its work ----------------------------------------------------------------------


def _bouton(titre: str, livre: Any, travail: Callable[[_Maitre], tuple[str, str]]) -> None:
    """Run one button: screen frozen meanwhile and always restored, one French message box at the end."""
    livre = livre if livre is not None else _livre_appelant()
    app = livre.app
    try:
        app.screen_updating = False
        app.display_alerts = False
        message, mode = travail(_Maitre(livre))
    except RseXlError as exc:
        message, mode = str(exc), "critical"
    except Exception as exc:  # a button never shows a traceback: the message says what to do instead
        message, mode = _message_inattendu(titre, exc), "critical"
    finally:
        # Set from another process, these stay as left even after Python exits: restore them whatever happened,
        # each on its own (one failing must not leave the others, nor hide the result).
        for reglage, valeur in (("screen_updating", True), ("display_alerts", True), ("status_bar", False)):
            with contextlib.suppress(Exception):  # False gives the status bar back to Excel
                setattr(app, reglage, valeur)
    _alerter(app, message, titre, mode)


def _alerter(app: Any, message: str, titre: str, mode: str) -> None:
    """The one message box that ends a button; if Excel cannot show it, its first line in the status bar."""
    try:
        app.alert(message, title=f"rse-xl — {titre}", mode=mode)
    except Exception:  # Excel busy or behind another window
        with contextlib.suppress(Exception):
            app.status_bar = f"rse-xl — {message.splitlines()[0]}"


def _livre_appelant() -> Any:
    import xlwings as xw  # here only: importing xlwings costs time, and the CLI never needs it

    try:
        return xw.Book.caller()
    except Exception as exc:
        nom = _nom_appelant(sys.argv)
        if nom is None:  # not started by RunPython at all
            raise EntreeError(
                "Ces fonctions se lancent depuis les boutons du classeur maître (xlwings RunPython). "
                "Hors d'Excel, utilisez la ligne de commande : rse-xl valider, rse-xl consolider."
            ) from exc
        # Started from Excel, but xlwings did not find the book by its name: on macOS, a name with accents
        # comes through AppleScript in another Unicode form or encoding (xlwings issue #2004).
        livres = _livres_ouverts(xw)
        trouve = [b for b in livres if _meme_nom(nom, str(b.name))]
        if len(trouve) == 1:
            return trouve[0]
        raise EntreeError(
            f"Le classeur « {nom} » qui a lancé le bouton n'a pas été retrouvé par xlwings"
            + (" (nom avec accents ou espaces, que macOS transmet mal)" if _non_ascii(nom) else "")
            + ". Enregistrez le classeur maître sous un nom sans accents ni espaces, par exemple "
            "« maitre_RSE.xlsm » (Fichier › Enregistrer sous…), rouvrez-le et recliquez sur le bouton."
        ) from exc


def _nom_appelant(argv: Sequence[str]) -> str | None:
    """The workbook name RunPython passes on the command line (``--wb=NAME`` with ``--from_xl=1``)."""
    if not any(a.startswith("--from_xl") for a in argv):
        return None
    for arg in argv:
        if arg.startswith("--wb="):
            return arg.split("=", 1)[1].strip()
    return ""


def _livres_ouverts(xw: Any) -> list[Any]:
    livres: list[Any] = []
    with contextlib.suppress(Exception):
        for app in xw.apps:
            with contextlib.suppress(Exception):
                livres.extend(app.books)
    return livres


def _non_ascii(texte: str) -> bool:
    return not texte.isascii()


def _formes(nom: str) -> set[str]:
    """Forms a workbook name can take between Excel, AppleScript and Python: NFC and NFD, and the UTF-8
    bytes misread as Mac Roman or Latin-1 (and back)."""
    formes = {nom}
    for brut in list(formes):
        with contextlib.suppress(UnicodeError):
            formes.add(brut.encode("utf-8", "surrogateescape").decode("mac_roman"))
        with contextlib.suppress(UnicodeError):
            formes.add(brut.encode("utf-8", "surrogateescape").decode("latin-1"))
        for codage in ("mac_roman", "latin-1"):
            with contextlib.suppress(UnicodeError):
                formes.add(brut.encode(codage).decode("utf-8"))
    return {unicodedata.normalize("NFC", f).casefold() for f in formes}


def _meme_nom(a: str, b: str) -> bool:
    """Whether two workbook names are the same name, once Unicode forms and encodings are set aside."""
    return bool(a) and bool(_formes(a) & _formes(b))


def _message_inattendu(titre: str, exc: BaseException) -> str:
    cause = f"{type(exc).__name__} : {exc}"
    if len(cause) > 400:
        cause = cause[:399] + "…"
    texte = (
        f"Erreur inattendue pendant « {titre} » ({cause}).\n\n"
        "Relancez la même opération en ligne de commande avec --debug, par exemple "
        "« rse-xl --debug consolider DOSSIER », et transmettez la trace à l'équipe rse-xl."
    )
    journal = _journaliser(exc)
    if journal is not None:
        texte += f"\nLe détail technique est aussi dans {journal}."
    return texte


def _journaliser(exc: BaseException) -> Path | None:
    """Write the traceback to a file: never to stderr, which xlwings on macOS shows in a message box."""
    chemin = Path(tempfile.gettempdir()) / FICHIER_JOURNAL
    try:
        chemin.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    except OSError:
        return None
    return chemin


def _pluriel(n: int, mot: str) -> str:
    return f"{n} {mot}{'s' if n > 1 else ''}"


def _bilan(titre: str, conso: Consolidation, suite: str) -> str:
    stats = conso.rapport.statistiques()
    lignes = [
        f"{titre} — année {conso.annee}.",
        f"{_pluriel(stats['fichiers'], 'classeur')} lu(s) : {_pluriel(stats['erreurs'], 'erreur')}, "
        f"{_pluriel(stats['avertissements'], 'avertissement')}.",
    ]
    if stats["erreurs"]:
        lignes.append(
            "Les valeurs en erreur sont écartées des résultats : faites-les corriger par les offices "
            "(liste dans l'onglet « Contrôles »)."
        )
    lignes.append(suite)
    return "\n".join(lignes)


def _mode(conso: Consolidation) -> str:
    return "critical" if conso.rapport.statistiques()["erreurs"] else "info"


# --- the calling master ------------------------------------------------------------------------------------------


class _Maitre:
    """The calling master workbook: its settings, its local folder, and the library calls of the buttons."""

    def __init__(self, livre: Any) -> None:
        from rse_xl.consolidation import annee_par_defaut
        from rse_xl.referentiel import referentiel

        self.livre = livre
        self.app = livre.app
        noms = [f.name for f in livre.sheets]
        if ONGLET_PARAMETRES not in noms:
            raise EntreeError(
                f"« {livre.name} » n'est pas un classeur maître rse-xl : l'onglet « {ONGLET_PARAMETRES} » manque."
            )
        self.conv = referentiel()
        self.adresse = adresse_classeur(livre)
        self.chemin = chemin_local(self.adresse)  # None: a web address with no synced copy on this PC
        self.dossier = self.chemin.parent if self.chemin else None
        self.reglages = lire_parametres(livre, self.conv)
        self.aujourdhui = self.reglages.date_reference or dt.date.today()
        self.annee = self.reglages.annee or annee_par_defaut(self.conv, self.aujourdhui)

    def statut(self, texte: str) -> None:
        self.app.status_bar = f"rse-xl — {texte}"

    def resoudre(self, texte: str, quoi: str) -> Path:
        """A path typed in Paramètres: web addresses mapped to the synced folder, relative to the master."""
        return resoudre_chemin(texte, quoi, self.dossier)

    def sortie(self) -> Path:
        """Where « Générer la synthèse » writes the summary workbook."""
        return chemin_synthese(self.reglages, self.annee, self.dossier)

    def dossier_retours(self) -> Path:
        """Where « Retours aux offices » writes the annotated copies (never the offices' own folder)."""
        return resoudre_chemin(
            self.reglages.retours or DOSSIER_RETOURS, "Le dossier des retours", self.dossier
        )

    def classeurs(self) -> list[Path]:
        """The offices' workbooks named in Paramètres, without the master itself or the summary it writes."""
        from rse_xl.fichiers import collecter_classeurs, ecarter_sorties

        r = self.reglages
        entrees = [self.resoudre(r.dossier, "Le dossier des classeurs")] if r.dossier else []
        noms = {o.code: o.nom for o in self.conv.offices}
        entrees += [self.resoudre(t, f"Le fichier de {noms[code]}") for code, t in r.fichiers.items()]
        if not entrees:
            raise EntreeError(
                "Indiquez dans l'onglet « Paramètres » le dossier des classeurs des offices, ou le fichier de "
                "chaque office, puis relancez."
            )
        exclus = {self.chemin} if self.chemin else set()
        with contextlib.suppress(RseXlError):
            exclus.add(self.sortie())
        exclus = {p.resolve() for p in exclus}
        chemins, _ = ecarter_sorties(c for c in collecter_classeurs(entrees) if c.resolve() not in exclus)
        if not chemins:
            raise EntreeError(
                "Aucun classeur .xlsx ou .xlsm trouvé dans : "
                + ", ".join(f"« {e} »" for e in entrees)
                + ". Vérifiez l'onglet Paramètres."
            )
        return chemins

    def consolider(self, indicateurs: bool = True) -> Consolidation:
        from rse_xl.consolidation import consolider

        chemins = self.classeurs()
        lus = 0

        def avancer(chemin: Path) -> None:
            nonlocal lus
            lus += 1
            self.statut(f"lecture des classeurs ({lus}/{len(chemins)}) : {chemin.name}")

        self.statut(f"lecture de {len(chemins)} classeur(s)…")
        # One worker: the progress callback talks to Excel, and COM objects stay on the thread that made them.
        return consolider(
            chemins,
            annee=self.annee,
            aujourdhui=self.reglages.date_reference,
            convention=self.conv,
            workers=1,
            progression=avancer,
            indicateurs=indicateurs,
        )

    def ecrire_fichiers(self, conso: Consolidation) -> list[Path]:
        from rse_xl.synthese import ecrire_synthese

        sortie = self.sortie()
        self.statut(f"écriture de {sortie.name}…")
        ecrits = [ecrire_synthese(conso, sortie)]
        if self.reglages.export_csv:
            from rse_xl.export import exporter_donnees

            ecrits.append(exporter_donnees(conso, sortie.with_suffix(".csv"), "csv"))
        return ecrits

    def afficher(self, conso: Consolidation, onglets: Sequence[str]) -> None:
        """Render the result sheets into a temporary workbook and copy ``onglets`` into the master."""
        from rse_xl.synthese import onglets_resultats, remplir_classeur

        self.statut("mise en forme des résultats…")
        # Links to the offices' files are written relative to the master's folder, where the sheets end up.
        dossier_liens = self.dossier
        if dossier_liens is None:  # master on the web: links relative to the inputs are the best guess
            dossier_liens = Path(conso.fichiers[0].chemin).parent if conso.fichiers else Path.cwd()
        copier_onglets(
            self.livre,
            lambda wb: remplir_classeur(wb, conso, dossier_liens, accueil=False),
            onglets,
            anciens=onglets_resultats(self.conv, accueil=False),
            statut=self.statut,
        )


def copier_onglets(
    livre: Any,
    ecrire: Callable[[Any], None],
    onglets: Sequence[str],
    anciens: Sequence[str],
    statut: Callable[[str], None] | None = None,
) -> None:
    """Write sheets with ``ecrire`` (an XlsxWriter workbook) into a temporary file, copy ``onglets`` into the
    master in place of ``anciens``, and show the first one. Nothing after the copy may raise."""
    import xlsxwriter

    from rse_xl.synthese import OPTIONS_CLASSEUR

    app = livre.app
    with tempfile.TemporaryDirectory(
        prefix="rse-xl-", dir=_dossier_temporaire(), ignore_cleanup_errors=True
    ) as d:
        # A name no open workbook has: Excel cannot open two workbooks with the same name.
        temporaire = Path(d) / f"rse-xl-resultats-{os.getpid()}.xlsx"
        wb = xlsxwriter.Workbook(str(temporaire), OPTIONS_CLASSEUR)
        ecrire(wb)
        wb.close()
        if statut is not None:
            statut("copie des résultats dans le classeur maître…")
        source = app.books.open(str(temporaire), update_links=False, read_only=True, add_to_mru=False)
        try:
            _masquer(source)
            remplacer_onglets(livre, source, onglets, anciens=anciens)
        finally:
            with contextlib.suppress(Exception):  # the results are in: a failed close is no failure
                source.close()  # before the folder is removed: Windows cannot delete an open file
    # Showing the first result is a courtesy: Excel refuses it when another window is on top (« Could not
    # activate App! »), and the results are in the master already.
    with contextlib.suppress(Exception):
        livre.sheets[onglets[0]].activate()


def _dossier_temporaire() -> str | None:
    """On macOS, Excel's sandbox opens a file without asking for access only inside its own container."""
    if sys.platform == "darwin":
        bac = Path.home() / "Library" / "Containers" / "com.microsoft.Excel" / "Data"
        if bac.is_dir():
            return str(bac)
    return None  # elsewhere, the system's temporary folder


def _masquer(livre: Any) -> None:
    """Hide the temporary workbook's window on Windows; elsewhere, screen updating off keeps it unseen."""
    if sys.platform.startswith("win"):
        with contextlib.suppress(Exception):  # cosmetic only: never fail a button for it
            livre.api.Windows(1).Visible = False


def remplacer_onglets(livre: Any, source: Any, onglets: Sequence[str], anciens: Sequence[str]) -> None:
    """Delete the master's previous result sheets (``anciens``), then copy ``onglets`` of ``source`` after Paramètres.

    Only sheets named as results are deleted: a sheet the coordinator added by hand is kept.
    """
    a_effacer = set(anciens) | set(onglets)
    for feuille in [f for f in livre.sheets if f.name in a_effacer]:
        feuille.delete()
    precedente = livre.sheets[ONGLET_PARAMETRES]
    for nom in onglets:
        # The sheets hold no formula (DESIGN): copying them one by one leaves no link to the temporary file.
        precedente = source.sheets[nom].copy(after=precedente)
