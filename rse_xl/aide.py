"""French for everything Typer and Click print themselves: help pages, usage lines, metavars, usage errors.

Typer and its Click mark some strings for gettext and hard-code others (``"Usage: "``, ``"Show this message
and exit."``, metavars such as ``<list[Path]>``, pydantic's « Input should be… »). No catalogue reaches them
all, so :func:`franciser` walks the command tree built from the Typer app — every command, including those
added later — and gives each command, option and argument its French words; :func:`message_usage` turns a
usage error into one French sentence. Both read only public attributes, or private ones behind ``getattr``
defaults, so an older Typer or a plain Click keeps working (in English where a hook is missing).
"""

from __future__ import annotations

import difflib
import re
from typing import Any

try:  # Typer ≥ 0.20 vendors its own copy of click
    from typer import _click as click
    from typer._click import exceptions as cx
except ImportError:  # pragma: no cover
    import click  # type: ignore[no-redef]
    from click import exceptions as cx  # type: ignore[no-redef]

__all__ = ["AIDE_OPTION_AIDE", "franciser", "message_usage", "plage"]

AIDE_OPTION_AIDE = "Afficher cette aide et quitter."
PREFIXE_USAGE = "Utilisation : "
METAVAR_COMMANDES = "COMMANDE [ARGUMENTS]..."

# Strings that Typer passes through gettext (``_``) or keeps as module constants.
_GETTEXT = {
    "(dynamic)": "(calculé)",
    "Aborted!": "Interrompu.",
    "default: {default}": "défaut : {default}",
    "required": "obligatoire",
    "env var: {var}": "variable d'environnement : {var}",
    "Arguments": "Arguments",
    "Options": "Options",
    "Commands": "Commandes",
    "Missing command.": "Commande manquante.",
    "No such command {name!r}.": "Commande inconnue « {name} ».",
}
_CONSTANTES_RICH = {
    "DEPRECATED_STRING": "(obsolète) ",
    "DEFAULT_STRING": "[défaut : {}]",
    "ENVVAR_STRING": "[variable d'environnement : {}]",
    "REQUIRED_LONG_STRING": "[obligatoire]",
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commandes",
    "ERRORS_PANEL_TITLE": "Erreur",
    "ABORTED_TEXT": "Interrompu.",
    "RICH_HELP": "Aide : [blue]« {command_path} {help_option} »[/].",
}

# Metavar of a value by its Python type, when the command did not name it.
_METAVARS = {int: "N", float: "NOMBRE", str: "TEXTE", bool: "OUI|NON"}


def _traduire(texte: str) -> str:
    return _GETTEXT.get(texte, texte)


class _Formateur(click.HelpFormatter):
    """Click's help formatter with a French usage prefix."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, PREFIXE_USAGE if prefix is None else prefix)


_contextes: dict[type, type] = {}


def _contexte_francais(classe: type) -> type:
    """A subclass of the command's context class whose help formatter writes « Utilisation : »."""
    if getattr(classe, "formatter_class", None) is _Formateur:
        return classe
    if classe not in _contextes:
        _contextes[classe] = type("Contexte" + classe.__name__, (classe,), {"formatter_class": _Formateur})
    return _contextes[classe]


_installe = False


def _installer_traductions() -> None:
    """Once per process: French for Typer's module-level strings (gettext calls and rich constants)."""
    global _installe
    if _installe:
        return
    _installe = True
    import typer.core

    if hasattr(typer.core, "_"):
        typer.core._ = _traduire  # type: ignore[attr-defined,assignment]
    try:
        from typer import rich_utils
    except ImportError:  # pragma: no cover - rich is a dependency
        return
    for nom, texte in _CONSTANTES_RICH.items():
        if hasattr(rich_utils, nom):
            setattr(rich_utils, nom, texte)
    surligneur = getattr(rich_utils, "OptionHighlighter", None)
    if surligneur is not None:
        surligneur.highlights = [r.replace("Usage: ", PREFIXE_USAGE) for r in surligneur.highlights]


def plage(minimum: float | None, maximum: float | None) -> str | None:
    """A numeric range in words: « 1 ou plus », « au plus 5 », « de 2025 à 2027 »."""
    if minimum is None and maximum is None:
        return None
    if maximum is None:
        return f"{minimum:g} ou plus"
    if minimum is None:
        return f"au plus {maximum:g}"
    return f"de {minimum:g} à {maximum:g}"


def _annotation(param: Any) -> Any:
    descripteur = getattr(param, "type_descriptor", None)
    return getattr(descripteur, "annotation", None)


def _metavar(param: Any) -> str:
    """The metavar a person reads for an option's value, from its type when the command named none."""
    if getattr(param, "is_flag", False):
        return ""
    descripteur = getattr(param, "type_descriptor", None)
    if descripteur is not None:
        if getattr(descripteur, "is_choice", False) and descripteur.choices:
            nom = "|".join(str(getattr(c, "value", c)) for c in descripteur.choices)
        elif getattr(descripteur, "is_path", False):
            nom = "CHEMIN"
        else:
            annotation = _annotation(param)
            arguments = getattr(annotation, "__args__", ()) or ()
            element = arguments[0] if getattr(descripteur, "is_list", False) and arguments else annotation
            nom = _METAVARS.get(element, "CHEMIN" if getattr(element, "__name__", "") == "Path" else "VALEUR")
    else:  # plain click
        nom = {"integer": "N", "float": "NOMBRE", "path": "CHEMIN", "text": "TEXTE"}.get(
            getattr(getattr(param, "type", None), "name", ""), "VALEUR"
        )
    return nom + ("..." if getattr(param, "multiple", False) or param.nargs != 1 else "")


def _est_argument(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "argument"


def _franciser_parametre(param: Any) -> None:
    if _est_argument(param):
        if param.metavar is None:
            param.metavar = (param.name or "valeur").upper()
        # The name column already shows the metavar: no second « type » column.
        param.display_type_rich = lambda ctx: None
    elif param.metavar is None:
        param.metavar = _metavar(param)
    if hasattr(param, "_get_number_range_help_str"):
        param._get_number_range_help_str = lambda p=param: plage(
            getattr(p, "min", None), getattr(p, "max", None)
        )


def franciser(commande: click.Command, parent: click.Context | None = None, nom: str | None = None) -> None:
    """Give French words to a command and, recursively, to its subcommands, options and arguments."""
    _installer_traductions()
    commande.context_class = _contexte_francais(commande.context_class)
    ctx = commande.context_class(
        commande, info_name=nom or commande.name, parent=parent, **commande.context_settings
    )
    aide = commande.get_help_option(ctx)
    if aide is not None:
        aide.help = AIDE_OPTION_AIDE
        _franciser_parametre(aide)
    for param in commande.params:
        _franciser_parametre(param)
    sous_commandes = getattr(commande, "commands", None)
    if isinstance(sous_commandes, dict):
        if getattr(commande, "subcommand_metavar", None) == "COMMAND [ARGS]...":
            commande.subcommand_metavar = METAVAR_COMMANDES  # type: ignore[attr-defined]
        for nom_sous, sous in sous_commandes.items():
            franciser(sous, ctx, nom_sous)


# --- usage errors ------------------------------------------------------------------------------------------

_PYDANTIC = {
    "int_parsing": "« {input} » n'est pas un nombre entier",
    "int_from_float": "« {input} » n'est pas un nombre entier",
    "int_type": "« {input} » n'est pas un nombre entier",
    "float_parsing": "« {input} » n'est pas un nombre",
    "float_type": "« {input} » n'est pas un nombre",
    "bool_parsing": "« {input} » n'est ni oui ni non",
    "greater_than_equal": "{input} est trop petit : il faut au moins {ge}",
    "greater_than": "{input} est trop petit : il faut plus de {gt}",
    "less_than_equal": "{input} est trop grand : il faut au plus {le}",
    "less_than": "{input} est trop grand : il faut moins de {lt}",
    "date_from_datetime_parsing": "« {input} » n'est pas une date",
    "literal_error": "« {input} » n'est pas une valeur permise",
    "enum": "« {input} » n'est pas une valeur permise",
}

# Accents, French quotes or French small words: the mark of a message written by rse-xl.
_FRANCAIS = re.compile(
    r"[«»éèàùçêâîôû]|\b(le|la|les|des|du|est|pas|une?|et|ou|pour|dans|avec)\b", re.IGNORECASE
)

_HORS_LIMITES = ("greater_than_equal", "greater_than", "less_than_equal", "less_than")

_CLICK = (
    (re.compile(r"Option '(?P<o>[^']+)' requires an argument\."), "l'option {o} attend une valeur"),
    (re.compile(r"Option '(?P<o>[^']+)' requires (?P<n>\d+) arguments\."), "l'option {o} attend {n} valeurs"),
    (re.compile(r"Option '(?P<o>[^']+)' does not take a value\."), "l'option {o} ne prend pas de valeur"),
    (re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<a>.*)\)"), "argument(s) en trop : {a}"),
    (re.compile(r"Argument '(?P<a>[^']+)' takes (?P<n>\d+) values\."), "l'argument {a} attend {n} valeurs"),
    (re.compile(r"Missing command\.?"), "commande manquante"),
    (re.compile(r"Value must be an iterable\."), "plusieurs valeurs attendues"),
    (re.compile(r".* '?(?P<c>[^']*)'? is a file\."), "« {c} » est un fichier, un dossier est attendu"),
    (re.compile(r".* '?(?P<c>[^']*)'? is a directory\."), "« {c} » est un dossier, un fichier est attendu"),
    (re.compile(r".* '?(?P<c>[^']*)'? does not exist\."), "« {c} » n'existe pas"),
)


def _valeur_refusee(exc: cx.BadParameter) -> str:
    param = exc.param
    etendue = plage(getattr(param, "min", None), getattr(param, "max", None)) if param else None
    cause = exc.__cause__
    erreurs = cause.errors() if cause is not None and hasattr(cause, "errors") else []
    if not erreurs:
        return _anglais_en_francais(exc.message, "valeur refusée")
    e = erreurs[0]
    if etendue and e.get("type") in _HORS_LIMITES:
        return f"{e.get('input', '')} est hors des valeurs permises ({etendue})"
    modele = _PYDANTIC.get(e.get("type", ""), "« {input} » n'est pas une valeur acceptée")
    quoi = modele.format(input=e.get("input", ""), **(e.get("ctx") or {}))
    return quoi + (f" (valeurs permises : {etendue})" if etendue else "")


def _anglais_en_francais(message: str, defaut: str) -> str:
    for motif, francais in _CLICK:
        m = motif.fullmatch(message.strip())
        if m:
            return francais.format(**m.groupdict())
    # A message from our own callbacks is already French; any other one, from Click or Typer, is replaced.
    return message if _FRANCAIS.search(message) else defaut


def message_usage(exc: cx.UsageError) -> str:
    """One French line for a misuse of the command line, ending with where to read the help."""
    ctx = exc.ctx
    commande = ctx.command_path if ctx else "rse-xl"
    if isinstance(exc, cx.NoSuchOption):
        quoi = f"option inconnue « {exc.option_name} »"
        proches = difflib.get_close_matches(exc.option_name, list(exc.possibilities or []), n=1)
        if proches:
            quoi += f" (vouliez-vous dire « {proches[0]} » ?)"
    elif isinstance(exc, cx.MissingParameter) and exc.param is not None:
        noms = "/".join(getattr(exc.param, "opts", []) or [exc.param.name or ""])
        if _est_argument(exc.param):
            noms = exc.param.metavar or noms
        quoi = f"paramètre obligatoire manquant : {noms}"
    elif isinstance(exc, cx.BadParameter):
        nom = "/".join(getattr(exc.param, "opts", []) or []) if exc.param else ""
        quoi = f"valeur invalide{(' pour ' + nom) if nom else ''} : {_valeur_refusee(exc)}"
    elif m := re.match(r"(?:No such command '|Commande inconnue « )(?P<c>.*?)(?:'| »)", exc.message):
        quoi = f"commande inconnue « {m['c']} »"
        groupe = ctx.command if ctx else None
        connues = list(getattr(groupe, "commands", {}) or {})
        proches = difflib.get_close_matches(m["c"], connues, n=1)
        if proches:
            quoi += f" (vouliez-vous dire « {proches[0]} » ?)"
    else:
        quoi = _anglais_en_francais(exc.message, "commande incorrecte")
    return f"Erreur : {quoi.rstrip('.')}. Voir « {commande} --help »."
