"""The mandatory-standards catalogue, the product vocabulary, sample registry data, and the registry's
code."""

from standards_data.resources import package_folder

# The bundled data files (catalogue, vocabulary, sample registry): a real folder even in a zipped egg.
DATA_DIR = package_folder("standards_data")
