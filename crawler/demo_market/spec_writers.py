"""How a seller of each demo product family writes its specifications: one function a family, drawing
title bits and a spec table from the catalogue's random generator.

These are code because they draw (sizes, wattages, spellings) in a fixed order; the families' data
(`data/families.json`, read by `families.py`) names its writer by a key of `SPEC_WRITERS`. Changing a
writer's draws changes every listing the demo generates after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from random import Random


@dataclass(frozen=True)
class Specs:
    """A drawn set of specifications: the bits a seller puts in a title, and the page's spec table."""

    title_bits: tuple[str, ...]
    attributes: dict[str, str]
    socket_bit: str = ""
    """For power strips and sockets: the `5 ช่อง` bit (the `มอก.5 ช่อง` trap glues the claim to it)."""


SpecWriter = Callable[[Random], Specs]

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


SPEC_WRITERS: dict[str, SpecWriter] = {
    "power_strip": _power_strip_specs,
    "plug_socket": _plug_socket_specs,
    "power_bank": _power_bank_specs,
    "helmet": _helmet_specs,
    "toy": _toy_specs,
    "hair": _hair_specs,
    "lpg": _lpg_specs,
    "led": _led_specs,
    "fan": _fan_specs,
    "rice": _rice_specs,
    "iron": _iron_specs,
    "lighter": _lighter_specs,
    "teat": _teat_specs,
}
