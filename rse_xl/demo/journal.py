"""Register of actions (Journal des actions): the office's own entries and the shared items."""

from __future__ import annotations

import datetime as dt

from rse_xl.demo.contexte import Contexte, Ligne, jour_ouvre, slug
from rse_xl.demo.donnees import (
    ACTEURS_BIOSOURCES,
    ACTEURS_INSERTION,
    DOUBLONS_COMMUNS,
    ELEMENTS_COMMUNS,
    EXPERIMENTATIONS,
    JOURNAL,
    PART_ILLUSTREE,
    SERVICES_5S,
    VOLUMES_JOURNAL,
    ModeleJournal,
)
from rse_xl.referentiel import Action, Convention, referentiel


def actions_journal(convention: Convention | None = None) -> list[Action]:
    """The actions whose indicator counts rows of the Journal des actions."""
    conv = convention or referentiel()
    return [
        a for f in conv.fiches for a in f.actions if (a.indicateur.source.regle or "").startswith("journal_")
    ]


def _ligne_journal(
    ctx: Contexte, code: str, modele: ModeleJournal, date: dt.date, commun: str | None
) -> Ligne:
    rng = ctx.rng
    intitule = modele.intitule.format(
        res=ctx.residence(),
        quartier=ctx.quartier(),
        acteur_bio=rng.choice(ACTEURS_BIOSOURCES),
        acteur_insertion=rng.choice(ACTEURS_INSERTION),
        naturaliste=ctx.p.naturaliste,
        service=rng.choice(SERVICES_5S).format(quartier=ctx.quartier()),
        experimentation=rng.choice(EXPERIMENTATIONS),
        trimestre=f"T{(date.month - 1) // 3 + 1} {date.year}",
    )
    participants = rng.randint(*modele.participants) if modele.participants else None
    illustration = None
    if rng.random() < PART_ILLUSTREE.get(code, 0.3):
        if rng.random() < 0.5:
            illustration = f"https://www.{ctx.p.domaine}/actualites/{date.year}/{slug(intitule)}"
        else:
            illustration = f"https://intranet.{ctx.p.domaine}/photos/{date:%Y-%m}-{slug(intitule, 32)}.jpg"
    return {
        "date": date,
        "action": code,
        "intitule": intitule,
        "type": modele.type,
        "public": modele.public,
        "participants": participants,
        "illustration": illustration,
        "commun": commun,
    }


def lignes_journal(ctx: Contexte) -> list[Ligne]:
    rng = ctx.rng
    lignes: list[Ligne] = []
    for code in VOLUMES_JOURNAL:
        for annee in ctx.annees:
            cle = f"journal:{code}:{annee}"
            # F16 rows here are the office's own items, besides the shared ones: there may be none.
            n = ctx.taille(cle, minimum=0) if code.startswith("F16") else ctx.taille(cle, ctx.p.journal)
            modeles = [m for m in JOURNAL[code] if not m.annees or annee in m.annees]
            for k in range(n):
                if code == "F03.A1" and annee >= 2026 and k < 4:
                    # Quarterly publication of the purchasing calendar, mid-January, April, July, October.
                    date = jour_ouvre(dt.date(annee, 1 + 3 * k, rng.randint(10, 20)))
                    if date > ctx.limite:
                        date = ctx.date_dans(annee)
                    modele = JOURNAL[code][1]
                else:
                    date = ctx.date_dans(annee)
                    modele = rng.choice(modeles)
                lignes.append(_ligne_journal(ctx, code, modele, date, None))
    for element in ELEMENTS_COMMUNS:
        if ctx.code not in element.offices or element.date > ctx.limite:
            continue
        repetitions = 1 + DOUBLONS_COMMUNS.get(ctx.code, ()).count(element.commun)
        for k in range(repetitions):
            session = "" if repetitions == 1 else (" (matin)", " (après-midi)")[min(k, 1)]
            lignes.append(
                {
                    "date": element.date,
                    "action": element.action,
                    "intitule": element.intitule + session,
                    "type": element.type,
                    "public": "Autres offices",
                    "participants": rng.randint(9, 24),
                    "illustration": f"https://intranet.{ctx.p.domaine}/cooperation/{element.commun.lower()}",
                    "commun": element.commun,
                }
            )
    lignes.sort(key=lambda r: (r["date"], r["action"], r["intitule"]))
    return lignes
