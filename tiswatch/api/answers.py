"""From the matcher's verdict to the API's answer: standard titles, licence status, reason codes, a Thai
and an English sentence, and what the seller must do (sentences in `messages.toml`)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from matchers.extract import extract_licence_numbers
from matchers.normalize import normalize_text
from matchers.verdict import Verdict
from standards_data.catalogue import mandatory_standards
from tiswatch.api.schemas import Action, CheckResult, LicenceStatus, ReasonCode, StandardInfo
from tiswatch.api.snapshot import Snapshot, standard_info

# A rendered reason is `code` or `code: detail`; codes are lower-case words, `category:<tis>` included.
_CODE = re.compile(r"^(?P<code>[a-z_]+(?::\S+)?)(?:: (?P<detail>.*))?$", re.DOTALL)
_WILDCARD = "*"


@dataclass(frozen=True)
class Messages:
    sentences: dict[str, dict[str, dict[str, str]]]
    actions: dict[str, dict[str, dict[str, str]]]


@lru_cache(maxsize=1)
def messages() -> Messages:
    data = tomllib.loads(files("tiswatch.api").joinpath("messages.toml").read_text(encoding="utf-8"))
    return Messages(sentences=data["message"], actions=data["action"])


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def split_reasons(reasons: list[str]) -> tuple[list[ReasonCode], str]:
    """(codes with details, the sentence): the matcher's last reason is always the sentence."""
    if not reasons:
        return [], ""
    codes: list[ReasonCode] = []
    for reason in reasons[:-1]:
        found = _CODE.match(reason)
        if found:
            codes.append(ReasonCode(code=found["code"], detail=found["detail"] or ""))
        else:
            codes.append(ReasonCode(code="note", detail=reason))
    return codes, reasons[-1]


def _pick(table: Mapping[str, dict[str, str]], codes: list[ReasonCode]) -> tuple[str, dict[str, str]] | None:
    for reason in codes:
        if reason.code in table:
            return reason.code, table[reason.code]
    return (_WILDCARD, table[_WILDCARD]) if _WILDCARD in table else None


def _cited_licence(codes: list[ReasonCode], decided_by: str) -> str:
    for reason in codes:
        if reason.code == decided_by:
            found = extract_licence_numbers(normalize_text(reason.detail))
            if found:
                return found[0].licence_no
    return ""


def _brand(codes: list[ReasonCode]) -> str:
    for reason in codes:
        if reason.code.startswith("brand_") and reason.detail.startswith("brand "):
            return reason.detail.removeprefix("brand ")
    return ""


def build_answer(verdict: Verdict, listing_id: str | int | None, snapshot: Snapshot) -> CheckResult:
    codes, sentence = split_reasons(verdict.reasons)
    standard = standard_info(verdict.tis_number)
    licence = snapshot.find_licence(verdict.licence_no) if verdict.licence_no else None
    texts = messages()
    message = _pick(texts.sentences.get(verdict.verdict, {}), codes)
    decided_by = message[0] if message else _WILDCARD
    values = _Blank(
        tis_number=verdict.tis_number or "",
        title_th=standard.name_th if standard else "",
        title_en=standard.name_en if standard else "",
        licence_no=verdict.licence_no or _cited_licence(codes, decided_by),
        brand=_brand(codes) or (licence.brand if licence else ""),
    )
    action: Action | None = None
    picked_action = _pick(texts.actions.get(verdict.verdict, {}), codes)
    # A brand-wide licence (no models listed) needs no model from the seller.
    if picked_action and not (
        picked_action[0] == "brand_only" and licence is not None and not licence.models
    ):
        spec = picked_action[1]
        action = Action(code=spec["code"], en=spec["en"].format_map(values), th=spec["th"].format_map(values))
    result: dict[str, Any] = verdict.to_dict()
    result.update(
        listing_id=listing_id,
        standard=(
            StandardInfo(
                tis_number=verdict.tis_number,
                title_th=standard.name_th if standard else "",
                title_en=standard.name_en if standard else "",
                mandatory=verdict.tis_number in mandatory_standards(),
            )
            if verdict.tis_number
            else None
        ),
        licence=(
            LicenceStatus(
                licence_no=licence.licence_no,
                status=licence.status,
                tis_number=licence.tis_number,
                brand=licence.brand,
                models=list(licence.models),
            )
            if licence
            else None
        ),
        reason_codes=codes,
        message_en=sentence,
        message_th=message[1]["th"].format_map(values) if message else "",
        required_action=action,
        registry_version=snapshot.registry_version,
        vocabulary_version=snapshot.vocabulary_version,
    )
    return CheckResult.model_construct(**result)
