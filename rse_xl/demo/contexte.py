"""What every register generator shares: the office's profile, the seeded generator, dates and draws."""

from __future__ import annotations

import datetime as dt
import math
import random
import unicodedata
from collections.abc import Mapping
from typing import Any

from rse_xl.demo.donnees import PROFILS, VOLUMES_JOURNAL, Profil
from rse_xl.referentiel import ANNEES, Office

Ligne = dict[str, Any]


def profil(office: Office) -> Profil:
    """The office's demo profile; an office outside the convention borrows Archipel habitat's, renamed."""
    p = PROFILS.get(office.code)
    if p is not None:
        return p
    return PROFILS["ARC"].model_copy(
        update={"domaine": f"{office.code.lower()}.fr", "format_marche": "{code}-{aa}-{n:03d}"}
    )


# --- Small helpers -----------------------------------------------------------------------------------------


def en_ascii(texte: str) -> str:
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()


def slug(texte: str, longueur: int = 48) -> str:
    """URL fragment of a title: ascii, lower case, words joined by hyphens."""
    mots = "".join(c if c.isalnum() else " " for c in en_ascii(texte).lower()).split()
    return "-".join(mots)[:longueur].rstrip("-")


def date_entre(rng: random.Random, debut: dt.date, fin: dt.date) -> dt.date:
    return debut + dt.timedelta(days=rng.randint(0, max(0, (fin - debut).days)))


JOURS_FERIES = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))  # fixed dates only


def ouvre(d: dt.date) -> bool:
    return d.weekday() < 5 and (d.month, d.day) not in JOURS_FERIES


def jour_ouvre(d: dt.date) -> dt.date:
    """The working day on or just before d (or just after, not to leave its year)."""
    recul = d
    while not ouvre(recul):
        recul -= dt.timedelta(days=1)
    if recul.year == d.year:
        return recul
    while not ouvre(d):
        d += dt.timedelta(days=1)
    return d


def lognormal(rng: random.Random, mediane: float, sigma: float, bas: float, haut: float) -> float:
    return min(haut, max(bas, rng.lognormvariate(math.log(mediane), sigma)))


def pondere(rng: random.Random, poids: Mapping[str, float]) -> str:
    cles = list(poids)
    return rng.choices(cles, weights=[poids[k] for k in cles])[0]


class Contexte:
    """What every register generator needs: the office, its profile, the seeded generator, the dates."""

    def __init__(self, office: Office, rng: random.Random, echelle: float, annee_courante: int) -> None:
        self.office = office
        self.code = office.code
        self.p = profil(office)
        self.rng = rng
        self.echelle = echelle
        self.annee_courante = annee_courante
        self.annees = tuple(a for a in ANNEES if a <= annee_courante)
        # Registers are kept up to date until mid-November; the workbook is saved a few days later.
        self.limite = dt.date(annee_courante, 11, 14)
        self.bases = self._tirer_tailles()

    def _tirer_tailles(self) -> dict[str, int]:
        """Register sizes at scale 1, drawn first so that they do not depend on echelle."""
        rng, p = self.rng, self.p
        bases = {
            "marches": rng.randint(*p.marches),
            "operations": rng.randint(*p.operations),
            "vehicules": rng.randint(*p.vehicules),
            "equipements": rng.randint(*p.equipements),
        }
        for k, annee in enumerate(self.annees):
            bases[f"reserves:{annee}"] = rng.randint(1, 2 if annee < self.annee_courante else 3)
            bases[f"reemploi:{annee}"] = rng.randint(*p.reemploi[min(k, len(p.reemploi) - 1)])
            for code, volumes in VOLUMES_JOURNAL.items():
                bases[f"journal:{code}:{annee}"] = rng.randint(*volumes.get(annee, volumes[max(volumes)]))
        return bases

    def taille(self, cle: str, facteur: float = 1.0, minimum: int = 1) -> int:
        """Rows of a register (or of a part of it): the base size times echelle, so linear in echelle."""
        return max(minimum, round(self.bases[cle] * facteur * self.echelle))

    def fin_annee(self, annee: int) -> dt.date:
        return min(dt.date(annee, 12, 15), self.limite)

    def date_dans(self, annee: int, debut: tuple[int, int] = (1, 8)) -> dt.date:
        return jour_ouvre(date_entre(self.rng, dt.date(annee, *debut), self.fin_annee(annee)))

    def residence(self) -> str:
        return self.rng.choice(self.p.residences)

    def quartier(self) -> str:
        return self.rng.choice(self.p.quartiers)
