"""Help pages and usage errors in French, for every command of the app (present and future)."""

from __future__ import annotations

import re

import pytest
import typer

from rse_xl.aide import plage
from rse_xl.cli import _date, app, main

# Words Typer, Click or pydantic print in English; none may reach a person.
ANGLAIS = re.compile(
    r"\b(Usage|Show this|message and exit|required|default|Commands?|COMMAND|ARGS|Arguments? '|Error|Try|"
    r"Input should|valid integer|greater than|less than|range|Missing|No such|Did you mean|requires|"
    r"does not|unexpected|Aborted|list\[|Path|<bool>|<str>|<int|<path>|x>=|x<=)\b|<bool>|<int|<str>|<path>"
)


@pytest.fixture(autouse=True)
def _large(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide terminal: help lines are not wrapped in the middle of a phrase the tests look for."""
    monkeypatch.setenv("COLUMNS", "200")


def _chemins(commande: object, prefixe: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    chemins = [prefixe]
    for nom, sous in (getattr(commande, "commands", None) or {}).items():
        chemins += _chemins(sous, (*prefixe, nom))
    return chemins


COMMANDES = _chemins(typer.main.get_command(app))


def test_toutes_les_commandes_sont_parcourues() -> None:
    assert {c[0] for c in COMMANDES if c} >= {
        "valider",
        "consolider",
        "modele",
        "maitre",
        "demo",
        "referentiel",
    }


@pytest.mark.parametrize("chemin", COMMANDES, ids=lambda c: " ".join(c) or "rse-xl")
def test_aide_en_francais(capsys: pytest.CaptureFixture[str], chemin: tuple[str, ...]) -> None:
    code = main([*chemin, "--help"])
    out, err = capsys.readouterr()
    assert code == 0, err
    texte = out + err
    assert "Utilisation : rse-xl" in texte
    assert "Afficher cette aide et quitter." in texte
    anglais = ANGLAIS.findall(texte)
    assert not anglais, f"anglais dans l'aide de {' '.join(chemin)} : {anglais}\n{texte}"


def test_aide_des_options(capsys: pytest.CaptureFixture[str]) -> None:
    main(["consolider", "--help"])
    out = capsys.readouterr().out
    assert "[FICHIER|DOSSIER]..." in out
    assert re.search(r"--annee +ANNÉE \[de 2025 à 2027\]", out)
    assert re.search(r"--workers +N \[1 ou plus\]", out)
    assert re.search(r"--json +Résumé", out), "un drapeau n'a pas de type affiché"
    main(["modele", "--help"])
    out = capsys.readouterr().out
    assert "[obligatoire]" in out and "OFFICE" in out
    main(["demo", "--help"])
    out = capsys.readouterr().out
    assert "[défaut : workbooks]" in out and "DOSSIER" in out
    main([])
    out = capsys.readouterr().out
    assert out.count("Utilisation : rse-xl [OPTIONS] COMMANDE [ARGUMENTS]...") == 1
    assert "Commandes" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["valider", "--workers", "0"],
            "Erreur : valeur invalide pour --workers : 0 est hors des valeurs permises (1 ou plus).",
        ),
        (
            ["valider", "--workers", "deux"],
            "Erreur : valeur invalide pour --workers : « deux » n'est pas un nombre entier "
            "(valeurs permises : 1 ou plus).",
        ),
        (
            ["consolider", "--annee", "abc"],
            "Erreur : valeur invalide pour --annee : « abc » n'est pas un nombre entier "
            "(valeurs permises : de 2025 à 2027).",
        ),
        (
            ["consolider", "--annee", "2028"],
            "Erreur : valeur invalide pour --annee : 2028 est hors des valeurs permises (de 2025 à 2027).",
        ),
        (["demo", "--graine", "1,5"], "Erreur : valeur invalide pour --graine : « 1,5 » n'est pas un nombre"),
        (["consolider", "--export"], "Erreur : l'option --export attend une valeur."),
        (["valider", "--json=oui"], "Erreur : l'option --json ne prend pas de valeur."),
        (["valider", "--jsn"], "Erreur : option inconnue « --jsn » (vouliez-vous dire « --json » ?)."),
        (["consolidr"], "Erreur : commande inconnue « consolidr » (vouliez-vous dire « consolider » ?)."),
        (["referentiel", "a", "b"], "Erreur : argument(s) en trop : a b."),
        (["modele"], "Erreur : paramètre obligatoire manquant : --office."),
    ],
)
def test_valeurs_jugees_en_francais(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 2
    assert err.startswith(message), err
    assert not ANGLAIS.search(out + err), err


@pytest.mark.parametrize(
    ("minimum", "maximum", "texte"),
    [(1, None, "1 ou plus"), (None, 5, "au plus 5"), (2025, 2027, "de 2025 à 2027"), (None, None, None)],
)
def test_plage(minimum: int | None, maximum: int | None, texte: str | None) -> None:
    assert plage(minimum, maximum) == texte


@pytest.mark.parametrize("texte", ["30/11/2026", "2026-11-30", " 30/11/2026 "])
def test_date_reference_deux_formats(texte: str) -> None:
    import datetime as dt

    assert _date(texte) == dt.date(2026, 11, 30)


@pytest.mark.parametrize("texte", ["31/02/2026", "2026/11/30", "30-11-2026", "demain"])
def test_date_reference_invalide(texte: str) -> None:
    from rse_xl.errors import EntreeError

    with pytest.raises(EntreeError, match="jj/mm/aaaa"):
        _date(texte)


def test_message_francais_d_un_rappel_garde_anglais_inconnu_remplace() -> None:
    from rse_xl.aide import cx, message_usage

    assert (
        message_usage(cx.BadParameter("« xml » : choisissez l'option csv ou pdf"))
        == "Erreur : valeur invalide : « xml » : choisissez l'option csv ou pdf. Voir « rse-xl --help »."
    )
    assert (
        message_usage(cx.BadParameter("Value 'x' is not a valid thing."))
        == "Erreur : valeur invalide : valeur refusée. Voir « rse-xl --help »."
    )
    assert message_usage(cx.UsageError("Something odd happened.")) == (
        "Erreur : commande incorrecte. Voir « rse-xl --help »."
    )


def _sans_rich(commande: object) -> None:
    commande.rich_markup_mode = None  # type: ignore[attr-defined]
    for sous in (getattr(commande, "commands", None) or {}).values():
        _sans_rich(sous)


@pytest.mark.parametrize("chemin", COMMANDES, ids=lambda c: " ".join(c) or "rse-xl")
def test_aide_sans_rich_en_francais(capsys: pytest.CaptureFixture[str], chemin: tuple[str, ...]) -> None:
    """Typer's plain Click help (no rich markup) goes through the same French words."""
    from rse_xl.aide import franciser

    groupe = typer.main.get_command(app)
    franciser(groupe)
    _sans_rich(groupe)
    assert groupe.main(args=[*chemin, "--help"], prog_name="rse-xl", standalone_mode=False) in (0, None)
    texte = capsys.readouterr().out
    assert texte.startswith("Utilisation : rse-xl")
    assert "Afficher cette aide et quitter." in texte
    assert not ANGLAIS.findall(texte), texte
