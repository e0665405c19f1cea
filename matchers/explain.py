"""Reasons behind a verdict: short machine-readable codes, then one sentence an investigator can read.

Codes are stable identifiers (`brand_match`, `licence_revoked`, `tis_claim_mismatch`, `category:2432-2555`,
…); a code may carry a detail after `: ` in the rendered list (`licence_unknown: licence น1257-60/1039 is
not in the registry`). The last element of `Verdict.reasons` is always the human sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Reasons:
    codes: list[tuple[str, str]] = field(default_factory=list)
    sentence: str = ""

    def add(self, code: str, detail: str = "") -> None:
        if all(existing != code for existing, _ in self.codes):
            self.codes.append((code, detail))

    def render(self) -> list[str]:
        rendered = [f"{code}: {detail}" if detail else code for code, detail in self.codes]
        if self.sentence:
            rendered.append(self.sentence)
        return rendered
