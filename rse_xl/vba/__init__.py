"""Compile VBA source text into a vbaProject.bin (MS-OVBA, MS-CFB) for XlsxWriter's add_vba_project."""

from rse_xl.vba.project import Module, ModuleKind, build_vba_project, read_modules_from_files

__all__ = ["Module", "ModuleKind", "build_vba_project", "read_modules_from_files"]
