"""The checks beyond one cell, each at its boundary, with the cell and the French message a user reads.

Written for the mutation run on ``rse_xl/validation.py`` (bench/MUTATION.md). Rows and values are built
here as the reader makes them (no workbook: fast enough for every mutant): register rows as read at once
from one table, typed values with their cell. Today is 30/11/2026 throughout.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rse_xl import validation as va
from rse_xl.layout import REGISTRES, Champ
from rse_xl.lecture.donnees import ClasseurLu, LigneRegistre, ValeurLue, _Colonnes
from rse_xl.referentiel import Registre, TypeIndicateur, referentiel

CONV = referentiel()
ACTIONS = {a.code: a for f in CONV.fiches for a in f.actions}
AUJ = dt.date(2026, 11, 30)
LETTRES = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def colonnes(registre: Registre, sans: tuple[str, ...] = ()) -> _Colonnes:
    """The register's table, columns A, B… in order; ``sans``: columns an older table does not have."""
    cles = tuple(c.cle for c in REGISTRES[registre].colonnes if c.cle not in sans)
    return _Colonnes(cles, frozenset(cles), tuple(LETTRES[: len(cles)]))


def cellule(registre: Registre, cle: str, numero: int) -> str:
    return LETTRES[colonnes(registre).cles.index(cle)] + str(numero)


def rangees(registre: Registre, *lignes: dict[str, Any], sans: tuple[str, ...] = ()) -> list[LigneRegistre]:
    """Rows as the reader makes them from one table (row 5 onwards); raw content = the value."""
    cols = colonnes(registre, sans)
    return [
        LigneRegistre.differee(5 + i, dict(v), cols, tuple(v.get(c) for c in cols.cles))
        for i, v in enumerate(lignes)
    ]


def classeur(**registres: list[LigneRegistre]) -> ClasseurLu:
    lu = ClasseurLu(chemin=Path("bmh.xlsx"))
    lu.registres = {Registre[nom]: lignes for nom, lignes in registres.items()}
    return lu


def vus(lu: ClasseurLu) -> list[tuple[str, str | None, str | None]]:
    return [(p.code, p.cellule, p.valeur) for p in lu.problemes]


def journal(jour: dt.date, action: str = "F01.A1", **kw: Any) -> dict[str, Any]:
    return {"date": jour, "action": action, "intitule": "Atelier", "type": "Atelier", **kw}


def marche(lancement: dt.date, notification: dt.date | None = None, **kw: Any) -> dict[str, Any]:
    return {
        "reference": "M-1",
        "objet": "Objet",
        "nature": "Services",
        "procedure": "Appel d'offres ouvert",
        "negociation": False,
        "date_lancement": lancement,
        "date_notification": notification,
        "montant_ht": 50_000.0,
        "clause_variation": True,
        "criteres_env": True,
        "clause_insertion": False,
        "reserve": "Non",
        **kw,
    }


def operation(**kw: Any) -> dict[str, Any]:
    return {
        "reference": "OP-1",
        "nom": "Lilas",
        "type": "Réhabilitation",
        "logements": 10,
        "date_lancement": dt.date(2025, 3, 1),
        "biosource": False,
        **kw,
    }


def valide(lu: ClasseurLu, aujourdhui: dt.date = AUJ) -> ClasseurLu:
    va.valider_classeur(lu, CONV, aujourdhui)
    return lu


# --- register rows ---------------------------------------------------------------------------------------


def test_dates_du_journal_aux_bornes() -> None:
    jours = [
        dt.date(1999, 12, 31),  # before DATE_MIN: invraisemblable, row left out
        dt.date(2000, 1, 1),  # DATE_MIN: plausible, but outside the convention
        dt.date(2024, 12, 31),
        dt.date(2025, 1, 1),
        AUJ,
        AUJ + dt.timedelta(days=1),
        dt.date(2035, 12, 31),  # DATE_MAX: in the future, not invraisemblable
        dt.date(2036, 1, 1),
    ]
    lignes = rangees(Registre.JOURNAL, *(journal(j) for j in jours))
    lu = valide(classeur(JOURNAL=lignes))
    # Row by row too: the rows visited are chosen by the bounds of each column, a row dated today is not.
    un_par_un = classeur()
    for ligne in rangees(Registre.JOURNAL, *(journal(j) for j in jours)):
        va._ligne(un_par_un, Registre.JOURNAL, ligne, AUJ, CONV)
    assert vus(un_par_un) == vus(lu)
    assert vus(lu) == [
        ("date-invraisemblable", "A5", "31/12/1999"),
        ("date-hors-periode", "A6", "01/01/2000"),
        ("date-hors-periode", "A7", "31/12/2024"),
        ("date-future", "A10", "01/12/2026"),
        ("date-future", "A11", "31/12/2035"),
        ("date-invraisemblable", "A12", "01/01/2036"),
    ]
    assert [ligne.exclue for ligne in lignes] == [True, False, False, False, False, False, False, True]
    messages = [p.message for p in lu.problemes]
    assert messages[0] == "La date 31/12/1999 est invraisemblable : vérifiez l'année (format jj/mm/aaaa)."
    assert messages[1] == (
        "La date 01/01/2000 est hors de la période de la convention (2025–2027) : vérifiez l'année."
    )
    assert messages[3] == (
        "La date 01/12/2026 est dans le futur (après le 30/11/2026) : un fait à venir n'est pas encore compté ; "
        "vérifiez la date."
    )
    assert {p.onglet for p in lu.problemes} == {"Journal des actions"}


def test_colonne_obligatoire_vide_et_texte_trop_long() -> None:
    lignes = rangees(
        Registre.JOURNAL,
        journal(dt.date(2026, 3, 2), intitule=None),
        journal(dt.date(2026, 3, 2), intitule="x" * 2000),
        journal(dt.date(2026, 3, 2), intitule="x" * 2001),
    )
    lu = valide(classeur(JOURNAL=lignes))
    assert vus(lu) == [("ligne-incomplete", "C5", None), ("texte-trop-long", "C7", None)]
    assert [ligne.exclue for ligne in lignes] == [True, False, False]
    assert lu.problemes[0].message == (
        "Ligne incomplète : « Intitulé » est vide ; complétez-la (la ligne est écartée des calculs d'ici là)."
    )
    assert lu.problemes[1].message.startswith("Texte de 2 001 caractères : au-delà de 2 000 il sera tronqué")


def test_texte_a_la_longueur_maximale_ligne_par_ligne() -> None:
    """Row by row as well as through the chosen rows: 2 000 characters exactly is not too long."""
    lu = classeur()
    for ligne in rangees(
        Registre.JOURNAL, *(journal(dt.date(2026, 3, 2), intitule="x" * n) for n in (2000, 2001))
    ):
        va._ligne(lu, Registre.JOURNAL, ligne, AUJ, CONV)
    assert vus(lu) == [("texte-trop-long", "C6", None)]


def test_journal_apres_la_convention() -> None:
    """Seen from 2028, a row of 31/12/2027 is in the convention's period, one of 01/01/2028 is not."""
    lu = classeur()
    apres = dt.date(2028, 3, 1)
    for ligne in rangees(Registre.JOURNAL, journal(dt.date(2027, 12, 31)), journal(dt.date(2028, 1, 1))):
        va._ligne(lu, Registre.JOURNAL, ligne, apres, CONV)
    assert vus(lu) == [("date-hors-periode", "A6", "01/01/2028")]
    assert (
        vus(valide(classeur(JOURNAL=rangees(Registre.JOURNAL, journal(dt.date(2027, 12, 31)))), apres)) == []
    )


def test_ligne_examinee_jusqu_a_la_derniere_colonne() -> None:
    """An empty optional cell, or a column the table does not have, stops nothing: the later columns are
    still checked."""
    lu = classeur()
    (ligne,) = rangees(Registre.JOURNAL, journal(dt.date(2026, 3, 2), illustration=None, commun="x" * 2001))
    va._ligne(lu, Registre.JOURNAL, ligne, AUJ, CONV)
    assert vus(lu) == [("texte-trop-long", cellule(Registre.JOURNAL, "commun", 5), None)]
    # An older table without the date column: the title is still checked.
    (sans_date,) = rangees(
        Registre.JOURNAL, {"action": "F01.A1", "intitule": "x" * 2001, "type": "Atelier"}, sans=("date",)
    )
    lu = classeur()
    va._ligne(lu, Registre.JOURNAL, sans_date, AUJ, CONV)
    assert vus(lu) == [("texte-trop-long", "B5", None)]


def test_valeur_illisible_n_est_pas_une_case_vide() -> None:
    """A cell the reader could not read (value None, something typed) was reported by the reader already."""
    (ligne,) = rangees(Registre.JOURNAL, journal(dt.date(2026, 3, 2), intitule=None))
    ligne.bruts["intitule"] = "\x00"  # something typed, unreadable
    lu = valide(classeur(JOURNAL=[ligne]))
    assert vus(lu) == [] and not ligne.exclue


def test_illustration_du_journal_7_1() -> None:
    lignes = rangees(
        Registre.JOURNAL,
        journal(dt.date(2026, 3, 2), "F07.A1"),
        journal(dt.date(2026, 3, 2), "F07.A1", illustration="https://exemple.invalid/photo"),
        journal(dt.date(2026, 3, 2), "F07.A2"),
    )
    lu = valide(classeur(JOURNAL=lignes))
    assert vus(lu) == [("ligne-a-completer", "G5", None)]
    assert lu.problemes[0].message == (
        "« Lien illustration » est vide : sans illustration, l'action n'est pas comptée dans l'indicateur 7.1."
    )
    assert not lignes[0].exclue


def test_dates_dans_l_ordre_et_critere_environnemental() -> None:
    depuis = CONV.parametres.date_critere_environnemental  # 21/08/2026
    lignes = rangees(
        Registre.MARCHES,
        marche(dt.date(2026, 3, 2), dt.date(2026, 3, 1)),  # notified the day before it was launched
        marche(dt.date(2026, 3, 2), dt.date(2026, 3, 2)),  # the same day: in order
        marche(depuis, criteres_env=False),  # launched on the day it became compulsory
        marche(depuis - dt.timedelta(days=1), criteres_env=False),
        marche(depuis, criteres_env=True),
    )
    lu = valide(classeur(MARCHES=lignes))
    assert vus(lu) == [
        ("dates-incoherentes", cellule(Registre.MARCHES, "date_notification", 5), "01/03/2026"),
        ("critere-environnemental-obligatoire", cellule(Registre.MARCHES, "criteres_env", 7), "21/08/2026"),
    ]
    assert lu.problemes[0].message == (
        "« Date de notification » (01/03/2026) est avant « Date de lancement » (02/03/2026) : corrigez l'une "
        "des deux dates."
    )
    assert "depuis le 21/08/2026" in lu.problemes[1].message
    assert [ligne.exclue for ligne in lignes] == [True, False, False, False, False]


def test_dates_dans_l_ordre_des_autres_registres() -> None:
    lu = valide(
        classeur(
            VEHICULES=rangees(
                Registre.VEHICULES,
                {
                    "immatriculation": "AA-1",
                    "type": "Voiture",
                    "energie": "Diesel",
                    "date_entree": dt.date(2026, 5, 2),
                    "date_sortie": dt.date(2026, 5, 1),
                },
            ),
            EQUIPEMENTS=rangees(
                Registre.EQUIPEMENTS,
                {
                    "identifiant": "PC-1",
                    "type": "Écran",
                    "date_service": dt.date(2024, 5, 2),
                    "date_retrait": dt.date(2023, 5, 1),
                },
            ),
            OPERATIONS=rangees(Registre.OPERATIONS, operation(date_livraison=dt.date(2025, 2, 28))),
        )
    )
    assert sorted(vus(lu)) == [
        ("dates-incoherentes", "D5", "01/05/2023"),
        ("dates-incoherentes", "E5", "01/05/2026"),
        ("dates-incoherentes", "F5", "28/02/2025"),
    ]


def test_controles_des_operations() -> None:
    lignes = rangees(
        Registre.OPERATIONS,
        operation(dpe_avant="D", dpe_apres="E"),  # worse after the works
        operation(dpe_avant="D", dpe_apres="D"),
        operation(dpe_avant="E", dpe_apres="C", methode_avant="3CL-2021", methode_apres="3CL-2026"),
        operation(dpe_avant="E", dpe_apres="C", methode_avant="3CL-2021", methode_apres="3CL-2021"),
        operation(dpe_avant="F", date_livraison=dt.date(2026, 6, 1)),  # delivered, no DPE after
        operation(dpe_avant="F", date_livraison=dt.date(2026, 6, 1), type="Construction"),
        operation(dpe_avant="F"),  # not delivered yet
    )
    lu = valide(classeur(OPERATIONS=lignes))
    apres = lambda n: cellule(Registre.OPERATIONS, "dpe_apres", n)  # noqa: E731
    assert vus(lu) == [
        ("dpe-degrade", apres(5), "E"),
        ("methode-dpe-differente", cellule(Registre.OPERATIONS, "methode_apres", 7), "3CL-2026"),
        ("ligne-a-completer", apres(9), None),
    ]
    assert lu.problemes[0].message.startswith("Le DPE après réhabilitation (E) est moins bon qu'avant (D)")
    assert lu.problemes[1].message.startswith("Les DPE avant (3CL-2021) et après (3CL-2026) n'ont pas")
    assert lu.problemes[2].message == (
        "« DPE après » est vide : sans elle, l'opération livrée n'entre pas dans la comparaison DPE (2.2)."
    )
    assert not any(ligne.exclue for ligne in lignes)


def test_donnees_annuelles() -> None:
    lignes = rangees(
        Registre.DONNEES_ANNUELLES,
        {"annee": 2026, "bilan_total": 100.0, "bilan_deplacements": 100.0},  # equal: a share of 100 %
        {"annee": 2026},
        {"annee": 2026},  # a third time: said once
        {"annee": 2025, "bilan_total": 100.0, "bilan_deplacements": 100.5},
    )
    lu = valide(classeur(DONNEES_ANNUELLES=lignes))
    assert vus(lu) == [("annee-en-double", "A6", "2026"), ("numerateur-superieur", "D8", None)]
    assert {p.onglet for p in lu.problemes} == {REGISTRES[Registre.DONNEES_ANNUELLES].onglet}
    assert lu.problemes[0].message == (
        "L'année 2026 figure plusieurs fois dans « Données annuelles » : les valeurs sont additionnées ; ne "
        "gardez qu'une ligne par année."
    )
    assert lu.problemes[1].message.startswith("Le numérateur (100,5) dépasse le dénominateur (100)")
    assert lu.problemes[1].annee == 2025
    assert [ligne.exclue for ligne in lignes] == [False, False, False, True]


# --- the rows visited: never fewer than those with a problem ------------------------------------------------

# Any date, and each boundary a check turns on (DATE_MIN, DATE_MAX, today, the convention's years).
BORNES = [dt.date(1999, 12, 31), dt.date(2000, 1, 1), dt.date(2024, 12, 31), dt.date(2025, 1, 1), AUJ]
BORNES += [AUJ + dt.timedelta(days=1), dt.date(2027, 12, 31), dt.date(2035, 12, 31), dt.date(2036, 1, 1)]
BORNES += [dt.date(2026, 8, 20), dt.date(2026, 8, 21)]
JOURS = st.one_of(
    st.sampled_from(BORNES), st.dates(min_value=dt.date(1998, 1, 1), max_value=dt.date(2037, 12, 31))
)
LIGNE_MARCHE = st.fixed_dictionaries(
    {
        "reference": st.sampled_from(["M-1", None, "x" * 2001]),
        "objet": st.just("Objet"),
        "nature": st.just("Services"),
        "procedure": st.just("Appel d'offres ouvert"),
        "negociation": st.booleans(),
        "date_lancement": st.one_of(st.none(), JOURS),
        "date_notification": st.one_of(st.none(), JOURS),
        "montant_ht": st.just(50_000.0),
        "clause_variation": st.booleans(),
        "criteres_env": st.sampled_from([True, False, None]),
        "clause_insertion": st.booleans(),
        "reserve": st.just("Non"),
    }
)
LIGNE_JOURNAL = st.fixed_dictionaries(
    {
        "date": st.one_of(st.none(), JOURS),
        "action": st.sampled_from(["F01.A1", "F07.A1"]),
        "intitule": st.sampled_from(["Atelier", None, "x" * 2001]),
        "type": st.just("Atelier"),
        "illustration": st.sampled_from([None, "https://exemple.invalid/a"]),
    }
)
LIGNE_OPERATION = st.fixed_dictionaries(
    {
        "reference": st.just("OP"),
        "nom": st.just("Lilas"),
        "type": st.sampled_from(["Réhabilitation", "Construction"]),
        "logements": st.just(10),
        "date_lancement": st.one_of(st.none(), JOURS),
        "date_livraison": st.one_of(st.none(), JOURS),
        "dpe_avant": st.sampled_from([None, "C", "E", "G"]),
        "dpe_apres": st.sampled_from([None, "B", "E", "F"]),
        "methode_avant": st.sampled_from([None, "3CL-2021"]),
        "methode_apres": st.sampled_from([None, "3CL-2021", "3CL-2026"]),
        "biosource": st.booleans(),
    }
)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(
        [
            (Registre.MARCHES, LIGNE_MARCHE),
            (Registre.JOURNAL, LIGNE_JOURNAL),
            (Registre.OPERATIONS, LIGNE_OPERATION),
        ]
    ).flatmap(lambda p: st.tuples(st.just(p[0]), st.lists(p[1], min_size=1, max_size=6)))
)
def test_lignes_a_controler_contiennent_toutes_celles_a_signaler(
    cas: tuple[Registre, list[dict[str, Any]]],
) -> None:
    """Checking only the rows ``_lignes_a_controler`` names reports what checking every row reports."""
    registre, valeurs = cas
    tous = classeur()
    lignes = rangees(registre, *valeurs)
    for ligne in lignes:
        va._ligne(tous, registre, ligne, AUJ, CONV)
    choisies = classeur()
    lignes_bis = rangees(registre, *valeurs)
    for i in va._lignes_a_controler(lignes_bis, registre, AUJ, CONV):
        va._ligne(choisies, registre, lignes_bis[i], AUJ, CONV)
    assert vus(choisies) == vus(tous)
    assert [ligne.exclue for ligne in lignes_bis] == [ligne.exclue for ligne in lignes]


def test_lignes_a_controler_d_un_registre_propre() -> None:
    """A clean register is cleared without visiting a row; rows of different shapes are all visited."""
    propres = rangees(Registre.JOURNAL, *(journal(dt.date(2026, 3, 2)) for _ in range(3)))
    assert list(va._lignes_a_controler(propres, Registre.JOURNAL, AUJ, CONV)) == []
    melange = [*propres, LigneRegistre(9, journal(dt.date(2026, 3, 2)), {"date": "A9"})]
    assert list(va._lignes_a_controler(melange, Registre.JOURNAL, AUJ, CONV)) == [0, 1, 2, 3]
    # Operations that meet one condition of a report but not all: nothing to visit either.
    proches = rangees(
        Registre.OPERATIONS,
        operation(dpe_avant="D", dpe_apres="D"),  # same class after works
        operation(dpe_avant="E", dpe_apres="C", methode_avant="3CL-2021"),  # one method only
        operation(methode_apres="3CL-2021"),
        operation(methode_avant="3CL-2021", methode_apres="3CL-2021"),
        operation(dpe_avant="E"),  # no class after, works not delivered
        operation(type="Construction neuve", date_livraison=dt.date(2026, 6, 1), dpe_avant="E"),
        operation(date_livraison=dt.date(2026, 6, 1)),  # delivered, no class at all
    )
    assert list(va._lignes_a_controler(proches, Registre.OPERATIONS, AUJ, CONV)) == []
    tout_voir = classeur()
    for ligne in proches:
        va._ligne(tout_voir, Registre.OPERATIONS, ligne, AUJ, CONV)
    assert vus(tout_voir) == []  # and visiting them reports nothing: the filter was right
    # A date and a text in one column do not compare: every row.
    texte = rangees(Registre.JOURNAL, journal(dt.date(2026, 3, 2)), journal("demain"))  # type: ignore[arg-type]
    assert list(va._lignes_a_controler(texte, Registre.JOURNAL, AUJ, CONV)) == [0, 1]


def test_lignes_a_controler_aux_bornes() -> None:
    """Exactly the rows that could be reported: clean values at a bound are not visited, a wrong one is alone."""
    J = Registre.JOURNAL

    def choisies(*lignes: dict[str, Any], sans: tuple[str, ...] = (), jour: dt.date = AUJ) -> list[int]:
        return list(va._lignes_a_controler(rangees(J, *lignes, sans=sans), J, jour, CONV))

    debut, x2000 = dt.date(2025, 1, 1), "x" * va.LONGUEUR_TEXTE_MAX
    assert choisies(journal(debut), journal(AUJ), journal(AUJ, intitule=x2000)) == []
    # One wrong row among rows exactly at the bounds: that row only.
    assert choisies(journal(debut), journal(dt.date(2024, 12, 31)), journal(AUJ)) == [1]
    assert choisies(journal(debut), journal(AUJ + dt.timedelta(days=1)), journal(AUJ)) == [1]
    assert choisies(journal(debut), journal(AUJ, intitule=None), journal(AUJ)) == [1]
    assert choisies(journal(AUJ, intitule=x2000), journal(AUJ, intitule=x2000 + "x"), journal(AUJ)) == [1]
    # Seen from 2029, the journal still ends with the convention on 31/12/2027.
    jour = dt.date(2029, 1, 1)
    assert choisies(journal(dt.date(2027, 12, 31)), journal(dt.date(2028, 1, 1)), jour=jour) == [1]
    # A column absent from the table, or empty throughout, does not stop the columns after it.
    commun = {"commun": "x" * (va.LONGUEUR_TEXTE_MAX + 1)}
    assert choisies(journal(AUJ), journal(AUJ, **commun), sans=("illustration",)) == [1]
    assert choisies(journal(AUJ, illustration=None), journal(AUJ, illustration=None, **commun)) == [1]
    # 7.1 rows with their illustration, contracts notified the day they were launched: nothing to visit.
    photo = "https://exemple.invalid/photo"
    assert choisies(journal(AUJ, "F07.A1", illustration=photo), journal(AUJ, "F07.A1")) == [1]
    le_jour = rangees(Registre.MARCHES, marche(dt.date(2026, 3, 2), dt.date(2026, 3, 2)))
    assert list(va._lignes_a_controler(le_jour, Registre.MARCHES, AUJ, CONV)) == []


def test_lot_en_serie_en_fils_ou_en_processus(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are read in the caller's thread by default, in threads when asked (or as many as the cores),
    in worker processes only when ``apres`` keeps little and there are 4 files per process."""
    principal = threading.current_thread()
    lus: list[tuple[Path, bool]] = []
    pools: list[tuple[Any, ...]] = []

    def traiter(chemin: Path, *_: Any) -> tuple[ClasseurLu, Any]:
        lus.append((chemin, threading.current_thread() is principal))
        return ClasseurLu(chemin=chemin), chemin.name

    monkeypatch.setattr(va, "_traiter", traiter)
    monkeypatch.setattr(va, "_processus", lambda *a: pools.append(a))  # returns None: threads instead

    def lot(n: int, coeurs: int | None = 2, **kw: Any) -> tuple[list[bool], list[tuple[Any, ...]]]:
        lus.clear()
        pools.clear()
        monkeypatch.setattr(os, "cpu_count", lambda: coeurs)
        chemins = [Path(f"o{i}.xlsx") for i in range(n)]
        vus_: list[Path] = []
        validation, extras = va.valider_lot(chemins, CONV, AUJ, progression=vus_.append, **kw)
        assert vus_ == chemins and extras == [c.name for c in chemins]  # in the order of the files
        assert sorted(p for p, _ in lus) == chemins and len(validation.classeurs) == n
        return [ici for _, ici in lus], list(pools)

    assert lot(3) == ([True] * 3, [])  # default: one after the other, here
    assert lot(3, workers=1) == ([True] * 3, [])
    assert lot(3, workers=2, coeurs=1) == ([False] * 3, [])  # asked for 2: 2, whatever the cores
    assert lot(3, workers=None, coeurs=4) == ([False] * 3, [])  # None: as many as the cores
    assert lot(3, workers=None, coeurs=None) == ([True] * 3, [])  # cores unknown: one
    apres = va._doublons  # any module-level function
    assert lot(7, workers=2, apres=apres)[1] == []  # 3 files per process: threads
    assert lot(8, workers=2, apres=apres)[1] == [(2, CONV, AUJ, apres)]  # 4 files per process
    assert lot(8, workers=2)[1] == []  # without apres, processes would send back every row: threads


def test_doublons() -> None:
    """Each file of an office found twice says so, naming the office and every file; the others say nothing."""
    arc, bmh, nmh = CONV.offices[:3]
    lus = [
        ClasseurLu(chemin=Path(nom)) for nom in ("a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx", "e.xlsx", "f.xlsx")
    ]
    for lu, office in zip(lus, (bmh, arc, bmh, None, nmh, bmh), strict=True):
        lu.office = office
    va._doublons(lus)
    assert [lu.doublon for lu in lus] == [True, False, True, False, False, True]
    for lu in (lus[0], lus[2], lus[5]):
        (p,) = lu.problemes
        assert (p.code, p.onglet, p.fichier) == ("office-en-double", "Identité", lu.fichier)
        assert p.message == (
            "L'office « Brest métropole habitat » figure dans plusieurs fichiers (a.xlsx, c.xlsx, f.xlsx) : aucun "
            "n'est consolidé ; ne gardez que le classeur à jour."
        )
    assert [lu.problemes for lu in (lus[1], lus[3], lus[4])] == [[], [], []]


# --- typed values of the fiches ------------------------------------------------------------------------------


def saisie(
    lu: ClasseurLu, code: str, annee: int, champ: Champ, valeur: Any, cell: str, ok: bool = True
) -> None:
    lu.saisies[(code, annee, champ)] = ValeurLue(valeur, valeur, "F03 Relation fournisseurs", cell, ok)


@pytest.mark.parametrize(
    ("num", "den", "realise", "attendu"),
    [
        (3, 0, None, [("denominateur-nul", "H26", None)]),
        (1, 0, None, [("denominateur-nul", "H26", None)]),  # any numerator above 0, 1 included
        (0, 0, None, []),
        (5, 4, None, [("numerateur-superieur", "G26", None)]),
        (4, 4, None, []),
        (3, 4, 0.75, []),
        (3, 4, 0.754, []),
        (3, 4, 0.756, [("ratio-incoherent", "F26", "75,6 %")]),
        (3, 4, 0.744, [("ratio-incoherent", "F26", "74,4 %")]),
        (0, 4, 0.005, []),  # exactly half a point from the ratio: tolerated
    ],
)
def test_ratio_saisi(num: float, den: float, realise: float | None, attendu: list[Any]) -> None:
    lu = classeur()
    saisie(lu, "F03.A3", 2026, Champ.NUMERATEUR, num, "G26")
    saisie(lu, "F03.A3", 2026, Champ.DENOMINATEUR, den, "H26")
    if realise is not None:
        saisie(lu, "F03.A3", 2026, Champ.REALISE, realise, "F26")
    va._ratio(lu, ACTIONS["F03.A3"], 2026, {"action": "F03.A3", "annee": 2026})
    assert vus(lu) == attendu
    assert [(p.action, p.annee) for p in lu.problemes] == [("F03.A3", 2026)] * len(attendu)
    rejete = bool(attendu) and attendu[0][0] != "ratio-incoherent"
    assert lu.saisies[("F03.A3", 2026, Champ.NUMERATEUR)].valide == (not rejete)
    assert lu.saisies[("F03.A3", 2026, Champ.DENOMINATEUR)].valide == (not rejete)
    if attendu and attendu[0][0] == "numerateur-superieur":
        assert lu.problemes[0].message == (
            "Le numérateur (5) dépasse le dénominateur (4) : un taux ne peut dépasser 100 % ; vérifiez les deux "
            "nombres."
        )
    if attendu and attendu[0][0] == "ratio-incoherent":
        assert lu.problemes[0].message == (
            f"Le réalisé saisi ({attendu[0][2]}) diffère du ratio numérateur / dénominateur (75,0 %) : corrigez "
            "l'un ou l'autre."
        )
    if attendu and attendu[0][0] == "denominateur-nul":
        assert lu.problemes[0].message == (
            f"Le dénominateur est nul alors que le numérateur vaut {num} : corrigez l'un des deux."
        )


def test_ratio_incomplet_ou_invalide_non_controle() -> None:
    for num, den, ok in ((3, None, True), (None, 0, True), (5, 4, False)):
        lu = classeur()
        saisie(lu, "F03.A3", 2026, Champ.NUMERATEUR, num, "G26", ok)
        saisie(lu, "F03.A3", 2026, Champ.DENOMINATEUR, den, "H26")
        va._ratio(lu, ACTIONS["F03.A3"], 2026, {})
        assert vus(lu) == [], (num, den, ok)


def test_afficher() -> None:
    assert va._afficher(TypeIndicateur.TAUX, 0.756) == "75,6 %"
    assert va._afficher(TypeIndicateur.PART_REFERENCE, 0.1) == "10,0 %"
    assert va._afficher(TypeIndicateur.COMPTAGE, 1234.567) == "1\u202f234,57"
    assert va._afficher(TypeIndicateur.QUANTITE, 2.0) == "2"
    assert va._afficher(TypeIndicateur.QUANTITE, 12.3456) == "12,35"  # to the cent under 1 000 too


# --- Identité -----------------------------------------------------------------------------------------------


def identite(lu: ClasseurLu, **champs: Any) -> ClasseurLu:
    lignes = {"ID_OFFICE": 3, "ID_REFERENT": 4, "ID_FONCTION": 5, "ID_EMAIL": 6, "ID_TELEPHONE": 7}
    lignes |= {"ID_ETAT": 8, "ID_DATE": 9}
    for nom, valeur in champs.items():
        lu.identite[nom] = ValeurLue(valeur, valeur, "Identité", f"B{lignes[nom]}")
    return lu


def test_identite() -> None:
    complet = dict(ID_OFFICE="Brest métropole habitat", ID_REFERENT="Anne", ID_EMAIL="anne@bmh.fr")
    complet |= dict(ID_ETAT="Soumis", ID_DATE=AUJ, ID_FONCTION=None, ID_TELEPHONE=None)
    lu = identite(classeur(), **complet)
    va._identite(lu, CONV, AUJ)
    assert vus(lu) == []  # optional fields may stay empty; a date of today is not in the future
    vide = {
        **complet,
        "ID_OFFICE": None,
        "ID_REFERENT": None,
        "ID_EMAIL": "anne@bmh",
        "ID_ETAT": "brouillon ",
    }
    lu = identite(classeur(), **{**vide, "ID_DATE": AUJ + dt.timedelta(days=1)})
    va._identite(lu, CONV, AUJ)
    assert vus(lu) == [
        ("identite-incomplete", "B4", None),
        ("email-invalide", "B6", "anne@bmh"),
        ("date-maj-future", "B9", "01/12/2026"),
        ("saisie-brouillon", "B8", "brouillon "),
    ]
    assert (
        lu.problemes[0].message == "Le champ « Référent RSE » de l'onglet Identité est vide : renseignez-le."
    )
    assert lu.problemes[2].message == (
        "La date de mise à jour 01/12/2026 est après la date de référence (30/11/2026) : vérifiez-la (jj/mm/aaaa)."
    )


def test_identite_sans_certains_champs() -> None:
    """An Identité sheet of an older template, without the office cell: the other fields are still checked."""
    lu = identite(classeur(), ID_REFERENT=None, ID_EMAIL="anne@bmh")
    va._identite(lu, CONV, AUJ)
    assert vus(lu) == [("identite-incomplete", "B4", None), ("email-invalide", "B6", "anne@bmh")]


def test_valider_suit_chaque_fichier(tmp_path: Path) -> None:
    """The progress callback is called once per file, in order; one thread or one per core, the same report."""
    chemins = [tmp_path / "arc.xlsx", tmp_path / "bmh.xlsx"]
    for chemin in chemins:
        chemin.write_bytes(b"pas un classeur")
    faits: list[Path] = []
    rapport = va.valider(chemins, CONV, AUJ, progression=faits.append)
    assert faits == chemins
    assert [lu.chemin for lu in rapport.classeurs] == chemins
    assert all(lu.problemes and not lu.lisible for lu in rapport.classeurs)  # neither stops the other
    parallele = va.valider(chemins, CONV, AUJ, workers=None)
    assert [vus(lu) for lu in parallele.classeurs] == [vus(lu) for lu in rapport.classeurs]


@pytest.mark.parametrize("panne_apres", [None, 1])
def test_lot_en_processus_puis_ici_si_un_processus_meurt(
    monkeypatch: pytest.MonkeyPatch, panne_apres: int | None
) -> None:
    """Files done by the worker processes come back in order with their result; if the pool breaks, the
    files not yet done are read here, and the batch still has every file once."""
    from concurrent.futures.process import BrokenProcessPool

    ou: list[tuple[str, str]] = []
    dans_le_pool = [False]

    def traiter(chemin: Path, convention: Any, jour: Any, apres: Any) -> tuple[ClasseurLu, Any]:
        assert (convention, jour) == (CONV, AUJ)
        ou.append((chemin.name, "processus" if dans_le_pool[0] else "ici"))
        return ClasseurLu(chemin=chemin), apres(chemin)

    class Pool:
        def __enter__(self) -> Pool:
            return self

        def __exit__(self, *_: object) -> None:
            pass

        def map(self, f: Any, chemins: list[Path], chunksize: int = 1) -> Any:
            for i, chemin in enumerate(chemins):
                if i == panne_apres:
                    raise BrokenProcessPool("un processus est mort")
                dans_le_pool[0] = True
                yield f(chemin)  # what a worker returns, through _traiter_en_processus
                dans_le_pool[0] = False

    monkeypatch.setattr(va, "_traiter", traiter)
    monkeypatch.setattr(va, "_processus", lambda *a: Pool())
    monkeypatch.setitem(va._CONTEXTE_PROCESSUS, "convention", CONV)
    monkeypatch.setitem(va._CONTEXTE_PROCESSUS, "aujourdhui", AUJ)
    monkeypatch.setitem(va._CONTEXTE_PROCESSUS, "apres", lambda c: c.stem)
    chemins = [Path(f"o{i}.xlsx") for i in range(8)]
    vus_: list[Path] = []
    validation, extras = va.valider_lot(
        chemins, CONV, AUJ, workers=2, progression=vus_.append, apres=lambda c: c.stem
    )
    assert vus_ == chemins and extras == [c.stem for c in chemins]
    assert [lu.chemin for lu in validation.classeurs] == chemins
    attendu = ["processus"] * 8 if panne_apres is None else ["processus"] + ["ici"] * 7
    assert ou == list(zip([c.name for c in chemins], attendu, strict=True))


def test_lot_jamais_plus_de_fils_que_demande(monkeypatch: pytest.MonkeyPatch) -> None:
    """workers=2: never 3 files read at once (each file's rows are in memory while it is read)."""
    trois = threading.Barrier(3)
    a_trois: list[bool] = []

    def traiter(chemin: Path, *_: Any) -> tuple[ClasseurLu, Any]:
        try:
            trois.wait(timeout=0.5)  # passes only if 3 files are being read at the same time
            a_trois.append(True)
        except threading.BrokenBarrierError:
            a_trois.append(False)
        return ClasseurLu(chemin=chemin), None

    monkeypatch.setattr(va, "_traiter", traiter)
    va.valider_lot([Path(f"o{i}.xlsx") for i in range(3)], CONV, AUJ, workers=2)
    assert a_trois == [False] * 3


def test_traiter_lit_avec_la_convention_et_garde_une_panne_pour_son_fichier(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The batch's convention reaches the reader; a defect of rse-xl on one file is that file's problem."""
    recus: list[Any] = []

    def lire(chemin: Path, convention: Any) -> ClasseurLu:
        recus.append(convention)
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(va, "lire_classeur", lire)
    chemin = tmp_path / "bmh.xlsx"
    lu, extra = va._traiter(chemin, CONV, AUJ, lambda *a: "jamais")
    assert recus == [CONV] and extra is None
    assert lu.chemin == chemin and isinstance(lu.chemin, Path) and lu.fichier == "bmh.xlsx"
    (p,) = lu.problemes
    assert p.code == "fichier-illisible" and p.fichier == str(chemin)
    assert "erreur inattendue de rse-xl, RuntimeError : panne simulée" in p.message


def test_office_different_du_modele_et_referentiel() -> None:
    lu = identite(classeur(), ID_OFFICE="Brest métropole habitat")
    lu.office = next(o for o in CONV.offices if o.code == "BMH")
    lu.office_modele = "ARC"
    lu.referentiel_empreinte = "0123456789abcdef"
    va._identite(lu, CONV, AUJ)
    assert [p.code for p in lu.problemes] == ["office-incoherent", "referentiel-different"]
    assert lu.problemes[0].cellule == "B3" and lu.problemes[0].message == (
        "L'office saisi (« Brest métropole habitat ») n'est pas celui pour qui le classeur a été généré "
        "(« Archipel habitat ») : vérifiez que c'est le bon classeur."
    )
    from rse_xl.referentiel import empreinte_referentiel

    assert lu.problemes[1].message.startswith(
        "Le classeur a été généré avec une autre version du référentiel (empreinte 01234567…, attendue "
        f"{empreinte_referentiel()[:8]}…"
    )
    # A template marked for an office the convention does not know: named by its code, nothing breaks.
    lu = identite(classeur(), ID_OFFICE="Brest métropole habitat")
    lu.office = next(o for o in CONV.offices if o.code == "BMH")
    lu.office_modele = "XYZ"
    va._identite(lu, CONV, AUJ)
    assert [p.code for p in lu.problemes] == ["office-incoherent"]
    assert "généré (« XYZ »)" in lu.problemes[0].message
    # The template's own office, or the référentiel it was built with: nothing to say.
    lu = identite(classeur(), ID_OFFICE="Brest métropole habitat")
    lu.office = next(o for o in CONV.offices if o.code == "BMH")
    lu.office_modele = "BMH"
    lu.referentiel_empreinte = empreinte_referentiel()
    va._identite(lu, CONV, AUJ)
    assert vus(lu) == []


# --- one action, one year --------------------------------------------------------------------------------


def test_valeurs_manquantes_jusqu_a_l_annee_en_cours() -> None:
    """A past or current year left empty is said; a year still to come is not; « Réalisé » wants its proof."""
    lu = classeur()
    for annee, ligne in ((2026, 10), (2027, 11)):
        for champ, col in ((Champ.ETAPE, "C"), (Champ.CIBLE, "E"), (Champ.JUSTIFICATIF, "M")):
            lu.saisies[("F04.A2", annee, champ)] = ValeurLue(None, None, "F04 Air intérieur", f"{col}{ligne}")
    lu.saisies[("F04.A2", 2027, Champ.ETAPE)] = ValeurLue("Réalisé", "Réalisé", "F04 Air intérieur", "C11")
    for annee in (2026, 2027):
        va._action_annee(lu, ACTIONS["F04.A2"], annee, CONV, AUJ)
    assert [(p.code, p.cellule, p.action, p.annee) for p in lu.problemes] == [
        ("valeur-manquante", "C10", "F04.A2", 2026),
        ("valeur-manquante", "E10", "F04.A2", 2026),
        ("justificatif-manquant", "M11", "F04.A2", 2027),
    ]
    assert lu.problemes[0].message == (
        "L'état de l'étape de 2026 est vide : renseignez-le (sinon l'indicateur apparaît « Non renseigné »)."
    )
    assert lu.problemes[1].message.startswith("L'objectif-cible de 2026 est vide")


def test_realise_saisi_face_aux_registres() -> None:
    """1.1 typed 5: the journal has 2 workshops of 2026 (a gap), or rows of 2025 only (not kept for 2026),
    or is declared not kept (nothing to compare), or declared kept with no row (a gap with 0)."""

    def cas(lignes: list[LigneRegistre], tenu: bool | None = None) -> list[tuple[str, str | None]]:
        lu = classeur(JOURNAL=lignes)
        lu.saisies[("F01.A1", 2026, Champ.REALISE)] = ValeurLue(5, 5, "F01 Eau", "F10")
        if tenu is not None:
            lu.registres_tenus[(Registre.JOURNAL, 2026)] = tenu
        va._action_annee(lu, ACTIONS["F01.A1"], 2026, CONV, AUJ)
        return [(p.code, p.message) for p in lu.problemes if p.code != "valeur-manquante"]

    deux = rangees(Registre.JOURNAL, journal(dt.date(2026, 3, 2)), journal(dt.date(2026, 4, 2)))
    assert cas(deux) == [
        (
            "ecart-registre",
            "Le réalisé saisi (5) diffère de la valeur calculée depuis les registres (2) : corrigez le réalisé "
            "ou complétez le registre « Journal des actions ». La valeur des registres est retenue.",
        )
    ]
    assert cas(rangees(Registre.JOURNAL, *(journal(dt.date(2026, 3, j)) for j in range(1, 6)))) == []
    ((code, message),) = cas(rangees(Registre.JOURNAL, journal(dt.date(2025, 3, 2))))
    assert code == "registre-non-tenu" and "aucune ligne datée de 2026" in message
    assert cas(deux, tenu=False) == []
    ((code, message),) = cas([], tenu=True)
    assert code == "ecart-registre" and "depuis les registres (0)" in message
    assert cas([]) == []  # no register row, nothing said: the typed value is the figure


def sans_registre(code: str) -> Any:
    """The action as a convention whose indicator is typed only (no register behind it) would have it."""
    action = ACTIONS[code]
    source = action.indicateur.source.model_copy(update={"registre": None})
    return action.model_copy(update={"indicateur": action.indicateur.model_copy(update={"source": source})})


def test_realise_vide_selon_la_source() -> None:
    """An empty « Réalisé » is said only where the office must type it: not where the registers make it,
    not for a rate (its numerator and denominator are asked for), and not for a year still to come."""

    def realises_manquants(action: Any, annee: int) -> list[str]:
        lu = classeur()
        lu.saisies[(action.code, annee, Champ.REALISE)] = ValeurLue(None, None, "F13 Numérique", "F10")
        va._action_annee(lu, action, annee, CONV, AUJ)
        return [p.message for p in lu.problemes if p.code == "valeur-manquante" and p.cellule == "F10"]

    assert realises_manquants(ACTIONS["F13.A2"], 2026) == []  # from the registers
    (message,) = realises_manquants(sans_registre("F13.A2"), 2026)
    assert message.startswith("Le réalisé de 2026 est vide")
    assert realises_manquants(sans_registre("F13.A2"), 2027) == []
    assert realises_manquants(sans_registre("F14.A1"), 2026) == []


def test_ecart_d_un_taux_en_pourcentage() -> None:
    """14.1 typed 80 % while the contracts of 2026 make 1 of 2: both shown as rates."""
    jour = dt.date(2026, 3, 2)
    lu = classeur(
        MARCHES=rangees(Registre.MARCHES, marche(jour, jour), marche(jour, jour, criteres_env=False))
    )
    lu.saisies[("F14.A1", 2026, Champ.REALISE)] = ValeurLue(0.8, 0.8, "F14 Achats", "F10")
    va._action_annee(lu, ACTIONS["F14.A1"], 2026, CONV, AUJ)
    (message,) = [p.message for p in lu.problemes if p.code == "ecart-registre"]
    assert message.startswith(
        "Le réalisé saisi (80,0 %) diffère de la valeur calculée depuis les registres (50,0 %)"
    )
