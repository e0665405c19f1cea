"""Thai word segmentation for the fuzzy parts (brand guesses), with the product vocabulary kept whole.

pythainlp's `newmm` (bundled dictionary, offline) splits unknown product words and codes; giving it the
vocabulary as custom words keeps `ปลั๊กพ่วง` or `เครื่องฟอกอากาศ` in one piece, so what is left over
is more likely a brand or a name. Codes are never extracted from tokens (see `matchers.extract`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pythainlp.tokenize import Tokenizer

from matchers.vocabulary import load_vocabulary
from standards_data.wordlists import load_wordlist

_THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")
# Seller phrases the bundled dictionary lacks as single words: never brand candidates.
SELLER_WORDS = load_wordlist("seller_words")
# Company-form and business words (บริษัท, จำกัด, อุตสาหกรรม): never brand candidates, even in a brand
# field where dictionary words are kept (บริษัท must not sound like a brand `Brisa`).
_COMPANY_WORDS = frozenset(word for word in load_wordlist("company_words") if not word.isascii())


@lru_cache(maxsize=1)
def _tokenizer() -> Tokenizer:
    # pythainlp's own default trie (which its romaniser also loads) with the product words added: a
    # second trie of the whole Thai dictionary would cost ~60 MB in every crawl process. Adding words
    # only keeps them whole in pythainlp's default segmentation too, which suits the brand guesses.
    from pythainlp.tokenize import word_dict_trie

    trie = word_dict_trie()
    for word in load_vocabulary().thai_words():
        if word not in trie:
            trie.add(word)
    # No custom_dict: pythainlp 5.4 copies a Trie given as one; without, it segments with word_dict_trie().
    return Tokenizer(engine="newmm")


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from pythainlp.corpus.common import thai_words

    return frozenset(thai_words()) | frozenset(load_vocabulary().thai_words()) | SELLER_WORDS


def thai_tokens(text: str, keep_dictionary_words: bool = False) -> list[str]:
    """Thai words of `text` (normalised) that are not dictionary words: brand/name candidates.

    Short runs are returned whole (a run like `โตชิบา` is already a word); longer runs are segmented.
    `keep_dictionary_words` keeps every word (a brand field may be a dictionary word: `ช้าง`).
    """
    words: list[str] = []
    dictionary = frozenset() if keep_dictionary_words else _dictionary()
    for run in _THAI_RUN.findall(text):
        if run in dictionary or run in _COMPANY_WORDS:
            continue
        pieces = [run] if len(run) <= 8 else _tokenizer().word_tokenize(run)
        for piece in pieces:
            piece = piece.strip()
            if len(piece) >= 3 and piece not in dictionary and piece not in _COMPANY_WORDS:
                words.append(piece)
        if len(pieces) > 1:
            words.extend(w for w in _spans_between_product_words(pieces) if w not in words)
    return words


def _spans_between_product_words(pieces: list[str]) -> list[str]:
    """Runs of pieces between product and seller words, joined back: the dictionary splits a brand's
    transliteration into syllables that are words (`ไบรท์|โท|ร่า` is Brightora)."""
    product_words = _product_words()
    spans: list[str] = []
    current: list[str] = []
    for piece in [*pieces, ""]:
        if piece and piece not in product_words and piece not in SELLER_WORDS:
            current.append(piece)
            continue
        joined = "".join(current)
        if len(current) > 1 and 4 <= len(joined) <= 16:
            spans.append(joined)
        current = []
    return spans


@lru_cache(maxsize=1)
def _product_words() -> frozenset[str]:
    return frozenset(load_vocabulary().thai_words())
