"""Regex for many literal strings at once, factored as a trie (one pass over the text, not one per string)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable


def end_guard(key: str) -> str:
    """What must follow a term: word boundaries at a Latin end (with an optional plural)."""
    if key[-1].isascii() and key[-1].isalpha():
        return r"(?:e?s)?(?![a-z0-9])"
    if key[-1].isdigit():
        return r"(?![0-9])"
    return ""


def trie_pattern(keys: Iterable[str], guard: Callable[[str], str] = end_guard) -> str:
    """One regex for many literal keys, factored as a trie so a scan costs one pass, not one per key.

    At every node longer continuations are tried before ending there, so the longest key wins at a
    position. A space inside a key matches an optional space.
    """
    trie: dict[str, dict] = {}  # char -> subtree; "" -> {"guard": pattern} marks the end of a key
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {"guard": guard(key)}

    def build(node: dict) -> str:
        branches = [
            (r"\s?" if char == " " else re.escape(char)) + build(child)
            for char, child in sorted(node.items())
            if char != ""
        ]
        end = node.get("")
        if not branches:
            return end["guard"] if end else ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end is not None:
            return f"(?:{body}|{end['guard']})"
        return body

    return build(trie)


def no_guard(key: str) -> str:
    return ""
