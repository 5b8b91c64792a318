"""rse-xl: suivi de la convention RSE inter-offices dans Excel, calculé par Python."""

__version__ = "0.1.0"
