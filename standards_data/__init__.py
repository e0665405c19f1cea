"""The mandatory-standards catalogue, the product vocabulary, sample registry data, and the registry's
code."""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
