Attribute VB_Name = "RseXl"
' Boutons du classeur maître rse-xl : chaque macro appelle une fonction Python par xlwings.
' RunPython vient du module « xlwings » intégré au classeur (mode autonome : aucun complément à installer).
' Les réglages de xlwings (chemin de Python…) sont dans l'onglet « xlwings.conf ».
Option Explicit

Sub Valider()
    RunPython "import rse_xl.excel as x; x.valider()"
End Sub

Sub Consolider()
    RunPython "import rse_xl.excel as x; x.consolider()"
End Sub

Sub GenererSynthese()
    RunPython "import rse_xl.excel as x; x.generer_synthese()"
End Sub

Sub RetoursAuxOffices()
    RunPython "import rse_xl.excel as x; x.retours_aux_offices()"
End Sub

Sub Diagnostic()
    ' XLWINGS_VERSION : la version du module xlwings de ce classeur, que Python compare à la sienne.
    RunPython "import rse_xl.excel as x; x.diagnostic('" & XLWINGS_VERSION & "')"
End Sub
