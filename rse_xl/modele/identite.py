"""The Identité sheet: the office, its referent, the state of the input."""

from __future__ import annotations

from typing import Any

from rse_xl import __version__
from rse_xl.cellules import a1
from rse_xl.layout import (
    ETATS_SAISIE,
    IDENTITE,
    MODELE_IDENTIFIANT,
    MODELE_VERSION,
    ONGLET_IDENTITE,
    OUI_NON,
    nom_registre_tenu,
    registres_declarables,
)
from rse_xl.modele.contexte import _Contexte
from rse_xl.modele.validations import validation_date, validation_liste, validation_liste_inline
from rse_xl.xlsx import proteger


def ecrire_identite(c: _Contexte) -> None:
    """The Identité sheet: one named input cell per field, with its validation and help."""
    ws = c.wb.add_worksheet(ONGLET_IDENTITE)
    st = c.st
    ws.hide_gridlines(2)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 40)
    ws.set_column(2, 2, 60)
    ws.write_string(0, 0, "Identité du classeur", st.titre)
    ws.set_row(0, 26)
    ws.write_string(2, 0, "Champ", st.entete)
    ws.write_string(2, 1, "Valeur", st.entete)
    ws.write_string(2, 2, "Aide", st.entete)
    for i, champ in enumerate(IDENTITE):
        ligne = 3 + i
        ws.write_string(ligne, 0, champ.libelle + (" *" if champ.requis else ""), st.gras)
        ws.write_string(ligne, 2, champ.aide, st.sous_titre)
        defaut: Any = c.office.nom if champ.nom == "ID_OFFICE" else None
        if champ.nom == "ID_ETAT":
            defaut = "Brouillon"
        valeur = c.saisie.valeurs.get(champ.nom, defaut)
        fmt = st.saisie_date if champ.nom == "ID_DATE" else st.saisie
        c.ecrire_valeur(ws, ligne, 1, valeur, fmt)
        c.nommer(ws, champ.nom, ligne, 1)
        cellule = a1(ligne, 1)
        if champ.nom == "ID_OFFICE":
            ws.data_validation(cellule, validation_liste("LISTE_OFFICES", "l'office"))
        elif champ.nom == "ID_ETAT":
            ws.data_validation(cellule, validation_liste_inline(ETATS_SAISIE, "l'état de la saisie"))
        elif champ.nom == "ID_DATE":
            ws.data_validation(cellule, validation_date())
        elif champ.nom == "ID_EMAIL":
            ws.data_validation(
                cellule,
                {
                    "validate": "custom",
                    "value": f'=ISNUMBER(SEARCH("@",{cellule}))',
                    "error_title": "Adresse e-mail",
                    "error_message": "Saisissez une adresse e-mail complète, par exemple prenom.nom@office.fr.",
                    "input_title": "E-mail",
                    "input_message": "Adresse e-mail du référent.",
                },
            )
    ligne = 4 + len(IDENTITE)
    ws.write_string(ligne, 0, "* champ obligatoire", st.sous_titre)
    ws.write_string(ligne + 1, 0, "Convention", st.gras)
    ws.write_string(ligne + 1, 1, c.conv.titre, st.fige)
    ws.write_string(ligne + 2, 0, "Modèle", st.gras)
    ws.write_string(
        ligne + 2, 1, f"{MODELE_IDENTIFIANT} version {MODELE_VERSION} (rse-xl {__version__})", st.fige
    )
    _registres_tenus(c, ws, ligne + 5)
    ws.freeze_panes(3, 0)
    c.mise_en_page(ws)
    proteger(ws, tri=True)


def _registres_tenus(c: _Contexte, ws: Any, debut: int) -> None:
    """One answer per register and year (version 2): « Oui » the register is kept (its rows, even none, make
    the figure), « Non » it is not (the typed value stands); empty: kept when a row is dated in the year."""
    st = c.st
    ws.write_string(debut, 0, "Registres tenus", st.entete)
    for j, annee in enumerate(c.conv.periode, start=1):
        ws.write_string(debut, j, str(annee), st.entete)
    ws.write_string(
        debut + 1,
        0,
        "Oui : le registre est tenu cette année (ses lignes font le chiffre, même s'il n'y en a aucune). Non : il "
        "ne l'est pas, le réalisé saisi dans la fiche est retenu. Vide : tenu si une ligne est datée de l'année.",
        st.sous_titre,
    )
    for i, spec in enumerate(registres_declarables(), start=debut + 2):
        ws.write_string(i, 0, spec.onglet, st.gras)
        for j, annee in enumerate(c.conv.periode, start=1):
            nom = nom_registre_tenu(spec.registre, annee)
            c.ecrire_valeur(ws, i, j, c.saisie.valeurs.get(nom), st.saisie)
            c.nommer(ws, nom, i, j)
            ws.data_validation(
                i, j, i, j, validation_liste_inline(OUI_NON, f"si « {spec.onglet} » est tenu en {annee}")
            )
