"""Classification to the mandatory standard, and the near misses that stay unregulated."""

from __future__ import annotations

import pytest

from matchers.matcher import Matcher
from tests.matcher_tests.conftest import listing


@pytest.mark.parametrize(
    ("title", "tis_number"),
    [
        ("ปลั๊กพ่วง 4 ช่อง 2 USB สายยาว 5 เมตร", "2432-2555"),
        ("รางปลั๊กไฟ กันไฟกระชาก", "2432-2555"),
        ("Extension cord 3m 4 outlets", "2432-2555"),
        ("เต้ารับคู่ มีกราวด์ ฝังผนัง", "166-2549"),
        ("ปลั๊กแปลง 3 ขา เป็น 2 ขา", "166-2549"),
        ("สวิทช์ไฟ ทางเดียว สีขาว", "824-2551"),
        ("แบตสำรอง 10000mAh ชาร์จเร็ว", "2879-2560"),
        ("ถ่านชาร์จ 18650 3.7V", "2217-2548"),
        ("หัวชาร์จ 20W USB-C PD", "62368 เล่ม 1-2563"),
        ("หลอดไฟ LED 9W ขั้ว E27", "2780-2562"),
        ("พัดลมตั้งพื้น 16 นิ้ว", "934-2558"),
        ("หม้อหุงข้าวไฟฟ้า 1.8 ลิตร", "1039-2547"),
        ("เตารีดไอน้ำ 2200W", "366-2547"),
        ("เตาไมโครเวฟ 20 ลิตร", "1773-2548"),
        ("กระติกน้ำร้อนไฟฟ้า 2.5 ลิตร", "2062-2558"),
        ("ไดร์เป่าผม 1600W", "60335 เล่ม 2(23)-2564"),
        ("เครื่องหนีบผม ร้อนเร็ว", "60335 เล่ม 2(23)-2564"),
        ("เครื่องฟอกอากาศ HEPA ห้อง 30 ตร.ม.", "60335 เล่ม 2(65)-2564"),
        ("หมวกกันน็อก เต็มใบ", "369-2557"),
        ("หมวกนิรภัย มอเตอร์ไซค์ ครึ่งใบ", "369-2557"),
        ("ตุ๊กตาหมี ผ้านุ่ม", "685 เล่ม 1-2562"),
        ("รถบังคับ วิทยุ 4WD", "685 เล่ม 1-2562"),
        ("สีเทียน 24 สี", "1149-2548"),
        ("จุกนมซิลิโคน คอกว้าง", "969-2562"),
        ("จุกนมหลอก สำหรับเด็กแรกเกิด", "1025-2562"),
        ("ถังแก๊ส 15 กก. เปล่า", "27-2543"),
        ("ไฟแช็ก เติมแก๊สได้", "879-2553"),
        ("เบรกเกอร์กันดูด RCBO 32A", "909-2548"),
        ("เบรกเกอร์ RCCB 2P 40A", "2425-2560"),
        ("สายไฟ VAF 2x2.5 ยาว 100 เมตร", "11 เล่ม 101-2559"),
        ("สายไฟ THW 1x4 sq.mm", "11 เล่ม 3-2553"),
        ("กล่องใส่อาหาร พลาสติก 3 ช่อง", "655 เล่ม 1-2553"),
        ("จานเมลามีน ลายดอก", "2921-2562"),
        ("ยางรถยนต์ 185/65R15", "2718-2560"),
        ("ยางนอกมอเตอร์ไซค์ 70/90-17", "2720-2560"),
        ("Schneiderหม้อหุงข้าวไฟฟ้า", "1039-2547"),  # a brand glued to the product word
        # Spellings of สวิตช์ fold together; the switch's kind names it, not a power strip's switch count.
        ("Bolta สวิทช์ 3 ทาง BW-5", "824-2551"),
        ("สวิตซ์สองทาง แพ็ค 5 ตัว", "824-2551"),
        ("สวิทซ์ทางเดียว สีขาว", "824-2551"),
        ("ปลั๊กพ่วง 4 ช่อง 4 สวิทช์ 3 เมตร", "2432-2555"),
        ("ปืนนวดกล้ามเนื้อ 6 หัว แบตอึด", "60335 เล่ม 2(32)-2564"),
        ("Adapter GaN 65W 3 พอร์ต", "62368 เล่ม 1-2563"),
        ("ยางนอกมอไซค์ ขอบ 14 ลายไฟ", "2720-2560"),
        ("ยางใน 2.75-17 มอเตอร์ไซค์", "683-2562"),
        ("Bangkok Cable สาย THW 1x2.5 ขด 100ม.", "11 เล่ม 3-2553"),  # a cable brand, not a USB cable
        ("เบรกเกอร์กันดูด RCCB 2P 40A 30mA", "2425-2560"),  # RCCB named: not the RCBO standard
        ("จอมอนิเตอร์ 24 นิ้ว IPS 75Hz", "62368 เล่ม 1-2563"),  # IT equipment, not only its chargers
        ("Tomoki กระติกต้มน้ำร้อนไฟฟ้า TK-685 ตัดไฟอัตโนมัติ", "2062-2558"),
    ],
)
def test_products_fall_under_their_standard(matcher: Matcher, title: str, tis_number: str) -> None:
    assert matcher.analyse(listing(title)).classification.tis_number == tis_number


@pytest.mark.parametrize(
    "title",
    [
        "เคสพาวเวอร์แบงค์ ซิลิโคน",  # a case for a power bank
        "กล่องเก็บรางปลั๊กไฟ จัดระเบียบสายไฟ",  # a box for a power strip
        "ที่ปิดรูปลั๊กไฟ กันเด็ก แพ็ค 20",  # socket covers
        "ขวดนม คอกว้าง 8oz BPA free",  # baby bottles are voluntary
        "ขวดนม พร้อมจุกนม 4 ออนซ์",  # …even sold with a nipple
        "สายชาร์จ USB-C ยาว 2 เมตร",  # a USB cable is not a charger
        "power bank case",  # English puts the head last
        "ผ้าคลุม สำหรับ พัดลม",  # a cover *for* a fan
        "หมวกแก๊ป ผ้าฝ้าย",  # a cap, not a helmet
        "พัดลมพกพา USB มินิ",  # DC fans are not under the AC-fan standard
        "ของเล่นแมว ขนนก",  # pet toys
        "เสื้อยืด ลายหมวกกันน็อค",  # a T-shirt with a helmet print
        "ชั้นวางหนังสือ 4 ชั้น",  # nothing regulated at all
        "ปลอกหนังใส่ไฟแช็ค งานแฮนด์เมด",  # a sleeve for a lighter
        "กิ๊บตอกสายไฟ เบอร์ 2 (100 ตัว)",  # cable clips
        "ยางในจักรยาน 26 นิ้ว",  # bicycle tubes are not under the motorcycle standard
        "Cable Type-C 1m ชาร์จเร็ว",  # a USB cable
        "หัวแปลง OTG Type-C",  # an OTG adapter is no charger
        "ถุงผ้าใส่หมวกกันน็อค กันฝุ่น",  # a bag for a helmet
        "โป๊ะโคมไฟ ผ้าลินิน (ไม่รวมหลอดไฟ)",  # a lampshade
        "ที่ม้วนผมโฟม ไม่ใช้ไฟฟ้า 12 ชิ้น",  # foam curlers
        "รางครอบสายไฟ ติดผนัง 2 เมตร",  # cable trunking
        "",
    ],
)
def test_near_misses_are_not_regulated(matcher: Matcher, title: str) -> None:
    assert matcher.analyse(listing(title)).classification.tis_number is None


def test_a_category_attribute_classifies_a_bare_title(matcher: Matcher) -> None:
    found = matcher.analyse(listing("Eloop E-33 ของแท้", attributes={"หมวดหมู่": "พาวเวอร์แบงค์"}))
    assert found.classification.tis_number == "2879-2560"
    assert found.classification.source == "attributes"


def test_a_claimed_standard_classifies_a_title_without_product_words(matcher: Matcher) -> None:
    found = matcher.analyse(listing("Eloop E-33 ของแท้ มอก.2879-2560"))
    assert found.classification.tis_number == "2879-2560"
