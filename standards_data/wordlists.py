"""Word lists the matcher and the cleaning code read, as data files in `standards_data/wordlists/`.

One entry a line, `#` starts a comment line, blank lines are ignored; entries keep inner spaces
(`อื่น ๆ`). The files ship with the package (package data, like `vocabulary.csv`), so officers version
and review them as data and a change to a list is a data change, not a code change:

- `no_brand.txt` (standards_data.text: parsers, cleaning, matcher): brand values meaning "no brand";
- `not_brand_words.txt` (matchers.brands): Latin title words that are never a brand;
- `brand_suffixes.txt` (matchers.brands): words that may end a two-word brand (`NONAME PRO`);
- `seller_words.txt` (matchers.tokenize): Thai seller phrases, never brand candidates;
- `not_model_prefixes.txt` (matchers.extract): letters before a spaced number that are no model prefix;
- `unit_suffixes.txt` (matchers.extract): unit letters after digits (`20W`): a quantity, not a model;
- `company_words.txt` (matchers.licensees, matchers.brands, matchers.tokenize): company-form and business
  words of licensee names (บริษัท, จำกัด, Co., Ltd., อุตสาหกรรม, Electric, Thailand, …): stripped to find a
  company's distinctive name, never a brand on their own.
"""

from __future__ import annotations

from functools import cache

from standards_data.resources import package_folder

WORDLIST_FOLDER = "wordlists"


def read_wordlist_lines(name: str) -> tuple[str, ...]:
    """The entries of `wordlists/<name>.txt` in file order (comments and blank lines dropped)."""
    path = package_folder("standards_data") / WORDLIST_FOLDER / f"{name}.txt"
    entries: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        entry = line.strip()
        if entry and not entry.startswith("#"):
            entries.append(entry)
    return tuple(entries)


@cache
def load_wordlist(name: str) -> frozenset[str]:
    """The entries of `wordlists/<name>.txt` as a set (read once per process)."""
    return frozenset(read_wordlist_lines(name))
