"""The référentiel as plain JSON-ready data (``rse-xl referentiel --json``)."""

from __future__ import annotations

from typing import Any

from rse_xl.referentiel import empreinte_referentiel
from rse_xl.referentiel.models import Convention


def en_dict(conv: Convention) -> dict[str, Any]:
    """Whole référentiel; ``cibles`` maps each year to the convention's text, ``cibles_detail`` to its meaning."""
    return {
        "titre": conv.titre,
        "periode": list(conv.periode),
        "empreinte": empreinte_referentiel(),
        "offices": [o.model_dump() for o in conv.offices],
        "parametres": conv.parametres.model_dump(),
        "fiches": [
            {
                "numero": f.numero,
                "code": f.code,
                "titre": f.titre,
                "onglet": f.onglet,
                "contexte": f.contexte,
                "objectifs": list(f.objectifs),
                "actions": [
                    {
                        **a.model_dump(mode="json", exclude={"indicateur", "calendrier"}),
                        "calendrier": {str(y): t for y, t in a.calendrier.items()},
                        "indicateur": {
                            **a.indicateur.model_dump(mode="json", exclude={"cibles"}),
                            "agregation": a.indicateur.agregation,
                            "cibles": {str(y): c.texte for y, c in a.indicateur.cibles.items()},
                            "cibles_detail": {
                                str(y): c.model_dump(mode="json") for y, c in a.indicateur.cibles.items()
                            },
                        },
                    }
                    for a in f.actions
                ],
            }
            for f in conv.fiches
        ],
    }
