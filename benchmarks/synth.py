"""Synthetic registry and listings with realistic shapes, for the speed benchmark.

The registry spreads licences over all mandatory standards (more on consumer families), with invented
brands (Latin names, some with a Thai form in brackets), licensees, TISI-shaped licence numbers,
1–4 models per licence (some licences with none), and a mix of statuses. Listings are written from the
product vocabulary the way sellers write titles: marketing words, brands glued to Thai words, model
variants (`HA-1234`, `ha1234`, `HA 1234`), TIS numbers with BE/AD years or Thai digits, licence numbers
in the description or the attributes table, and unregulated near-miss products.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from matchers.vocabulary import NOT_PRODUCT, PRODUCT, Vocabulary
from standards_data.catalogue import mandatory_standards
from standards_data.registry import Licence

_SYLLABLES = [
    "ka",
    "ri",
    "to",
    "mo",
    "sa",
    "ne",
    "lu",
    "vi",
    "ta",
    "ko",
    "ma",
    "zen",
    "tor",
    "lex",
    "qu",
    "dra",
    "pi",
    "no",
    "ve",
    "sto",
    "ru",
    "mi",
    "xo",
    "fa",
    "ge",
    "bi",
    "tri",
    "con",
    "del",
    "pha",
]
_THAI_SYLLABLES = [
    "คา",
    "ริ",
    "โต",
    "โม",
    "ซา",
    "เน",
    "ลู",
    "วี",
    "ตา",
    "โค",
    "มา",
    "เซน",
    "ทอร์",
    "เล็กซ์",
    "พี",
    "โน",
    "เว",
    "รู",
    "มิ",
    "ฟา",
    "บิ",
    "ดรา",
    "คอน",
    "เดล",
]
_COMPANY_SUFFIXES = ["จำกัด", "จำกัด (มหาชน)", "(ประเทศไทย) จำกัด", "อินเตอร์เนชั่นแนล จำกัด", "เทรดดิ้ง จำกัด"]
_MARKETING = [
    "",
    "",
    "🔥ขายดี🔥",
    "[ของแท้100%]",
    "ส่งฟรี",
    "พร้อมส่ง",
    "【ประกันศูนย์】",
    "NEW",
    "ราคาถูก",
    "ลดราคา",
    "แท้ศูนย์",
]
_SPECS = [
    "2 ลิตร",
    "1200W",
    "18 วัตต์",
    "ขนาด 1.5 ลิตร",
    "4 ช่อง 1 สวิตช์ 3 เมตร",
    "10000mAh",
    "16 นิ้ว",
    "ไซส์ L",
    "แพ็ค 6",
    "24 สี",
    "30mA 32A",
    "E27 12W",
    "ความจุ 23 ลิตร",
    "สีขาว",
    "",
]
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_BE_OFFSET = 543


@dataclass
class SyntheticData:
    licences: list[Licence]
    listings: list[dict]


def _brand_name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _thai_name(rng: random.Random) -> str:
    return "".join(rng.choice(_THAI_SYLLABLES) for _ in range(rng.randint(2, 3)))


def _standard_weights(vocabulary: Vocabulary) -> tuple[list[str], list[float]]:
    consumer = vocabulary.standards()
    standards = sorted(mandatory_standards())
    return standards, [8.0 if s in consumer else 1.0 for s in standards]


def make_registry(count: int, rng: random.Random, vocabulary: Vocabulary) -> list[Licence]:
    """`count` licences with unique licence numbers."""
    standards, weights = _standard_weights(vocabulary)
    brand_count = max(50, count // 12)
    brands: list[tuple[str, str]] = []
    seen_brands: set[str] = set()
    while len(brands) < brand_count:
        name = _brand_name(rng)
        if name.lower() in seen_brands:
            name = f"{name}{rng.choice(['', 'Pro', 'Tech', 'Home', 'Plus'])}{len(brands)}"
        seen_brands.add(name.lower())
        thai = _thai_name(rng) if rng.random() < 0.25 else ""
        brands.append((name, thai))
    licences: list[Licence] = []
    used_numbers: set[str] = set()
    for index in range(count):
        tis_number = rng.choices(standards, weights)[0]
        base = tis_number.split(" ")[0].split("-")[0]
        name, thai = rng.choice(brands)
        while True:
            letter = rng.choices(["ท", "น", "ส", "นค"], [45, 45, 6, 4])[0]
            prefix = "(3)" if rng.random() < 0.2 else ""
            number = f"{prefix}{letter}{rng.randint(1, 9999)}-{rng.randint(1, 70)}/{base}"
            if number not in used_numbers:
                used_numbers.add(number)
                break
        code = "".join(ch for ch in name.upper() if ch.isalpha())[:2]
        models = tuple(
            f"{code}-{rng.randint(100, 9999)}{rng.choice(['', '', 'S', 'B', 'X', 'U'])}"
            for _ in range(rng.choices([0, 1, 2, 3, 4], [10, 30, 30, 20, 10])[0])
        )
        company = thai or name
        licences.append(
            Licence(
                licence_no=number,
                licence_type={"ท": "make", "น": "import", "ส": "display", "นค": "one_off_import"}[letter],
                tis_number=tis_number,
                licensee=f"บริษัท {company} {rng.choice(_COMPANY_SUFFIXES)}",
                brand=f"{name} ({thai})" if thai else name,
                models=models,
                issued=f"{rng.randint(2005, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                status=rng.choices(["active", "suspended", "revoked"], [90, 6, 4])[0],
            )
        )
        del index
    return licences


def _model_variant(model: str, rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.4:
        return model
    if choice < 0.6:
        return model.replace("-", "").lower()
    if choice < 0.8:
        return model.replace("-", " ")
    return model.replace("-", "")


def _tis_claim(tis_number: str, rng: random.Random) -> str:
    base_part, _, year = tis_number.rpartition("-")
    choice = rng.random()
    if choice < 0.3:
        text = f"มอก.{tis_number}"
    elif choice < 0.45:
        text = f"มอก. {base_part.split(' ')[0]}"
    elif choice < 0.6 and year.isdigit():
        text = f"TIS {base_part.replace('เล่ม', 'Part')}-{int(year) - _BE_OFFSET}"
    elif choice < 0.75:
        text = f"มอก.{tis_number}".translate(_THAI_DIGITS)
    else:
        text = "มีมอก."
    return text


def make_listings(
    count: int, licences: list[Licence], rng: random.Random, vocabulary: Vocabulary
) -> list[dict]:
    """`count` listing dicts in the Listing contract."""
    terms_by_standard: dict[str, list[str]] = {}
    near_misses: list[str] = []
    for entry in vocabulary.terms:
        if entry.kind == PRODUCT:
            terms_by_standard.setdefault(entry.tis_number, []).append(entry.text)
        elif entry.kind == NOT_PRODUCT:
            near_misses.append(entry.text)
    licences_by_standard: dict[str, list[Licence]] = {}
    for licence in licences:
        if licence.tis_number in terms_by_standard:
            licences_by_standard.setdefault(licence.tis_number, []).append(licence)
    standards = sorted(s for s in terms_by_standard if s in licences_by_standard)
    unknown_brands = ["ZUNO", "KIMSU", "NONAME PRO", "BESTPLUG", "HAPPYKIDS", "Voltmax", "Shinee", "ARTO"]
    listings: list[dict] = []
    for index in range(count):
        kind = rng.random()
        attributes: dict[str, str] = {}
        description = ""
        brand_field = ""
        if kind < 0.12:
            title = f"{rng.choice(near_misses)} {rng.choice(unknown_brands)} {rng.choice(_SPECS)}"
        else:
            standard = rng.choice(standards)
            term = rng.choice(terms_by_standard[standard])
            licence = rng.choice(licences_by_standard[standard])
            brand = licence.brand.split(" (")[0]
            if kind < 0.55:
                model = _model_variant(rng.choice(licence.models), rng) if licence.models else ""
                who = brand if rng.random() < 0.8 else (licence.brand.split("(")[-1].rstrip(")") or brand)
            elif kind < 0.75:
                who = rng.choice(unknown_brands)
                model = f"{who[:2].upper()}-{rng.randint(100, 9999)}"
            elif kind < 0.85:
                who, model = "", ""
            else:
                who = brand
                model = f"{brand[:2].upper()}-{rng.randint(100, 9999)}"
            glue = "" if rng.random() < 0.15 else " "
            parts = [rng.choice(_MARKETING), f"{who}{glue}{term}" if glue == "" and who else f"{term} {who}"]
            if model:
                parts.append(f"รุ่น {model}" if rng.random() < 0.5 else model)
            parts.append(rng.choice(_SPECS))
            if rng.random() < 0.5:
                parts.append(_tis_claim(standard, rng))
            title = " ".join(p for p in parts if p)
            if rng.random() < 0.3:
                cited = licence.licence_no if rng.random() < 0.8 else rng.choice(licences).licence_no
                if rng.random() < 0.5:
                    description = f"สินค้าได้รับมาตรฐาน ใบอนุญาตเลขที่ {cited.translate(_THAI_DIGITS)} รับประกัน 1 ปี"
                else:
                    attributes["เลขที่ใบอนุญาต มอก."] = cited
            brand_field = who if rng.random() < 0.5 else rng.choice(["", "No Brand", "OEM"])
        listings.append(
            {
                "platform": rng.choice(["shopee", "lazada", "shop"]),
                "listing_id": f"bench-{index:06d}",
                "url": f"https://shop.example/item/bench-{index:06d}",
                "title": title,
                "description": description,
                "brand": brand_field,
                "price": round(rng.uniform(50, 5000), 2),
                "currency": "THB",
                "seller_id": f"s{rng.randint(1, 500)}",
                "seller_name": f"ร้าน{rng.randint(1, 500)}",
                "attributes": attributes,
                "crawled_at": "2026-11-22T06:46:00Z",
            }
        )
    return listings


def make_data(licence_count: int, listing_count: int, seed: int, vocabulary: Vocabulary) -> SyntheticData:
    rng = random.Random(seed)
    licences = make_registry(licence_count, rng, vocabulary)
    return SyntheticData(licences, make_listings(listing_count, licences, rng, vocabulary))
