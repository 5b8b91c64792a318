"""Floor of the ``rse-xl consolider`` process: read every cell of the workbooks, write them into one workbook.

What any tool doing this job must pay: start Python, import python-calamine and XlsxWriter, parse every sheet
of the input workbooks, write their cells into one output workbook. No check, no computation.

    python bench/plancher_processus.py SORTIE.xlsx CLASSEUR.xlsx [...]
"""

from __future__ import annotations

import sys

import python_calamine as pc
import xlsxwriter


def main(sortie: str, entrees: list[str]) -> None:
    classeur = xlsxwriter.Workbook(sortie, {"strings_to_formulas": False, "strings_to_urls": False})
    for k, chemin in enumerate(entrees):
        lu = pc.CalamineWorkbook.from_path(chemin)
        for i, nom in enumerate(lu.sheet_names):
            feuille = classeur.add_worksheet(f"{k}-{i}")
            for ligne, valeurs in enumerate(lu.get_sheet_by_name(nom).to_python()):
                for col, valeur in enumerate(valeurs):
                    if valeur != "":
                        feuille.write(ligne, col, valeur)
    classeur.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
