"""Fiche sheets and identity: steps, targets, values from the registers, comments, evidence."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Mapping, Sequence
from typing import Any

from rse_xl.demo.contexte import Contexte, Ligne, en_ascii, jour_ouvre
from rse_xl.demo.donnees import COMMENTAIRES_A_VENIR, COMMENTAIRES_EN_COURS, COMMENTAIRES_REALISE
from rse_xl.layout import TYPES_AVEC_RATIO, Champ, champs_action, nom_defini
from rse_xl.referentiel import ANNEES, Action, Convention, Registre, Sens, TypeIndicateur
from rse_xl.regles import Calcul, calculer, regle_de
from rse_xl.tolerances import concordent


def _commentaire_chiffre(action: Action, annee: int, calcul: Calcul | None) -> str | None:
    """A comment that explains the figure, as a référent would write it."""
    if calcul is None or calcul.valeur is None:
        return None
    num, den = calcul.numerateur, calcul.denominateur
    code = action.code
    if code in ("F03.A3", "F14.A1") and num is not None and den is not None:
        return f"{num:.0f} marchés sur {den:.0f} notifiés en {annee} au-dessus du seuil de 40 000 € HT."
    if code == "F08.A1" and num is not None and den is not None:
        return f"{num:.0f} procédures sur {den:.0f} lancées en {annee} permettent la négociation."
    if code == "F12.A1" and num is not None and den is not None:
        entres = calcul.details.get("vehicules_entres", 0)
        elec = calcul.details.get("vehicules_entres_electriques", 0)
        return (
            f"{num:.0f} véhicules électriques sur {den:.0f} véhicules motorisés au 31/12/{annee} ; "
            f"{elec:.0f} des {entres:.0f} véhicules entrés dans l'année sont électriques."
        )
    if code == "F12.A2" and num is not None and den is not None:
        return f"Déplacements : {num:.0f} tCO2e sur un bilan de {den:.0f} tCO2e."
    if code == "F13.A1" and den:
        return f"Durée moyenne calculée sur {den:.0f} équipements sortis du parc en {annee}."
    if code == "F02.A2" and calcul.details.get("logements_compares"):
        gain = f"{calcul.details.get('gain_moyen_classes', 0.0):.1f}".replace(".", ",")
        return (
            f"{calcul.details['logements_compares']:.0f} logements réhabilités livrés en {annee} ; "
            f"gain moyen de {gain} classe(s) DPE."
        )
    if code == "F09.A1":
        return f"Heures déclarées par le facilitateur des clauses sociales au titre de {annee}."
    return None


def _valeur_saisie(action: Action, valeur: float) -> float | int:
    """The value as a référent types it: rates to 3 decimals, means to 1, counts as whole numbers."""
    kind = action.indicateur.type
    if kind in TYPES_AVEC_RATIO:
        return round(valeur, 3)
    if kind is TypeIndicateur.MOYENNE_PAR_TYPE:
        arrondi = round(valeur, 1)
        # The tolerance is half a tenth: keep a second decimal where float noise would break it.
        return arrondi if concordent(action, arrondi, valeur) else round(valeur, 2)
    if float(valeur).is_integer():
        return int(valeur)
    return round(valeur, 1)


def _cible(
    rng: random.Random,
    action: Action,
    annee: int,
    calculs: Mapping[int, Calcul | None],
    cibles: Mapping[int, float],
) -> float | int:
    """A plausible office target: near what the registers show, a little more ambitious the next year."""
    ind = action.indicateur
    if ind.type is TypeIndicateur.PART_REFERENCE:
        precedente = cibles.get(annee - 1)
        return round(precedente + 0.05, 2) if precedente else rng.choice((0.05, 0.05, 0.08))
    connu = [
        c.valeur for a, c in sorted(calculs.items()) if a <= annee and c is not None and c.valeur is not None
    ]
    reference = connu[-1] if connu else None
    precedente = cibles.get(annee - 1)
    if ind.type is TypeIndicateur.TAUX:
        base = reference if reference is not None else 0.5
        cible = base + rng.uniform(-0.05, 0.1)
        if precedente is not None:
            cible = max(cible, precedente + 0.03)
        return min(1.0, max(0.1, round(cible * 20) / 20))
    if ind.type is TypeIndicateur.MOYENNE_PAR_TYPE:
        base = reference if reference is not None else 5.0
        cible = max(base, precedente + 0.25 if precedente else 0.0)
        return math.ceil(cible * 2) / 2
    if ind.sens is Sens.BAISSE:
        base = reference if reference is not None else 50.0
        return round(base * rng.uniform(0.9, 0.97)) if precedente is None else round(precedente * 0.93)
    base = reference if reference else rng.randint(2, 5)
    cible = base * rng.uniform(0.85, 1.3)
    if precedente is not None:
        cible = max(cible, math.ceil(precedente * 1.1))
    if ind.type is TypeIndicateur.QUANTITE and cible > 500:
        return round(cible / 100) * 100
    if cible > 200:
        return round(cible / 10) * 10
    return max(1, round(cible))


def _etape(rng: random.Random, annee: int, annee_courante: int) -> str:
    if annee < annee_courante:
        return "Réalisé" if rng.random() < 0.88 else "En cours"
    if annee == annee_courante:
        return "Réalisé" if rng.random() < 0.4 else "En cours"
    return "Non démarré"


def valeurs_fiches(
    ctx: Contexte, conv: Convention, registres: Mapping[Registre, Sequence[Ligne]]
) -> dict[str, Any]:
    """ETAPE, CIBLE, REALISE (from the registers), ratio, comment and evidence of every action and year."""
    rng = ctx.rng
    valeurs: dict[str, Any] = {}
    for fiche in conv.fiches:
        for action in fiche.actions:
            champs = champs_action(action)
            calculs = {
                a: calculer(action, a, registres, conv.parametres) if regle_de(action) else None
                for a in ctx.annees
            }
            cibles: dict[int, float] = {}
            for annee in ANNEES:

                def nom(champ: Champ, annee: int = annee, action: Action = action) -> str:
                    return nom_defini(action, annee, champ)

                etape = _etape(rng, annee, ctx.annee_courante)
                valeurs[nom(Champ.ETAPE)] = etape
                cible = action.indicateur.cibles[annee]
                if Champ.CIBLE in champs and cible.fixee_par_office:
                    cibles[annee] = _cible(rng, action, annee, calculs, cibles)
                    valeurs[nom(Champ.CIBLE)] = cibles[annee]
                calcul = calculs.get(annee)
                if Champ.REALISE in champs and calcul is not None and calcul.valeur is not None:
                    valeurs[nom(Champ.REALISE)] = _valeur_saisie(action, calcul.valeur)
                    if Champ.NUMERATEUR in champs and calcul.numerateur is not None:
                        valeurs[nom(Champ.NUMERATEUR)] = _valeur_saisie_ratio(action, calcul.numerateur)
                    if Champ.DENOMINATEUR in champs and calcul.denominateur is not None:
                        valeurs[nom(Champ.DENOMINATEUR)] = _valeur_saisie_ratio(action, calcul.denominateur)
                commentaire = _commentaire(rng, action, annee, etape, calcul, ctx.annee_courante)
                if commentaire:
                    valeurs[nom(Champ.COMMENTAIRE)] = commentaire
                if etape == "Réalisé":
                    valeurs[nom(Champ.JUSTIFICATIF)] = (
                        f"https://intranet.{ctx.p.domaine}/rse/{action.code.replace('.', '-')}-{annee}.pdf"
                    )
    return valeurs


def _valeur_saisie_ratio(action: Action, valeur: float) -> float | int:
    if action.indicateur.type is TypeIndicateur.TAUX or float(valeur).is_integer():
        return int(valeur)
    return round(valeur, 1)


def _commentaire(
    rng: random.Random, action: Action, annee: int, etape: str, calcul: Calcul | None, annee_courante: int
) -> str | None:
    tirage = rng.random()
    if annee > annee_courante:
        if tirage < 0.1:
            return rng.choice(COMMENTAIRES_A_VENIR).format(annee=annee, precedente=annee)
        return None
    if tirage < 0.2:
        chiffre = _commentaire_chiffre(action, annee, calcul)
        if chiffre:
            return chiffre
    if tirage < 0.35:
        modeles = COMMENTAIRES_REALISE if etape == "Réalisé" else COMMENTAIRES_EN_COURS
        return rng.choice(modeles).format(annee=annee, suivante=annee + 1)
    return None


def identite(ctx: Contexte) -> dict[str, Any]:
    rng = ctx.rng
    prenom, nom, fonction = rng.choice(ctx.p.referents)
    local = f"{en_ascii(prenom)}.{en_ascii(nom)}".lower().replace(" ", "").replace("'", "")
    return {
        "ID_OFFICE": ctx.office.nom,
        "ID_REFERENT": f"{prenom} {nom}",
        "ID_FONCTION": fonction,
        "ID_EMAIL": f"{local}@{ctx.p.domaine}",
        "ID_TELEPHONE": f"{ctx.p.telephone} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        "ID_ETAT": ctx.p.etat,
        "ID_DATE": jour_ouvre(dt.date(ctx.annee_courante, 11, rng.randint(17, 28))),
    }
