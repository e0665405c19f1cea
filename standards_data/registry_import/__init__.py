"""Registry import for standards officers: validated, all-or-nothing, versioned.

    validated = validate_registry_file("licences.csv")      # every error/warning, nothing written
    outcome = import_registry(engine, "licences.csv", mode="replace", imported_by="somchai")
    diff = diff_versions(engine)                             # newest vs the one before
    export_registry(engine, "registry.csv")                  # imports back unchanged

Readers: canonical CSV or TISI's licence-search shape, as CSV (UTF-8 with/without BOM, TIS-620/cp874)
or .xlsx. The product vocabulary has its own validated import in `vocabulary`.
"""

from standards_data.registry_import.diff import LicenceChange, RegistryDiff, diff_versions
from standards_data.registry_import.export import export_registry
from standards_data.registry_import.importer import MODES, REPLACE, UPDATE, ImportOutcome, import_registry
from standards_data.registry_import.problems import Problem, Problems
from standards_data.registry_import.validate import ValidatedFile, validate_registry_file

__all__ = [
    "MODES",
    "REPLACE",
    "UPDATE",
    "ImportOutcome",
    "LicenceChange",
    "Problem",
    "Problems",
    "RegistryDiff",
    "ValidatedFile",
    "diff_versions",
    "export_registry",
    "import_registry",
    "validate_registry_file",
]
