"""The catalogue of checks: each code with its severity, its title and its French message template.

The order of :data:`CONTROLES` is the order of the README's catalogue table and of the listings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Gravite(StrEnum):
    ERREUR = "erreur"
    AVERTISSEMENT = "avertissement"


E, A = Gravite.ERREUR, Gravite.AVERTISSEMENT


@dataclass(frozen=True)
class Controle:
    code: str
    gravite: Gravite
    titre: str
    modele: str  # French message template; placeholders filled from the problem's parameters
    exemple: dict[str, Any] = field(default_factory=dict)  # parameters of the README example

    def message(self, **params: Any) -> str:
        try:
            return self.modele.format(**params)
        except (KeyError, IndexError):  # a missing parameter must never hide the problem itself
            return self.modele


# The same advice for every spreadsheet saved in another format: the person's work is kept, only re-saved.
ENREGISTRER_EN_XLSX = (
    "Enregistrez-le au format Excel : Fichier › Enregistrer sous… › Classeur Excel 2007-365 (.xlsx), "
    "puis utilisez ce fichier .xlsx."
)

CONTROLES: tuple[Controle, ...] = (
    # -- the file ----------------------------------------------------------------------------------------
    Controle(
        "fichier-introuvable",
        E,
        "Fichier introuvable",
        "Le fichier est introuvable ou inaccessible ({detail}) : vérifiez le chemin et les droits d'accès.",
        {"detail": "aucun fichier à cet emplacement"},
    ),
    Controle(
        "type-fichier-inconnu",
        E,
        "Type de fichier inconnu",
        "Ce fichier n'est pas un classeur Excel ({detail}) : utilisez le classeur .xlsx fourni par le coordinateur.",
        {"detail": "fichier texte"},
    ),
    Controle(
        "format-xls",
        E,
        "Ancien format .xls",
        "Classeur au format Excel 97-2003 (.xls). " + ENREGISTRER_EN_XLSX,
        {},
    ),
    Controle(
        "format-autre-tableur",
        E,
        "Classeur d'un autre format",
        "{detail}, pas un classeur Excel. " + ENREGISTRER_EN_XLSX,
        {"detail": "Classeur LibreOffice / OpenDocument (.ods)"},
    ),
    Controle(
        "fichier-protege",
        E,
        "Classeur protégé par mot de passe",
        "Le classeur est chiffré par un mot de passe à l'ouverture : enregistrez-en une copie sans mot de passe "
        "(Fichier > Informations > Protéger le classeur > Chiffrer avec mot de passe, puis videz le champ).",
        {},
    ),
    Controle(
        "fichier-illisible",
        E,
        "Fichier illisible",
        "Le classeur est endommagé et ne peut pas être lu ({detail}) : rouvrez-le dans Excel, laissez-le "
        "réparer le fichier, puis enregistrez-le de nouveau.",
        {"detail": "archive ZIP corrompue"},
    ),
    Controle(
        "fichier-suspect",
        E,
        "Fichier anormalement volumineux",
        "Le classeur se décompresse en un volume anormal ({detail}) : il n'est pas lu par précaution. "
        "Repartez du classeur fourni par le coordinateur.",
        {"detail": "ratio de compression 1 000:1"},
    ),
    Controle(
        "classeur-demesure",
        E,
        "Classeur démesuré",
        "Le classeur n'est pas lu par précaution : {detail}, bien au-delà de ce que le modèle contient. "
        "Supprimez les lignes et colonnes au-delà de vos données (sélectionnez-les, clic droit > Supprimer), "
        "enregistrez, puis renvoyez le classeur.",
        {
            "detail": "l'onglet « Journal des actions » s'étend jusqu'à la cellule XFD1048576, soit 17 180 millions de cellules"
        },
    ),
    Controle(
        "macros-ignorees",
        A,
        "Macros ignorées",
        "Le classeur contient des macros (.xlsm) : seules les valeurs sont lues, les macros ne sont jamais "
        "exécutées.",
        {},
    ),
    # -- the template ------------------------------------------------------------------------------------
    Controle(
        "modele-inconnu",
        E,
        "Classeur hors modèle",
        "Ce classeur n'a pas été créé à partir du modèle rse-xl ({detail}) : recopiez vos données dans le "
        "classeur de votre office (rse-xl modele --office …).",
        {"detail": "nom défini RSE_MODELE absent"},
    ),
    Controle(
        "version-modele-inconnue",
        E,
        "Version du modèle inconnue",
        "Version du modèle « {version} » inconnue de cet outil (versions connues : {connues}) : mettez rse-xl à "
        "jour (pip install -U rse-xl).",
        {"version": "7", "connues": "1"},
    ),
    Controle(
        "modele-a-migrer",
        A,
        "Modèle à mettre à jour",
        "Classeur du modèle version {version} : il est lu, mais le modèle actuel (version {actuelle}) {apport}. "
        "Passez-le au modèle actuel avec « rse-xl migrer {classeur} » : toutes les saisies sont reprises.",
        {
            "version": "1",
            "actuelle": "2",
            "apport": "permet de dire, registre par registre, s'il est tenu chaque année",
            "classeur": "RSE_2025-2027_BMH.xlsx",
        },
    ),
    Controle(
        "version-modele-ancienne",
        E,
        "Modèle ancien",
        "Classeur créé avec une ancienne version du modèle ({version}) : générez un classeur neuf (rse-xl modele) "
        "et recopiez-y vos saisies, onglet par onglet.",
        {"version": "0"},
    ),
    Controle(
        "referentiel-different",
        A,
        "Référentiel différent",
        "Le classeur a été généré avec une autre version du référentiel (empreinte {trouve}…, attendue "
        "{attendu}…) : les libellés peuvent différer, régénérez le classeur si la convention a changé.",
        {"trouve": "3fa2c1d0", "attendu": "9b1e77aa"},
    ),
    Controle(
        "onglet-manquant",
        E,
        "Onglet manquant",
        "L'onglet « {onglet} » est introuvable (supprimé ou renommé ?) : rétablissez-le avec son nom exact.",
        {"onglet": "F03 Relation fournisseurs"},
    ),
    Controle(
        "onglet-renomme",
        A,
        "Onglet renommé",
        "L'onglet « {attendu} » a été renommé « {onglet} » : ses saisies sont lues par leurs noms définis, rien "
        "n'est perdu. Rendez-lui son nom d'origine pour que les autres outils le retrouvent.",
        {"attendu": "F12 Mobilité durable", "onglet": "F12 Mobilité"},
    ),
    Controle(
        "tableau-manquant",
        E,
        "Tableau manquant",
        "Le tableau « {table} » de l'onglet « {onglet} » est introuvable : ne convertissez pas le tableau en "
        "plage et ne le renommez pas.",
        {"table": "tMarches", "onglet": "Marchés"},
    ),
    Controle(
        "colonne-manquante",
        E,
        "Colonne manquante",
        "La colonne « {colonne} » du tableau « {table} » est introuvable (renommée ou supprimée ?) : "
        "rétablissez l'en-tête exact.",
        {"colonne": "Montant HT", "table": "tMarches"},
    ),
    Controle(
        "nom-manquant",
        E,
        "Cellule nommée manquante",
        "La cellule nommée « {nom} » n'existe plus (ligne ou colonne supprimée ?) : repartez d'un classeur "
        "neuf pour cette fiche.",
        {"nom": "F03_A3_2026_REALISE"},
    ),
    Controle(
        "cellule-fusionnee",
        E,
        "Cellules fusionnées",
        "Des cellules de saisie ont été fusionnées ({plage}) : annulez la fusion (Accueil > Fusionner et "
        "centrer) pour que chaque valeur ait sa cellule.",
        {"plage": "E12:F12"},
    ),
    # -- identity ----------------------------------------------------------------------------------------
    Controle(
        "office-manquant",
        E,
        "Office non renseigné",
        "L'office n'est pas indiqué : choisissez-le dans la liste de l'onglet Identité.",
        {},
    ),
    Controle(
        "office-inconnu",
        E,
        "Office inconnu",
        "Office « {valeur} » inconnu : choisissez l'un des offices de la convention ({offices}).",
        {
            "valeur": "OPH de Quimper",
            "offices": "Archipel habitat, Brest métropole habitat, Nantes Métropole Habitat",
        },
    ),
    Controle(
        "office-incoherent",
        A,
        "Office différent du modèle",
        "L'office saisi (« {valeur} ») n'est pas celui pour qui le classeur a été généré (« {attendu} ») : "
        "vérifiez que c'est le bon classeur.",
        {"valeur": "Archipel habitat", "attendu": "Brest métropole habitat"},
    ),
    Controle(
        "office-en-double",
        E,
        "Office en double",
        "L'office « {nom_office} » figure dans plusieurs fichiers ({fichiers}) : aucun n'est consolidé ; ne gardez "
        "que le classeur à jour.",
        {"nom_office": "Brest métropole habitat", "fichiers": "bmh.xlsx, bmh (copie).xlsx"},
    ),
    Controle(
        "identite-incomplete",
        A,
        "Identité incomplète",
        "Le champ « {champ} » de l'onglet Identité est vide : renseignez-le.",
        {"champ": "Référent RSE"},
    ),
    Controle(
        "email-invalide",
        A,
        "E-mail invalide",
        "« {valeur} » n'est pas une adresse e-mail valide : saisissez une adresse du type prenom.nom@office.fr.",
        {"valeur": "jean.dupont"},
    ),
    Controle(
        "saisie-brouillon",
        A,
        "Saisie en brouillon",
        "La saisie est à l'état « {valeur} » : les chiffres peuvent encore changer ; passez l'état à « Soumis » "
        "quand la saisie est terminée.",
        {"valeur": "Brouillon"},
    ),
    # -- values ------------------------------------------------------------------------------------------
    Controle(
        "type-invalide",
        E,
        "Valeur du mauvais type",
        "« {valeur} » n'est pas {attendu} : {conseil}.",
        {"valeur": "douze", "attendu": "un nombre", "conseil": "saisissez un nombre, par exemple 12 ou 12,5"},
    ),
    Controle(
        "lecture-interpretee",
        A,
        "Valeur interprétée",
        "Valeur lue avec tolérance : {note}. Vérifiez qu'elle est juste et saisissez-la au format attendu.",
        {"note": "« 12,5 » (texte) lu comme le nombre 12,5"},
    ),
    Controle(
        "nombre-negatif",
        E,
        "Nombre négatif",
        "{valeur} est négatif : un {quoi} ne peut pas l'être ; corrigez la valeur.",
        {"valeur": "-3", "quoi": "nombre d'actions"},
    ),
    Controle(
        "nombre-non-entier",
        E,
        "Nombre non entier",
        "{valeur} n'est pas un nombre entier : un {quoi} se compte en unités ; corrigez la valeur.",
        {"valeur": "2,5", "quoi": "nombre d'actions"},
    ),
    Controle(
        "taux-hors-bornes",
        E,
        "Taux hors bornes",
        "Le taux {valeur} n'est pas entre 0 % et 100 % : saisissez par exemple 45 %.",
        {"valeur": "145 %"},
    ),
    Controle(
        "numerateur-superieur",
        E,
        "Numérateur supérieur au dénominateur",
        "Le numérateur ({numerateur}) dépasse le dénominateur ({denominateur}) : un taux ne peut dépasser "
        "100 % ; vérifiez les deux nombres.",
        {"numerateur": "12", "denominateur": "10"},
    ),
    Controle(
        "denominateur-nul",
        E,
        "Dénominateur nul",
        "Le dénominateur est nul alors que le numérateur vaut {numerateur} : corrigez l'un des deux.",
        {"numerateur": "3"},
    ),
    Controle(
        "ratio-incoherent",
        A,
        "Taux différent du ratio",
        "Le réalisé saisi ({valeur}) diffère du ratio numérateur / dénominateur ({ratio}) : corrigez l'un ou "
        "l'autre.",
        {"valeur": "45 %", "ratio": "50 %"},
    ),
    Controle(
        "date-hors-periode",
        A,
        "Date hors période",
        "La date {valeur} est hors de la période de la convention ({debut}–{fin}) : vérifiez l'année.",
        {"valeur": "12/03/2205", "debut": "2025", "fin": "2027"},
    ),
    Controle(
        "date-invraisemblable",
        E,
        "Date invraisemblable",
        "La date {valeur} est invraisemblable : vérifiez l'année (format jj/mm/aaaa).",
        {"valeur": "12/03/1926"},
    ),
    Controle(
        "date-future",
        A,
        "Date future",
        "La date {valeur} est dans le futur (après le {aujourdhui}) : un fait à venir n'est pas encore compté ; "
        "vérifiez la date.",
        {"valeur": "15/12/2027", "aujourdhui": "30/11/2026"},
    ),
    Controle(
        "critere-environnemental-obligatoire",
        A,
        "Critère environnemental obligatoire",
        "Marché lancé le {valeur} sans critère environnemental : depuis le {depuis}, toute consultation lancée "
        "doit comporter au moins un critère d'attribution prenant en compte les caractéristiques "
        "environnementales de l'offre (code de la commande publique, art. L. 2152-7, modifié par l'art. 35 de "
        "la loi n° 2021-1104 du 22 août 2021 « Climat et résilience » ; décret n° 2022-767 du 2 mai 2022). "
        "Vérifiez le marché, ou corrigez « Critères environnementaux ».",
        {"valeur": "02/09/2026", "depuis": "21/08/2026"},
    ),
    Controle(
        "lignes-hors-tableau",
        A,
        "Lignes saisies sous le tableau",
        "{nombre} ligne(s) saisie(s) sous le tableau « {table} » ({lignes}) : hors du tableau (LibreOffice ne "
        "l'agrandit pas quand on écrit dessous) et ne sont pas comptées. Agrandissez le tableau pour les y "
        "inclure (poignée en bas à droite du tableau, ou Création de tableau > Redimensionner le tableau).",
        {"nombre": "2", "table": "tJournal", "lignes": "lignes 205 à 206"},
    ),
    Controle(
        "date-maj-future",
        A,
        "Date de mise à jour future",
        "La date de mise à jour {valeur} est après la date de référence ({aujourdhui}) : vérifiez-la (jj/mm/aaaa).",
        {"valeur": "15/12/2026", "aujourdhui": "30/11/2026"},
    ),
    Controle(
        "dates-incoherentes",
        E,
        "Dates dans le désordre",
        "« {apres} » ({valeur}) est avant « {avant} » ({valeur_avant}) : corrigez l'une des deux dates.",
        {
            "apres": "Date de livraison",
            "valeur": "01/02/2025",
            "avant": "Date de lancement",
            "valeur_avant": "01/09/2025",
        },
    ),
    Controle(
        "valeur-hors-liste",
        E,
        "Valeur hors liste",
        "« {valeur} » n'est pas une valeur prévue pour « {colonne} » : choisissez dans la liste ({valeurs}).",
        {
            "valeur": "Travaux neufs",
            "colonne": "Nature",
            "valeurs": "Travaux, Fournitures, Services, Prestations intellectuelles",
        },
    ),
    Controle(
        "code-action-inconnu",
        E,
        "Code action inconnu",
        "« {valeur} » n'est pas un code d'action de la convention : choisissez un code de F01.A1 à F16.A2.",
        {"valeur": "F17.A1"},
    ),
    Controle(
        "classe-dpe-invalide",
        E,
        "Classe DPE invalide",
        "« {valeur} » n'est pas une classe DPE : saisissez une lettre de A à G.",
        {"valeur": "H"},
    ),
    Controle(
        "dpe-degrade",
        A,
        "DPE dégradé",
        "Le DPE après réhabilitation ({apres}) est moins bon qu'avant ({avant}) : vérifiez les classes, ou "
        "expliquez-le en commentaire.",
        {"avant": "D", "apres": "E"},
    ),
    Controle(
        "methode-dpe-differente",
        A,
        "Méthodes DPE différentes",
        "Les DPE avant ({avant}) et après ({apres}) n'ont pas la même méthode : le changement de coefficient "
        "de l'électricité en 2026 déplace des classes sans travaux ; comparez à méthode égale si possible.",
        {"avant": "DPE 2021", "apres": "DPE 2026 (coefficient électricité 1,9)"},
    ),
    Controle(
        "ligne-incomplete",
        E,
        "Ligne incomplète",
        "Ligne incomplète : « {colonne} » est vide ; complétez-la (la ligne est écartée des calculs d'ici là).",
        {"colonne": "Date de lancement"},
    ),
    Controle(
        "ligne-a-completer",
        A,
        "Ligne à compléter",
        "« {colonne} » est vide : {conseil}.",
        {
            "colonne": "DPE après",
            "conseil": "sans elle, l'opération n'entre pas dans la comparaison DPE (2.2)",
        },
    ),
    Controle(
        "annee-en-double",
        A,
        "Année en double",
        "L'année {valeur} figure plusieurs fois dans « {table} » : les valeurs sont additionnées ; ne gardez "
        "qu'une ligne par année.",
        {"valeur": "2026", "table": "Données annuelles"},
    ),
    Controle(
        "texte-trop-long",
        A,
        "Texte trop long",
        "Texte de {longueur} caractères : au-delà de {maximum} il sera tronqué dans la synthèse ; résumez-le "
        "et mettez le détail dans le justificatif.",
        {"longueur": "5 000", "maximum": "2 000"},
    ),
    Controle(
        "erreur-formule",
        E,
        "Erreur de formule",
        "La cellule contient une erreur de calcul ({valeur}) : corrigez la formule ou remplacez-la par une valeur.",
        {"valeur": "#DIV/0!"},
    ),
    Controle(
        "formule-sans-resultat",
        E,
        "Formule sans résultat",
        "La cellule contient une formule ({valeur}) dont aucun tableur n'a enregistré le résultat (fichier écrit "
        "par un programme) : tapez la valeur elle-même à la place de la formule, ou ouvrez le classeur dans "
        "Excel ou LibreOffice et enregistrez-le pour que le résultat soit calculé.",
        {"valeur": "=B4*2"},
    ),
    Controle(
        "formule-en-saisie",
        A,
        "Formule dans une saisie",
        "Cette cellule de saisie contient une formule ({formule}) : son résultat ({valeur}), calculé par le "
        "tableur, est retenu. Vérifiez-le, et tapez plutôt la valeur si la formule dépend d'autres cellules qui "
        "peuvent changer.",
        {"formule": "=12+3", "valeur": "15"},
    ),
    Controle(
        "formules-registre",
        A,
        "Formules dans un registre",
        "{nombre} cellule(s) du tableau « {table} » contiennent une formule (la première : {formule}) : les "
        "résultats calculés par le tableur sont retenus ; vérifiez-les, ou tapez les valeurs elles-mêmes.",
        {"nombre": "3", "table": "tMarches", "formule": "=B4*1,2"},
    ),
    Controle(
        "onglet-illisible",
        E,
        "Onglet illisible",
        "L'onglet « {onglet} » ne peut pas être lu ({detail}) : ses saisies ne sont pas prises en compte ; "
        "ouvrez le classeur dans Excel, recopiez le contenu de l'onglet dans un classeur neuf et renvoyez-le.",
        {"onglet": "F01 Eau", "detail": "valeur de cellule inconnue"},
    ),
    Controle(
        "formule-ecrasee",
        A,
        "Formule écrasée",
        "La formule de cette cellule calculée a été remplacée par une saisie ({valeur}) : le contrôle en direct "
        "ne fonctionne plus ; régénérez la fiche ou recopiez la formule de la ligne voisine. Python recalcule "
        "de toute façon la valeur depuis les registres.",
        {"valeur": "12"},
    ),
    # -- consistency -------------------------------------------------------------------------------------
    Controle(
        "ecart-registre",
        A,
        "Écart avec les registres",
        "Le réalisé saisi ({valeur}) diffère de la valeur calculée depuis les registres ({calcule}) : corrigez "
        "le réalisé ou complétez le registre « {registre} ». La valeur des registres est retenue.",
        {"valeur": "12", "calcule": "10", "registre": "Journal des actions"},
    ),
    Controle(
        "registre-non-tenu",
        A,
        "Registre non tenu pour l'année",
        "Le réalisé saisi ({valeur}) diffère de la valeur calculée depuis le registre « {registre} » "
        "({calcule}), mais ce registre n'a aucune ligne datée de {annee} : il n'est pas tenu pour cette année et "
        "la valeur saisie est retenue. Complétez le registre pour {annee} si vous le tenez, sinon laissez le "
        "réalisé saisi.",
        {"valeur": "5", "calcule": "0", "registre": "Journal des actions", "annee": "2025"},
    ),
    Controle(
        "valeur-manquante",
        A,
        "Valeur manquante",
        "{quoi} de {annee} est vide : renseignez-le (sinon l'indicateur apparaît « Non renseigné »).",
        {"quoi": "L'objectif-cible", "annee": "2026"},
    ),
    Controle(
        "justificatif-manquant",
        A,
        "Justificatif manquant",
        "L'étape {annee} est « Réalisé » sans justificatif : ajoutez un lien vers le document qui le prouve.",
        {"annee": "2025"},
    ),
)

CATALOGUE: dict[str, Controle] = {c.code: c for c in CONTROLES}
