"""Product families of the demo marketplace: how Thai sellers name, describe and price each product,
and which brands hold which (invented) TISI licences for it.

Everything here is data. `catalogue.py` draws listings from it, `sample_registry.py` turns the licences
into the canonical registry CSV (`standards_data/sample_registry.csv`). Licence numbers, licensees and
models are invented; their shapes follow TISI's (`ท4080-51/2432`, `(3)น1021-49/1039`). Well-known brand
names appear only in certified listings; every flagged case uses an invented brand (`real=False`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from random import Random


@dataclass(frozen=True)
class Brand:
    name: str
    """Latin form as sellers and the registry write it (`Toshiba`)."""
    thai: str = ""
    """Thai transliteration (`โตชิบา`); the registry prints `Toshiba (โตชิบา)`."""
    real: bool = False
    """A well-known brand: only ever used for certified listings."""

    @property
    def registry_form(self) -> str:
        return f"{self.name} ({self.thai})" if self.thai else self.name


@dataclass(frozen=True)
class LicenceSpec:
    licence_no: str
    licence_type: str
    licensee: str
    brand: Brand
    models: tuple[str, ...]
    issued: str
    status: str = "active"
    in_catalogue: bool = True
    """False for decoys that no listing uses (confusable brands the matcher must not pick)."""
    tis_number: str = ""
    """Set only for FOREIGN_LICENCES; a family's own licences carry the family's standard."""


@dataclass(frozen=True)
class Specs:
    """A drawn set of specifications: the bits a seller puts in a title, and the page's spec table."""

    title_bits: tuple[str, ...]
    attributes: dict[str, str]
    socket_bit: str = ""
    """For power strips and sockets: the `5 ช่อง` bit (the `มอก.5 ช่อง` trap glues the claim to it)."""


SpecWriter = Callable[[Random], Specs]


@dataclass(frozen=True)
class Family:
    """A regulated product family: one mandatory standard, its words, its brands and licences."""

    key: str
    tis_number: str
    nouns: tuple[str, ...]
    """How sellers name the product in titles (spelling variants included)."""
    search_terms: tuple[str, ...]
    """Further words the marketplace search associates with the family (a search engine's synonyms)."""
    category_th: str
    price_range: tuple[int, int]
    specs: SpecWriter
    licences: tuple[LicenceSpec, ...]
    unlicensed_brands: tuple[Brand, ...]
    """Brands with no licence of this standard (flagged cases)."""
    model_prefixes: tuple[str, ...]
    """Prefixes for invented model codes (`VT-` → `VT-509`)."""
    wrong_claims: tuple[str, ...] = ()
    """Standards sellers of this family wrongly claim (another product's standard)."""
    base_weight: float = 1.0


@dataclass(frozen=True)
class UnregulatedProduct:
    """A product under no mandatory standard: plain goods, and near-misses whose titles carry a
    regulated product's noun (a power-strip cover, a helmet sticker, a glass baby bottle)."""

    key: str
    template: str
    """Title with optional slots `{color}`, `{n}`, `{len}`, `{brand}`."""
    category_th: str
    price_range: tuple[int, int]
    near_miss_of: str = ""
    """Key of the regulated family whose noun the title carries ("" for plain goods)."""
    search_terms: tuple[str, ...] = ()
    brands: tuple[Brand, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict)


# --- helpers for spec writers ----------------------------------------------------------------------

SWITCH_SPELLINGS = ("สวิตช์", "สวิทช์", "สวิตซ์", "สวิทซ์")
COLOURS = ("สีขาว", "สีดำ", "สีเทา", "สีชมพู", "สีฟ้า", "สีแดง", "สีเหลือง")
MADE_IN = ("จีน", "ไทย", "จีน", "ไทย", "เวียดนาม")


def _common(rng: Random) -> dict[str, str]:
    return {"ประเทศที่ผลิต": rng.choice(MADE_IN), "การรับประกัน": rng.choice(("1 ปี", "6 เดือน", "2 ปี", "ไม่มี"))}


def _power_strip_specs(rng: Random) -> Specs:
    sockets = rng.choice((3, 4, 4, 5, 6))
    switches = rng.choice((1, sockets))
    length = rng.choice((1, 2, 3, 3, 5, 5, 10))
    watts = rng.choice((2300, 2300, 3600, 2500))
    switch_word = rng.choice(SWITCH_SPELLINGS)
    socket_bit = rng.choice((f"{sockets} ช่อง", f"{sockets}ช่อง"))
    bits = [socket_bit, f"{switches}{rng.choice(('', ' '))}{switch_word}"]
    bits.append(rng.choice((f"สาย {length} เมตร", f"ยาว {length}ม.", f"{length}M", f"สายยาว {length} ม.")))
    if rng.random() < 0.4:
        bits.append(f"{watts}W")
    if rng.random() < 0.3:
        bits.append(rng.choice(("2 USB", "USB 2 ช่อง", "+USB")))
    attributes = {
        "จำนวนช่องเสียบ": str(sockets),
        "จำนวนสวิตช์": str(switches),
        "ความยาวสาย": f"{length} เมตร",
        "กำลังไฟสูงสุด": f"{watts} วัตต์",
        "สายไฟ": rng.choice(("VCT 3x0.75 ตร.มม.", "VCT 3x1 ตร.มม.", "VKF 3x0.5 ตร.มม.")),
        **_common(rng),
    }
    return Specs(tuple(bits), attributes, socket_bit)


def _plug_socket_specs(rng: Random) -> Specs:
    gangs = rng.choice((1, 2, 2, 3))
    socket_bit = f"{gangs} ช่อง"
    bits = [rng.choice(("16A 250V", "16A", "10A 250V")), rng.choice(("แบบฝัง", "แบบลอย", "3 ขา", "มีกราวด์"))]
    if rng.random() < 0.5:
        bits.append(socket_bit)
    attributes = {
        "พิกัดกระแส": rng.choice(("16 A", "10 A")),
        "แรงดันไฟฟ้า": "250 V",
        "จำนวนช่อง": str(gangs),
        "สี": rng.choice(COLOURS[:3]),
        **_common(rng),
    }
    return Specs(tuple(bits), attributes, socket_bit)


def _power_bank_specs(rng: Random) -> Specs:
    capacity = rng.choice((5000, 10000, 10000, 20000, 20000, 30000))
    bits = [rng.choice((f"{capacity}mAh", f"{capacity} mAh", f"{capacity // 1000}000mAh"))]
    bits.append(rng.choice(("ชาร์จเร็ว PD 20W", "QC3.0", "Fast Charge 22.5W", "จอ LED", "ชาร์จไว")))
    if rng.random() < 0.3:
        bits.append(rng.choice(("พกขึ้นเครื่องได้", "บางเบา", "มีสายในตัว")))
    attributes = {
        "ความจุแบตเตอรี่": f"{capacity} mAh",
        "ประเภทเซลล์": rng.choice(("Li-Polymer", "Li-ion")),
        "พอร์ต": rng.choice(("USB-C, USB-A", "USB-C x2, USB-A", "Micro USB, USB-A")),
        **_common(rng),
    }
    return Specs(tuple(bits), attributes)


def _helmet_specs(rng: Random) -> Specs:
    shape = rng.choice(("เต็มใบ", "ครึ่งใบ", "เปิดหน้า", "ยกคาง"))
    bits = [shape, rng.choice(("ไซส์ L", "ไซส์ M", "Free Size", "ไซส์ XL")), rng.choice(COLOURS)]
    if rng.random() < 0.3:
        bits.append(rng.choice(("แว่น 2 ชั้น", "นวมถอดซักได้", "น้ำหนักเบา")))
    attributes = {"ประเภท": shape, "วัสดุ": rng.choice(("ABS", "ไฟเบอร์กลาส", "PC")), **_common(rng)}
    return Specs(tuple(bits), attributes)


def _toy_specs(rng: Random) -> Specs:
    pieces = rng.choice((24, 48, 100, 120, 250, 500))
    age = rng.choice((3, 3, 6, 8, 14))
    bits = [rng.choice((f"{pieces} ชิ้น", f"สำหรับเด็ก {age} ปีขึ้นไป", f"{age}+"))]
    if rng.random() < 0.4:
        bits.append(rng.choice(("เสริมพัฒนาการ", "ของขวัญวันเกิด", "ปลอดสารพิษ")))
    attributes = {"อายุที่เหมาะสม": f"{age} ปีขึ้นไป", "จำนวนชิ้น": str(pieces), **_common(rng)}
    return Specs(tuple(bits), attributes)


def _hair_specs(rng: Random) -> Specs:
    watts = rng.choice((1000, 1200, 1600, 1800, 2200))
    bits = [f"{watts}W", rng.choice(("ปรับความร้อนได้ 3 ระดับ", "ร้อนเร็ว", "ไอออนบำรุงผม", "ขนาดพกพา"))]
    attributes = {"กำลังไฟ": f"{watts} วัตต์", "แรงดันไฟฟ้า": "220-240 V", **_common(rng)}
    return Specs(tuple(bits), attributes)


def _lpg_specs(rng: Random) -> Specs:
    kg = rng.choice((4, 7, 15, 15, 15, 48))
    bits = [rng.choice((f"{kg} กก.", f"{kg}kg", f"ขนาด {kg} กิโล"))]
    bits.append(rng.choice(("(ถังเปล่า)", "ถังใหม่", "พร้อมหัวปรับ", "ถังเหล็ก")))
    attributes = {"ขนาดบรรจุ": f"{kg} กิโลกรัม", "วัสดุ": "เหล็กกล้า", **_common(rng)}
    return Specs(tuple(bits), attributes)


def _led_specs(rng: Random) -> Specs:
    watts = rng.choice((5, 7, 9, 9, 13, 18))
    light = rng.choice(("แสงขาว Daylight", "แสงวอร์ม Warmwhite", "แสงขาว", "Cool White"))
    bits = [f"{watts}W", rng.choice(("E27", "ขั้ว E27", "ขั้วเกลียว E27")), light]
    if rng.random() < 0.3:
        bits.append(rng.choice(("แพ็ค 3 หลอด", "แพ็ค 10 หลอด", "ประหยัดไฟ")))
    attributes = {"กำลังไฟ": f"{watts} วัตต์", "ขั้วหลอด": "E27", "สีของแสง": light, **_common(rng)}
    return Specs(tuple(bits), attributes)


def _fan_specs(rng: Random) -> Specs:
    inches = rng.choice((12, 14, 16, 16, 18))
    shape = rng.choice(("ตั้งพื้น", "ตั้งโต๊ะ", "ติดผนัง", "สไลด์"))
    # the shape is left out of the title: the noun (พัดลมติดผนัง) already says it, or the seller does not
    bits = [rng.choice((f"{inches} นิ้ว", f"{inches}นิ้ว", f'{inches}"'))]
    if rng.random() < 0.4:
        bits.append(rng.choice(("ปรับแรงลม 3 ระดับ", "มีรีโมท", "ส่ายได้")))
    attributes = {"ขนาดใบพัด": f"{inches} นิ้ว", "ประเภท": shape, "กำลังไฟ": f"{rng.choice((45, 50, 60))} วัตต์"}
    return Specs(tuple(bits), {**attributes, **_common(rng)})


def _rice_specs(rng: Random) -> Specs:
    litres = rng.choice(("0.6", "1", "1.8", "1.8", "2.2"))
    bits = [rng.choice((f"{litres} ลิตร", f"{litres}L", f"ขนาด {litres} ลิตร"))]
    bits.append(rng.choice(("อุ่นทิพย์", "ดิจิตอล", "หม้อเคลือบเทฟล่อน", "หุงเร็ว")))
    attributes = {"ความจุ": f"{litres} ลิตร", "กำลังไฟ": f"{rng.choice((300, 500, 650, 750))} วัตต์"}
    return Specs(tuple(bits), {**attributes, **_common(rng)})


def _iron_specs(rng: Random) -> Specs:
    watts = rng.choice((1000, 1200, 1600, 2000, 2400))
    kind = rng.choice(("ไอน้ำ", "แห้ง", "ไอน้ำ"))
    bits = [f"{watts}W", rng.choice(("หน้าเคลือบเซรามิก", "หน้าเคลือบเทฟล่อน", "น้ำหนักเบา"))]
    attributes = {"ประเภท": f"เตารีด{kind}", "กำลังไฟ": f"{watts} วัตต์", **_common(rng)}
    return Specs(tuple(bits), attributes)


def _lighter_specs(rng: Random) -> Specs:
    bits = [rng.choice(("แพ็ค 50 อัน", "1 อัน", "แพ็ค 10 ชิ้น", "คละสี"))]
    bits.append(rng.choice(("เติมแก๊สได้", "ไฟฟู่", "ใช้แล้วทิ้ง", "กันลม")))
    attributes = {"ประเภท": rng.choice(("ไฟแช็กแก๊ส", "ไฟแช็กแก๊สเติมได้")), **_common(rng)}
    return Specs(tuple(bits), attributes)


def _teat_specs(rng: Random) -> Specs:
    size = rng.choice(("S", "M", "L", "Y"))
    bits = [rng.choice((f"ไซส์ {size}", f"size {size}")), rng.choice(("คอกว้าง", "คอแคบ", "แพ็ค 2 ชิ้น"))]
    attributes = {"ขนาด": size, "วัสดุ": rng.choice(("ซิลิโคน", "ยางธรรมชาติ")), **_common(rng)}
    return Specs(tuple(bits), attributes)


def _b(name: str, thai: str = "", real: bool = False) -> Brand:
    return Brand(name, thai, real)


# --- the regulated families ------------------------------------------------------------------------

FAMILIES: tuple[Family, ...] = (
    Family(
        key="power_strip",
        tis_number="2432-2555",
        nouns=("ปลั๊กพ่วง", "รางปลั๊กไฟ", "ปลั๊กไฟ", "รางปลั๊ก", "ปลั๊กไฟพ่วง"),
        search_terms=("ชุดสายพ่วง", "สายพ่วง", "ปลั๊กต่อพ่วง", "power strip", "extension cord"),
        category_th="ปลั๊กไฟและรางปลั๊ก",
        price_range=(129, 1290),
        specs=_power_strip_specs,
        licences=(
            LicenceSpec(
                "ท4080-51/2432",
                "make",
                "บริษัท ไทยยูเนี่ยน อีเล็คทริค จำกัด",
                _b("Toshiba", "โตชิบา", True),
                ("P-404", "P-405", "P-503"),
                "2008-03-14",
            ),
            LicenceSpec(
                "ท1877-58/2432",
                "make",
                "บริษัท ซี.เอส.ซี. อินดัสตรี้ จำกัด",
                _b("CSC", "ซีเอสซี", True),
                ("AS551", "AS552", "AS441"),
                "2015-08-20",
            ),
            LicenceSpec(
                "น2207-60/2432",
                "import",
                "บริษัท แอนนิเทค (ไทยแลนด์) จำกัด",
                _b("Anitech", "แอนิเทค", True),
                (),
                "2017-11-02",
            ),
            LicenceSpec(
                "ท6120-65/2432",
                "make",
                "บริษัท โวลทริกซ์ (ประเทศไทย) จำกัด",
                _b("Voltrix", "โวลทริกซ์"),
                ("VT-301", "VT-302"),
                "2022-01-19",
            ),
            LicenceSpec(
                "ท5521-52/2432",
                "make",
                "บริษัท พาวเวอร์แม็กซ์ อีเลคทริค จำกัด",
                _b("PowerMax", "พาวเวอร์แม็กซ์"),
                ("PM-304", "PM-505"),
                "2009-06-01",
                "revoked",
            ),
            LicenceSpec(
                "น3390-63/2432",
                "import",
                "บริษัท อีเลคซัน เทรดดิ้ง จำกัด",
                _b("Elecson", "อีเลคซัน"),
                ("EL-504",),
                "2020-09-09",
                "suspended",
            ),
            LicenceSpec(
                "ท6688-66/2432",
                "make",
                "บริษัท โตชิโน อินดัสตรี จำกัด",
                _b("Toshino", "โตชิโน"),
                ("P-440",),
                "2023-02-27",
                in_catalogue=False,
            ),
        ),
        unlicensed_brands=(_b("KINGPOW", "คิงพาว"), _b("Plugmax", "ปลั๊กแม็กซ์"), _b("Thaiwatt", "ไทยวัตต์")),
        model_prefixes=("P-", "PS-", "TP-", "KP-"),
        wrong_claims=("2879-2560", "934-2558"),
        base_weight=1.6,
    ),
    Family(
        key="plug_socket",
        tis_number="166-2549",
        nouns=("เต้ารับกราวด์คู่", "เต้ารับ", "เต้าเสียบ", "ปลั๊กตัวผู้", "ปลั๊กตัวเมีย", "หัวปลั๊ก"),
        search_terms=("ปลั๊กกราวด์", "ปลั๊กฝัง", "ปลั๊กแปลง", "wall socket"),
        category_th="เต้ารับและเต้าเสียบ",
        price_range=(35, 390),
        specs=_plug_socket_specs,
        licences=(
            LicenceSpec(
                "ท2951-48/166",
                "make",
                "บริษัท เนชั่นแนล ไวริ่ง เทค จำกัด",
                _b("Panasonic", "พานาโซนิค", True),
                ("WEG1181", "WEG15929", "WEG1092"),
                "2005-10-03",
            ),
            LicenceSpec(
                "ท1150-45/166", "make", "บริษัท ช้างอีเลคทริค จำกัด", _b("Chang", "ช้าง", True), (), "2002-04-22"
            ),
            LicenceSpec(
                "น4471-61/166",
                "import",
                "บริษัท ฮาโก้ ไทย เทรดดิ้ง จำกัด",
                _b("Haco", "ฮาโก้", True),
                ("PL-1601", "PL-1602"),
                "2018-07-30",
            ),
            LicenceSpec(
                "ท3312-55/166",
                "make",
                "บริษัท บีวอน อีเลคทริค จำกัด",
                _b("Bewon", "บีวอน"),
                ("BW-16",),
                "2012-12-12",
                "revoked",
            ),
            LicenceSpec(
                "น5002-64/166",
                "import",
                "บริษัท นาโนปลั๊ก จำกัด",
                _b("Nanoplug", "นาโนปลั๊ก"),
                ("NP-2",),
                "2021-05-05",
                "suspended",
            ),
        ),
        unlicensed_brands=(_b("Dosan", "โดซาน"), _b("Sokket", "ซอคเก็ต"), _b("Wiremax", "ไวร์แม็กซ์")),
        model_prefixes=("S-", "WS-", "DS-"),
        wrong_claims=("934-2558", "2879-2560"),
    ),
    Family(
        key="power_bank",
        tis_number="2879-2560",
        nouns=("พาวเวอร์แบงค์", "พาวเวอร์แบงก์", "เพาเวอร์แบงค์", "แบตสำรอง", "Power Bank", "powerbank"),
        search_terms=("แบตเตอรี่สำรอง", "แบตสำรองมือถือ"),
        category_th="แบตเตอรี่สำรอง",
        price_range=(290, 1890),
        specs=_power_bank_specs,
        licences=(
            LicenceSpec(
                "น1088-62/2879",
                "import",
                "บริษัท อีลูป เทคโนโลยี จำกัด",
                _b("Eloop", "อีลูป", True),
                ("E-33", "E-29", "EW-55", "E-53"),
                "2019-02-11",
            ),
            LicenceSpec(
                "น2347-63/2879",
                "import",
                "บริษัท ออร์เซ่น ดิจิตอล จำกัด",
                _b("Orsen", "ออร์เซ่น", True),
                ("E-41", "E-43"),
                "2020-03-16",
            ),
            LicenceSpec(
                "น3555-64/2879",
                "import",
                "บริษัท แองเคอร์ อินโนเวชั่นส์ (ไทย) จำกัด",
                _b("Anker", "แองเคอร์", True),
                ("A1263", "A1384"),
                "2021-08-02",
            ),
            LicenceSpec(
                "น5230-66/2879",
                "import",
                "บริษัท มูฟ โมบาย จำกัด",
                _b("Moov", "มูฟ"),
                ("PB-02", "PB-03"),
                "2023-06-14",
            ),
            LicenceSpec(
                "น991-61/2879",
                "import",
                "บริษัท พาวเวอร์ลิงค์ เทรดดิ้ง จำกัด",
                _b("Powerlink", "พาวเวอร์ลิงค์"),
                ("PL-10",),
                "2018-01-25",
                "revoked",
            ),
            LicenceSpec(
                "น4120-65/2879",
                "import",
                "บริษัท โจลิพาว จำกัด",
                _b("Jolipow", "โจลิพาว"),
                ("J-20",),
                "2022-04-04",
                "suspended",
            ),
        ),
        unlicensed_brands=(_b("Zenpow", "เซ็นพาว"), _b("KINGPOW", "คิงพาว"), _b("Maxcell", "แม็กเซลล์")),
        model_prefixes=("PB-", "Z-", "MX-"),
        wrong_claims=("2432-2555", "934-2558"),
        base_weight=1.4,
    ),
    Family(
        key="helmet",
        tis_number="369-2557",
        nouns=("หมวกกันน็อค", "หมวกกันน็อก", "หมวกกันน๊อค", "หมวกนิรภัย", "หมวกกันน็อคมอเตอร์ไซค์"),
        search_terms=("หมวกกันน๊อก", "หมวกกันนอค", "motorcycle helmet"),
        category_th="หมวกกันน็อค",
        price_range=(390, 3900),
        specs=_helmet_specs,
        licences=(
            LicenceSpec(
                "ท2284-57/369",
                "make",
                "บริษัท ไทยเฮลเม็ท อินดัสทรี จำกัด",
                _b("INDEX", "อินเด็กซ์", True),
                ("TITAN", "SAVVY", "DUO"),
                "2014-09-01",
            ),
            LicenceSpec(
                "ท1512-52/369", "make", "บริษัท บิลโมล่า จำกัด", _b("Bilmola", "บิลโมล่า", True), (), "2009-05-18"
            ),
            LicenceSpec(
                "ท3308-60/369",
                "make",
                "บริษัท เอช ทู ซี จำกัด",
                _b("H2C", "เอชทูซี", True),
                ("HX-200", "HX-300"),
                "2017-10-10",
            ),
            LicenceSpec(
                "ท788-50/369",
                "make",
                "บริษัท สปีดไรเดอร์ จำกัด",
                _b("Speedrider", "สปีดไรเดอร์"),
                ("SR-1",),
                "2007-03-03",
                "revoked",
            ),
            LicenceSpec(
                "ท2902-59/369",
                "make",
                "บริษัท เฮลแม็กซ์ จำกัด",
                _b("Helmax", "เฮลแม็กซ์"),
                ("HM-7",),
                "2016-11-11",
                "suspended",
            ),
        ),
        unlicensed_brands=(_b("Ridex", "ไรเด็กซ์"), _b("MotoGuard", "โมโตการ์ด"), _b("SPEEDY", "สปีดดี้")),
        model_prefixes=("RX-", "MG-", "SP-"),
        wrong_claims=("2432-2555", "685 เล่ม 1-2562"),
        base_weight=1.3,
    ),
    Family(
        key="toy",
        tis_number="685 เล่ม 1-2562",
        nouns=("ของเล่นเด็ก", "ของเล่น", "ตัวต่อ", "ตุ๊กตา", "รถของเล่น", "บล็อกไม้"),
        search_terms=("ของเล่นเสริมพัฒนาการ", "รถบังคับ", "บล็อกตัวต่อ", "toy"),
        category_th="ของเล่นเด็ก",
        price_range=(99, 2590),
        specs=_toy_specs,
        licences=(
            LicenceSpec(
                "น5120-62/685",
                "import",
                "บริษัท ทอยส์ แลนด์ อิมปอร์ต จำกัด",
                _b("Mideer", "มิเดียร์", True),
                (),
                "2019-12-02",
            ),
            LicenceSpec(
                "น2281-63/685",
                "import",
                "บริษัท บริค ทอยส์ (ประเทศไทย) จำกัด",
                _b("LEGO", "เลโก้", True),
                ("60337", "10698", "42151"),
                "2020-02-20",
            ),
            LicenceSpec(
                "ท1044-64/685", "make", "บริษัท ตุ๊กตาไทย แฮนด์เมด จำกัด", _b("Nongnoon", "น้องนุ่น"), (), "2021-06-06"
            ),
            LicenceSpec(
                "น3390-62/685",
                "import",
                "บริษัท แฮปปี้คิดส์ จำกัด",
                _b("Happykid", "แฮปปี้คิด"),
                ("HK-01",),
                "2019-04-09",
                "revoked",
            ),
            LicenceSpec(
                "น4402-65/685",
                "import",
                "บริษัท ทอยโซน เทรดดิ้ง จำกัด",
                _b("Toyzone", "ทอยโซน"),
                (),
                "2022-08-15",
                "suspended",
            ),
        ),
        unlicensed_brands=(_b("Kidsland", "คิดส์แลนด์"), _b("Funbox", "ฟันบ็อกซ์"), _b("Babyplay", "เบบี้เพลย์")),
        model_prefixes=("KL-", "FB-", "BP-"),
        wrong_claims=("369-2557", "2432-2555"),
        base_weight=1.2,
    ),
    Family(
        key="hair_care",
        tis_number="60335 เล่ม 2(23)-2564",
        nouns=("ไดร์เป่าผม", "เครื่องเป่าผม", "ไดร์เป่าผมพกพา", "เครื่องหนีบผม", "ที่หนีบผม"),
        search_terms=("ไดร์", "hair dryer", "เครื่องม้วนผม"),
        category_th="เครื่องใช้ไฟฟ้าดูแลเส้นผม",
        price_range=(199, 2990),
        specs=_hair_specs,
        licences=(
            LicenceSpec(
                "น1432-64/60335",
                "import",
                "บริษัท เพอร์ซันนอล แคร์ (ประเทศไทย) จำกัด",
                _b("Philips", "ฟิลิปส์", True),
                ("BHD308", "BHC010", "HP8120"),
                "2021-03-23",
            ),
            LicenceSpec(
                "น2219-65/60335",
                "import",
                "บริษัท เลอซาช่า จำกัด",
                _b("Lesasha", "เลอซาช่า", True),
                ("LS1357", "LS1358", "LS0932"),
                "2022-02-08",
            ),
            LicenceSpec(
                "น3361-65/60335", "import", "บริษัท ซีเคแอล อีเลคทริค จำกัด", _b("CKL", "ซีเคแอล"), (), "2022-09-29"
            ),
            LicenceSpec(
                "น873-64/60335",
                "import",
                "บริษัท เจเอ็มเอฟ เทรดดิ้ง จำกัด",
                _b("JMF", "เจเอ็มเอฟ"),
                ("JMF-6600",),
                "2021-01-12",
                "revoked",
            ),
            LicenceSpec(
                "น4005-66/60335",
                "import",
                "บริษัท แฮร์โปร จำกัด",
                _b("Hairpro", "แฮร์โปร"),
                ("HP-22",),
                "2023-04-18",
                "suspended",
            ),
        ),
        unlicensed_brands=(_b("Dryzen", "ไดรเซ็น"), _b("Salonmax", "ซาลอนแม็กซ์"), _b("Hairstar", "แฮร์สตาร์")),
        model_prefixes=("DZ-", "SM-", "HS-"),
        wrong_claims=("60335 เล่ม 2(65)-2564", "366-2547"),
    ),
    Family(
        key="lpg_cylinder",
        tis_number="27-2543",
        nouns=("ถังแก๊ส", "ถังก๊าซ", "ถังแก๊สหุงต้ม", "ถังแก๊ส LPG"),
        search_terms=("ถังก๊าซหุงต้ม", "ถังแก๊สปิคนิค"),
        category_th="ถังแก๊สและอุปกรณ์",
        price_range=(890, 3500),
        specs=_lpg_specs,
        licences=(
            LicenceSpec(
                "ท1120-43/27", "make", "บริษัท ไทยถังแก๊ส จำกัด", _b("Thaigas", "ไทยแก๊ส"), (), "2000-07-07"
            ),
            LicenceSpec(
                "ท2560-47/27",
                "make",
                "บริษัท ยูนิแก๊ส อินดัสทรี จำกัด (มหาชน)",
                _b("Unigas", "ยูนิแก๊ส"),
                (),
                "2004-02-14",
            ),
            LicenceSpec(
                "ท884-40/27", "make", "บริษัท พูมิแก๊ส จำกัด", _b("Pumigas", "พูมิแก๊ส"), (), "1997-10-01", "revoked"
            ),
            LicenceSpec(
                "ท3011-58/27",
                "make",
                "บริษัท แก๊สเมท จำกัด",
                _b("Gasmate", "แก๊สเมท"),
                (),
                "2015-05-25",
                "suspended",
            ),
        ),
        unlicensed_brands=(_b("Cookgas", "คุกแก๊ส"), _b("Kangas", "แคนแก๊ส")),
        model_prefixes=("CG-", "LPG-"),
        wrong_claims=("370-2552", "879-2553"),
        base_weight=0.8,
    ),
    Family(
        key="led_lamp",
        tis_number="2780-2562",
        nouns=("หลอดไฟ LED", "หลอดแอลอีดี", "หลอดไฟแอลอีดี", "หลอด LED", "หลอดไฟ", "หลอดไฟLED"),
        search_terms=("หลอดไฟ led", "หลอดบับ", "led bulb"),
        category_th="หลอดไฟ",
        price_range=(29, 259),
        specs=_led_specs,
        licences=(
            LicenceSpec(
                "น3011-63/2780",
                "import",
                "บริษัท ไลท์ติ้ง โซลูชั่น (ประเทศไทย) จำกัด",
                _b("Philips", "ฟิลิปส์", True),
                (),
                "2020-06-30",
            ),
            LicenceSpec(
                "ท1201-62/2780",
                "make",
                "บริษัท แลมป์ตั้น ไลท์ติ้ง จำกัด",
                _b("Lamptan", "แลมป์ตั้น", True),
                (),
                "2019-08-08",
            ),
            LicenceSpec(
                "น4455-64/2780",
                "import",
                "บริษัท อีฟ ไลท์ติ้ง จำกัด",
                _b("EVE", "อีฟ", True),
                ("ECO-9", "ECO-13"),
                "2021-11-11",
            ),
            LicenceSpec(
                "น2290-63/2780",
                "import",
                "บริษัท ลูมิร่า จำกัด",
                _b("Lumira", "ลูมิร่า"),
                ("LM-9",),
                "2020-01-30",
                "revoked",
            ),
            LicenceSpec(
                "น5120-65/2780",
                "import",
                "บริษัท ไบรท์แม็กซ์ จำกัด",
                _b("Brightmax", "ไบรท์แม็กซ์"),
                (),
                "2022-10-10",
                "suspended",
            ),
        ),
        unlicensed_brands=(_b("Lightplus", "ไลท์พลัส"), _b("Neolux", "นีโอลักซ์"), _b("Sunbulb", "ซันบับ")),
        model_prefixes=("LP-", "NL-", "SB-"),
        wrong_claims=("2432-2555", "934-2558"),
    ),
    Family(
        key="fan",
        tis_number="934-2558",
        nouns=("พัดลม", "พัดลมตั้งพื้น", "พัดลมตั้งโต๊ะ", "พัดลมติดผนัง", "พัดลมไฟฟ้า"),
        search_terms=("พัดลมสไลด์", "electric fan"),
        category_th="พัดลม",
        price_range=(490, 2490),
        specs=_fan_specs,
        licences=(
            LicenceSpec(
                "ท1020-58/934",
                "make",
                "บริษัท สยามอิเล็กทริกแฟน จำกัด",
                _b("Hatari", "ฮาตาริ", True),
                ("HT-S16M7", "HT-T16M3", "HT-P18M1"),
                "2015-04-01",
            ),
            LicenceSpec(
                "ท2333-59/934",
                "make",
                "บริษัท ไทยชาร์ป แมนูแฟคเจอริ่ง จำกัด",
                _b("Sharp", "ชาร์ป", True),
                ("PJ-SL163", "PJ-TA163"),
                "2016-06-16",
            ),
            LicenceSpec(
                "ท3456-61/934",
                "make",
                "บริษัท มาสเตอร์คูล อินเตอร์เนชั่นแนล จำกัด",
                _b("Masterkool", "มาสเตอร์คูล", True),
                (),
                "2018-12-01",
            ),
            LicenceSpec(
                "ท778-50/934",
                "make",
                "บริษัท วินดี้ แฟน จำกัด",
                _b("Windy", "วินดี้"),
                ("WD-16",),
                "2007-01-20",
                "revoked",
            ),
            LicenceSpec(
                "ท4012-62/934",
                "make",
                "บริษัท คูลบรีซ จำกัด",
                _b("Coolbreeze", "คูลบรีซ"),
                ("CB-18",),
                "2019-09-19",
                "suspended",
            ),
        ),
        unlicensed_brands=(_b("Fanmax", "แฟนแม็กซ์"), _b("Airwave", "แอร์เวฟ"), _b("Breezy", "บรีซซี่")),
        model_prefixes=("FM-", "AW-", "BZ-"),
        wrong_claims=("2432-2555", "1039-2547"),
    ),
    Family(
        key="rice_cooker",
        tis_number="1039-2547",
        nouns=("หม้อหุงข้าว", "หม้อหุงข้าวไฟฟ้า", "หม้อหุงข้าวดิจิตอล"),
        search_terms=("rice cooker",),
        category_th="หม้อหุงข้าว",
        price_range=(390, 3290),
        specs=_rice_specs,
        licences=(
            LicenceSpec(
                "ท2050-49/1039",
                "make",
                "บริษัท ไทยชาร์ป แมนูแฟคเจอริ่ง จำกัด",
                _b("Sharp", "ชาร์ป", True),
                ("KS-11E", "KS-19E", "KSH-D18"),
                "2006-05-05",
            ),
            LicenceSpec(
                "(2)ท3350-55/1039",
                "make",
                "บริษัท ไทยยูเนี่ยน อีเล็คทริค จำกัด",
                _b("Toshiba", "โตชิบา", True),
                ("RC-T18JA", "RC-5SL"),
                "2012-11-30",
            ),
            LicenceSpec(
                "น4410-62/1039",
                "import",
                "บริษัท ออตโต้ อินเตอร์เทรด จำกัด",
                _b("Otto", "ออตโต้", True),
                ("CR-180T", "CR-110"),
                "2019-07-01",
            ),
            LicenceSpec(
                "ท1301-48/1039",
                "make",
                "บริษัท สมาร์ทคุก จำกัด",
                _b("Smartcook", "สมาร์ทคุก"),
                ("SC-18",),
                "2005-03-03",
                "revoked",
            ),
            LicenceSpec(
                "น2675-63/1039",
                "import",
                "บริษัท ไรซ์แม็กซ์ จำกัด",
                _b("Ricemax", "ไรซ์แม็กซ์"),
                (),
                "2020-12-24",
                "suspended",
            ),
        ),
        unlicensed_brands=(_b("Homey", "โฮมมี่"), _b("Kitchenpro", "คิทเช่นโปร"), _b("Chefmate", "เชฟเมท")),
        model_prefixes=("RC-", "HM-", "CM-"),
        wrong_claims=("366-2547", "2432-2555"),
    ),
    Family(
        key="iron",
        tis_number="366-2547",
        nouns=("เตารีด", "เตารีดไฟฟ้า", "เตารีดไอน้ำ", "เตารีดแห้ง"),
        search_terms=("steam iron",),
        category_th="เตารีด",
        price_range=(290, 2490),
        specs=_iron_specs,
        licences=(
            LicenceSpec(
                "น2310-60/366",
                "import",
                "บริษัท เพอร์ซันนอล แคร์ (ประเทศไทย) จำกัด",
                _b("Philips", "ฟิลิปส์", True),
                ("GC1905", "GC2990", "HD1172"),
                "2017-02-02",
            ),
            LicenceSpec(
                "น1877-61/366",
                "import",
                "บริษัท กรุ๊ป เซบ (ประเทศไทย) จำกัด",
                _b("Tefal", "ทีฟาล์ว", True),
                ("FV1845", "FV2845"),
                "2018-10-22",
            ),
            LicenceSpec(
                "ท990-55/366",
                "make",
                "บริษัท สมาร์ทโฮม อินดัสทรี จำกัด",
                _b("Smarthome", "สมาร์ทโฮม", True),
                (),
                "2012-08-08",
            ),
            LicenceSpec(
                "ท612-51/366",
                "make",
                "บริษัท เพรสโซ่ จำกัด",
                _b("Presso", "เพรสโซ่"),
                ("PS-1000",),
                "2008-06-16",
                "revoked",
            ),
            LicenceSpec(
                "น3366-64/366",
                "import",
                "บริษัท สตีมมี่ จำกัด",
                _b("Steamy", "สตีมมี่"),
                ("ST-2",),
                "2021-07-07",
                "suspended",
            ),
        ),
        unlicensed_brands=(_b("Pressmax", "เพรสแม็กซ์"), _b("Clothcare", "โคลธแคร์"), _b("Wrinkfree", "ริงค์ฟรี")),
        model_prefixes=("IR-", "PM-", "CC-"),
        wrong_claims=("1039-2547", "60335 เล่ม 2(23)-2564"),
    ),
    Family(
        key="gas_lighter",
        tis_number="879-2553",
        nouns=("ไฟแช็ก", "ไฟแช็ค", "ไฟแช็กแก๊ส", "ไฟแช็คแก๊ส"),
        search_terms=("ไฟแช๊ค", "lighter"),
        category_th="ไฟแช็ก",
        price_range=(10, 390),
        specs=_lighter_specs,
        licences=(
            LicenceSpec(
                "น1560-56/879",
                "import",
                "บริษัท โตไก (ประเทศไทย) จำกัด",
                _b("Tokai", "โตไก", True),
                ("PM-300", "CR-33"),
                "2013-04-04",
            ),
            LicenceSpec(
                "น2208-58/879",
                "import",
                "บริษัท คลิปเปอร์ ไทย จำกัด",
                _b("Clipper", "คลิปเปอร์", True),
                (),
                "2015-01-15",
            ),
            LicenceSpec(
                "ท310-53/879", "make", "บริษัท เฟลมมี่ จำกัด", _b("Flamy", "เฟลมมี่"), ("FL-1",), "2010-10-10"
            ),
            LicenceSpec(
                "น1999-57/879",
                "import",
                "บริษัท สปาร์คเคิล จำกัด",
                _b("Sparkle", "สปาร์คเคิล"),
                (),
                "2014-05-05",
                "revoked",
            ),
            LicenceSpec(
                "น2741-60/879",
                "import",
                "บริษัท ไฟร์เมท จำกัด",
                _b("Firemate", "ไฟร์เมท"),
                ("FM-5",),
                "2017-09-09",
                "suspended",
            ),
        ),
        unlicensed_brands=(_b("Fireking", "ไฟร์คิง"), _b("Blaze", "เบลซ"), _b("Lightup", "ไลท์อัพ")),
        model_prefixes=("FK-", "BL-", "LU-"),
        wrong_claims=("27-2543",),
        base_weight=0.8,
    ),
    Family(
        key="feeding_teat",
        tis_number="969-2562",
        nouns=("จุกนม", "จุกนมซิลิโคน", "หัวนมยาง", "จุกนมยาง"),
        search_terms=("จุกขวดนม",),
        category_th="อุปกรณ์ให้นมเด็ก",
        price_range=(59, 390),
        specs=_teat_specs,
        licences=(
            LicenceSpec(
                "น1212-63/969",
                "import",
                "บริษัท พีเจ้น (ประเทศไทย) จำกัด",
                _b("Pigeon", "พีเจ้น", True),
                (),
                "2020-05-12",
            ),
            LicenceSpec(
                "น2323-64/969",
                "import",
                "บริษัท เนเจอร์ เบบี้ จำกัด",
                _b("Natur", "เนเจอร์", True),
                ("NT-S", "NT-M", "NT-L"),
                "2021-03-03",
            ),
            LicenceSpec(
                "ท455-63/969", "make", "บริษัท แอทตูน จำกัด", _b("Attoon", "แอทตูน", True), (), "2020-08-18"
            ),
            LicenceSpec(
                "น2811-62/969",
                "import",
                "บริษัท เบบี้ซอฟท์ จำกัด",
                _b("Babysoft", "เบบี้ซอฟท์"),
                ("BS-1",),
                "2019-11-11",
                "revoked",
            ),
            LicenceSpec(
                "น3090-65/969",
                "import",
                "บริษัท มัมแคร์ จำกัด",
                _b("Momcare", "มัมแคร์"),
                (),
                "2022-06-01",
                "suspended",
            ),
        ),
        unlicensed_brands=(_b("Babylove", "เบบี้เลิฟ"), _b("Milkyway", "มิลกี้เวย์"), _b("Softnip", "ซอฟนิป")),
        model_prefixes=("BL-", "MW-", "SN-"),
        wrong_claims=("685 เล่ม 1-2562",),
        base_weight=0.7,
    ),
)

FAMILY_BY_KEY: dict[str, Family] = {family.key: family for family in FAMILIES}

# Licences of standards no demo product belongs to, cited by listings that borrow another product's
# licence (a rice cooker citing an engine-oil licence) and kept as registry noise.
FOREIGN_LICENCES: tuple[LicenceSpec, ...] = (
    LicenceSpec(
        "(3)น1021-49/1040",
        "import",
        "บริษัท ลูบริแคนท์ เทรดดิ้ง จำกัด",
        _b("Lubetech", "ลูบเทค"),
        ("2T-1",),
        "2006-09-12",
        tis_number="1040-2541",
    ),
    LicenceSpec(
        "น4908-64/60335",
        "import",
        "บริษัท เพอร์ซันนอล แคร์ (ประเทศไทย) จำกัด",
        _b("Philips", "ฟิลิปส์"),
        ("AC0820", "AC1215"),
        "2021-10-14",
        tis_number="60335 เล่ม 2(65)-2564",
    ),
    LicenceSpec(
        "ท2217-57/2217",
        "make",
        "บริษัท ไทยเซลล์ เอนเนอร์ยี จำกัด",
        _b("Thaicell", "ไทยเซลล์"),
        (),
        "2014-02-02",
        tis_number="2217-2548",
    ),
)


# --- unregulated goods -----------------------------------------------------------------------------


def _u(
    key: str,
    template: str,
    category: str,
    prices: tuple[int, int],
    near_miss_of: str = "",
    terms: tuple[str, ...] = (),
    brands: tuple[Brand, ...] = (),
) -> UnregulatedProduct:
    return UnregulatedProduct(key, template, category, prices, near_miss_of, terms, brands)


UNREGULATED: tuple[UnregulatedProduct, ...] = (
    # near-misses: the title carries a regulated product's noun, the product is something else
    _u(
        "strip_cover",
        "ที่ครอบรางปลั๊กไฟ กล่องเก็บปลั๊กพ่วง ซ่อนสายไฟ {color}",
        "จัดระเบียบสายไฟ",
        (159, 459),
        "power_strip",
        ("กล่องเก็บสายไฟ",),
    ),
    _u(
        "strip_box",
        "กล่องจัดระเบียบสายไฟและรางปลั๊กไฟ กันฝุ่น กันเด็กเล่น ขนาดใหญ่",
        "จัดระเบียบสายไฟ",
        (199, 399),
        "power_strip",
    ),
    _u(
        "socket_cover",
        "ที่ปิดรูปลั๊กไฟ กันไฟดูด สำหรับเด็ก แพ็ค {n} ชิ้น",
        "อุปกรณ์เพื่อความปลอดภัยเด็ก",
        (39, 129),
        "plug_socket",
        ("ฝาครอบปลั๊ก",),
    ),
    _u(
        "usb_cable",
        "สายชาร์จ USB-C to USB-C 60W ยาว {len} เมตร สำหรับพาวเวอร์แบงค์ มือถือ",
        "สายชาร์จ",
        (59, 299),
        "power_bank",
        ("สายชาร์จ", "usb cable"),
        (_b("Eloop", "อีลูป", True),),
    ),
    _u(
        "usb_cable_micro",
        "{brand} สายชาร์จ Micro USB ชาร์จเร็ว 2.4A ยาว {len} เมตร",
        "สายชาร์จ",
        (39, 159),
        "",
        ("สายชาร์จ",),
        (_b("Orsen", "ออร์เซ่น", True), _b("Anker", "แองเคอร์", True)),
    ),
    _u(
        "bank_pouch",
        "ซองกันกระแทกใส่พาวเวอร์แบงค์ แบตสำรอง กระเป๋าจัดระเบียบ {color}",
        "กระเป๋าจัดระเบียบ",
        (89, 249),
        "power_bank",
    ),
    _u("helmet_sticker", "สติกเกอร์ติดหมวกกันน็อค สะท้อนแสง ลายสายฟ้า", "สติกเกอร์", (29, 99), "helmet"),
    _u("helmet_bag", "กระเป๋าใส่หมวกกันน็อค กันน้ำ {color}", "กระเป๋า", (149, 390), "helmet"),
    _u("site_helmet", "หมวกนิรภัยก่อสร้าง หมวกเซฟตี้ วิศวกร {color}", "อุปกรณ์เซฟตี้", (89, 290), "helmet"),
    _u("cap", "หมวกแก๊ป ผ้าฝ้าย ปักลาย {color}", "หมวกแฟชั่น", (99, 290), "helmet", ("หมวก",)),
    _u("toy_shelf", "ชั้นวางของเล่น 3 ชั้น กล่องเก็บของเล่นเด็ก", "เฟอร์นิเจอร์เด็ก", (390, 1290), "toy"),
    _u("pet_toy", "ของเล่นแมว ไม้ตกแมว ขนนก แพ็ค {n} ชิ้น", "สัตว์เลี้ยง", (29, 159), "toy"),
    _u("dash_doll", "ตุ๊กตาหน้ารถ ส่ายหัว ตกแต่งคอนโซล", "อุปกรณ์แต่งรถ", (59, 199), "toy"),
    _u("dryer_holder", "ที่แขวนไดร์เป่าผม ติดผนัง ไม่ต้องเจาะ {color}", "ของใช้ในห้องน้ำ", (79, 199), "hair_care"),
    _u("cylinder_trolley", "ล้อเลื่อนถังแก๊ส ขาตั้งถังแก๊ส 15 กก. ปรับได้", "อุปกรณ์ครัว", (159, 459), "lpg_cylinder"),
    _u("regulator", "หัวปรับแก๊ส แรงดันต่ำ พร้อมสายแก๊ส 2 เมตร", "อุปกรณ์ครัว", (199, 590), "lpg_cylinder"),
    _u("led_strip", "ไฟเส้น LED 5 เมตร RGB เปลี่ยนสีได้ มีรีโมท", "ไฟตกแต่ง", (99, 390), "led_lamp"),
    _u("flashlight", "ไฟฉาย LED ชาร์จ USB กันน้ำ แสงพุ่งไกล", "ไฟฉาย", (149, 590), "led_lamp"),
    _u("fan_blade", "ใบพัดลม 16 นิ้ว อะไหล่พัดลม 3 ใบพัด {color}", "อะไหล่เครื่องใช้ไฟฟ้า", (59, 159), "fan"),
    _u("usb_fan", "พัดลมพกพา USB มินิ ชาร์จแบตได้ {color}", "พัดลมพกพา", (99, 359), "fan"),
    _u("cooker_cover", "ถุงคลุมหม้อหุงข้าว กันฝุ่น ลายการ์ตูน", "ผ้าคลุมเครื่องใช้", (49, 129), "rice_cooker"),
    _u("iron_rest", "ที่วางเตารีด ซิลิโคน ทนความร้อน", "อุปกรณ์รีดผ้า", (59, 159), "iron"),
    _u("ironing_board", "โต๊ะรีดผ้า แบบนั่งรีด ปรับระดับได้ {color}", "อุปกรณ์รีดผ้า", (290, 890), "iron"),
    _u("lighter_case", "เคสใส่ไฟแช็ก หนังแท้ พร้อมพวงกุญแจ", "ของใช้ส่วนตัว", (99, 290), "gas_lighter"),
    _u(
        "glass_bottle",
        "ขวดนมแก้ว คอกว้าง 8oz (ไม่รวมจุกนม)",
        "อุปกรณ์ให้นมเด็ก",
        (159, 459),
        "feeding_teat",
        ("ขวดนม",),
    ),
    _u(
        "bottle_brush",
        "แปรงล้างขวดนมและจุกนม ฟองน้ำ หมุนได้ 360 องศา",
        "อุปกรณ์ให้นมเด็ก",
        (49, 159),
        "feeding_teat",
        ("ขวดนม",),
    ),
    _u("bottle_rack", "ที่คว่ำขวดนม ทรงต้นไม้ {color}", "อุปกรณ์ให้นมเด็ก", (99, 290), "feeding_teat", ("ขวดนม",)),
    # plain goods
    _u(
        "phone_case",
        "เคสโทรศัพท์ iPhone 15 ซิลิโคน กันกระแทก {color}",
        "เคสมือถือ",
        (59, 290),
        "",
        ("เคสโทรศัพท์", "เคสมือถือ"),
    ),
    _u("tshirt", "เสื้อยืด cotton 100% สีพื้น ไซส์ M-XXL", "เสื้อผ้า", (99, 259), "", ("เสื้อยืด",)),
    _u("umbrella", "ร่มพับ 3 ตอน กันยูวี กันฝน {color}", "ร่ม", (99, 390), "", ("ร่ม",)),
    _u("tote", "กระเป๋าผ้าแคนวาส ลายแมว ใส่ของได้เยอะ", "กระเป๋า", (89, 259), "", ("กระเป๋าผ้า",)),
    _u("hangers", "ไม้แขวนเสื้อ กันลื่น แพ็ค {n} ชิ้น", "ของใช้ในบ้าน", (59, 199), "", ("ไม้แขวนเสื้อ",)),
    _u("notebook", "สมุดโน้ต A5 ปกแข็ง 100 แผ่น", "เครื่องเขียน", (35, 129), "", ("สมุด",)),
    _u("tripod", "ขาตั้งกล้องมือถือ Tripod 1.6 เมตร พร้อมรีโมทบลูทูธ", "อุปกรณ์มือถือ", (149, 490), "", ("ขาตั้งกล้อง",)),
)

UNREGULATED_BY_KEY: dict[str, UnregulatedProduct] = {product.key: product for product in UNREGULATED}
