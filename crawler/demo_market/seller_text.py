"""How Thai sellers write things: standard claims, licence citations, brand and model forms, titles.

Every form here is one a matcher must read (ARCHITECTURE.md, "Thai text traps"): Thai digits, AD years
(`TIS 2432-2012`), dropped parts and years (`มอก. 685`), a bare `มอก.` claim, `มอก.5 ช่อง` (TIS-certified,
5 sockets — not standard 5), brands glued to Thai words (`CSCรางปลั๊กไฟ`), Thai transliterations
(`โตชิบา`), model variants (`P-404`, `P404`, `p 404`).
"""

from __future__ import annotations

import re
from random import Random

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
BE_OFFSET = 543

PREFIXES = (
    "🔥",
    "🔥ขายดี🔥",
    "[ของแท้100%]",
    "⚡️ส่งไว⚡️",
    "ส่งฟรี!!",
    "(พร้อมส่ง)",
    "NEW!",
    "✨ใหม่✨",
    "[ประกัน 1 ปี]",
    "ราคาถูก",
    "【ส่งจากไทย】",
    "💥ลดราคา💥",
)
SUFFIXES = (
    "ส่งไว",
    "ถูกที่สุด",
    "ของแท้ 100%",
    "รับประกัน 1 ปี",
    "พร้อมส่ง",
    "มีเก็บปลายทาง",
    "ส่งจากกรุงเทพ",
    "🔥🔥",
    "คุณภาพดี",
    "ราคาส่ง",
)
BARE_CLAIMS = ("มอก.", "มีมอก.", "ผ่านมอก.", "มาตรฐานมอก.", "ได้รับ มอก.", "มอก.แท้", "มาตรฐาน มอก.")
LICENCE_LEADS = ("ใบอนุญาต", "ใบอนุญาตเลขที่", "เลขที่ใบอนุญาต", "มอก.เลขที่", "ทะเบียน มอก.", "")

_STANDARD = re.compile(r"^(?P<base>\d+)(?: เล่ม (?P<part>\d+)(?:\((?P<sub>\d+)\))?)?-(?P<year>\d{4})$")


def thai_digits(text: str) -> str:
    return text.translate(THAI_DIGITS)


def standard_claim(tis_number: str, rng: Random) -> str:
    """A seller's claim of a specific standard, in one of the forms seen on marketplaces."""
    match = _STANDARD.match(tis_number)
    if match is None:  # not a canonical number: write it as it is
        return f"มอก. {tis_number}"
    base, part, sub, year = match["base"], match["part"], match["sub"], match["year"]
    ad_year = str(int(year) - BE_OFFSET)
    part_text = f" เล่ม {part}" + (f"({sub})" if sub else "") if part else ""
    forms = [
        f"มอก.{tis_number}",
        f"มอก. {tis_number}",
        f"มาตรฐาน มอก.{tis_number}",
        f"มอก {tis_number}",
        f"มอก.{base}",
        f"มอก. {base}",
        f"มอก.{thai_digits(tis_number)}",
        f"TIS {base}-{ad_year}" if not part else f"TIS {base}",
        f"ผ่าน มอก.{base}{part_text}",
    ]
    if part:
        forms.append(f"มอก.{base}-{year}")  # the part dropped, the year kept
        forms.append(f"มอก. {base}{part_text}")  # the year dropped
    return rng.choice(forms)


def bare_claim(rng: Random) -> str:
    return rng.choice(BARE_CLAIMS)


def licence_citation(licence_no: str, rng: Random) -> str:
    """A seller citing a licence number (sometimes in Thai digits)."""
    number = thai_digits(licence_no) if rng.random() < 0.3 else licence_no
    lead = rng.choice(LICENCE_LEADS)
    if not lead:
        return f"({number})"
    return f"{lead} {number}"


def brand_form(name: str, thai: str, rng: Random) -> str:
    """The brand as a seller writes it: as registered, upper/lower case, or the Thai transliteration."""
    forms = [name, name, name.upper(), name.lower()]
    if thai:
        forms += [thai, thai, f"{name} {thai}"]
    return rng.choice(forms)


_MODEL_PARTS = re.compile(r"^(?P<letters>[A-Za-z]+)[- ]?(?P<rest>\d.*)$")


def model_forms(model: str) -> tuple[str, ...]:
    """Spellings of one model code as sellers write it (`P-404`, `P404`, `p 404`, `p-404`)."""
    if model.isdigit():
        return (model,)
    if model.isalpha():  # word models (`TITAN`)
        return (model, model.capitalize(), model.lower())
    match = _MODEL_PARTS.match(model)
    if match is None:
        return (model, model.replace("-", ""), model.lower())
    letters, rest = match["letters"], match["rest"]
    forms = {
        model,
        f"{letters}-{rest}",
        f"{letters}{rest}",
        f"{letters.lower()} {rest.lower()}",
        f"{letters}{rest}".lower(),
        f"{letters} {rest}",
    }
    return tuple(sorted(forms))


def model_form(model: str, rng: Random) -> str:
    written = rng.choice(model_forms(model))
    return rng.choice((f"รุ่น {written}", f"รุ่น{written}", written, written, f"Model {written}"))


def _starts_thai(text: str) -> bool:
    return bool(text) and "\u0e00" <= text[0] <= "\u0e7f"


def compose_title(
    rng: Random,
    *,
    noun: str,
    brand: str = "",
    model: str = "",
    claim: str = "",
    citation: str = "",
    spec_bits: tuple[str, ...] = (),
    socket_bit: str = "",
    glue_claim_to_sockets: bool = False,
) -> str:
    """Assemble a seller's title. The pieces are the same facts; sellers order them differently."""
    specs = list(spec_bits)
    if glue_claim_to_sockets and claim and socket_bit in specs:
        # `มอก.5 ช่อง`: the claim written straight onto the socket count
        specs.remove(socket_bit)
        claim = f"{claim}{socket_bit.replace(' ', ' ' if rng.random() < 0.5 else '')}"
    head: list[str] = []
    if rng.random() < 0.35:
        head.append(rng.choice(PREFIXES))
    if brand and brand.isascii() and _starts_thai(noun) and rng.random() < 0.25:
        head.append(f"{brand}{noun}")  # brand glued to the Thai noun: `CSCรางปลั๊กไฟ`
        brand = ""
    elif brand and rng.random() < 0.3:
        head += [brand, noun]
        brand = ""
    else:
        head.append(noun)
    middle = [part for part in (brand, claim, citation) if part]
    rng.shuffle(middle)
    body = head + middle
    tail = specs[:]
    if model:
        tail.insert(rng.randrange(len(tail) + 1), model)
    body += tail
    if rng.random() < 0.3:
        body.append(rng.choice(SUFFIXES))
    return re.sub(r"\s+", " ", " ".join(body)).strip()
