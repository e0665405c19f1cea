"""Issue 13, classes 1 and 7: every mandatory standard is reviewed in the vocabulary, newly covered
standards classify sellers' titles, and a product's own facts choose between sibling standards."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matchers.matcher import Matcher
from matchers.vocabulary import NOT_SOLD_ONLINE, load_vocabulary
from standards_data.catalogue import mandatory_standards
from tests.matcher_tests.conftest import DATA, listing

TITLES = DATA / "new_standard_titles.tsv"


def _title_rows(path: Path) -> list[tuple[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return [(row["tis_number"], row["title"]) for row in csv.DictReader(lines, delimiter="\t")]


def test_every_mandatory_standard_is_covered_or_marked_not_sold_online_with_a_reason() -> None:
    vocabulary = load_vocabulary()
    mandatory = set(mandatory_standards())
    covered = vocabulary.covered_standards() & mandatory
    marked = vocabulary.not_sold_online()
    assert set(marked) <= mandatory
    assert not covered & set(marked), "a standard is both covered and marked not sold online"
    assert mandatory - covered - set(marked) == set()
    for tis_number, reason in marked.items():
        assert len(reason) > 20, f"{tis_number}: the reason must say why"


def test_most_reviewed_standards_have_product_words_of_their_own() -> None:
    vocabulary = load_vocabulary()
    mandatory = set(mandatory_standards())
    with_words = vocabulary.standards() & mandatory
    # The rest are energy/performance standards of a product named under its safety standard
    # (related_standard rows) or grades reached by a sibling rule (SPHC, SM490, S45C).
    assert len(with_words) >= 110
    assert len(vocabulary.not_sold_online()) <= 25


@pytest.mark.parametrize(("tis_number", "title"), _title_rows(TITLES))
def test_sellers_titles_of_newly_covered_standards(matcher: Matcher, tis_number: str, title: str) -> None:
    found = matcher.analyse(listing(title)).classification
    assert found.tis_number == tis_number, (title, found)


def test_the_title_table_names_many_standards() -> None:
    named = {tis for tis, _ in _title_rows(TITLES)}
    assert len(named) >= 60
    assert named <= set(mandatory_standards())


# Sibling standards: the same head word, a different standard decided by the product's facts.
@pytest.mark.parametrize(
    ("title", "tis_number"),
    [
        # Cord length and outlet count: an extension set, not a plug adapter.
        ("ปลั๊กสามตา 3 ขา มีสวิตช์ 5 เมตร 5 ช่อง", "2432-2555"),
        ("ปลั๊กสามตา สายยาว 3 ม. มีกราวด์", "2432-2555"),
        ("ปลั๊กสามตา 4 ช่อง", "2432-2555"),
        ("ปลั๊กสามตา แปลง 3 ทาง สีขาว", "166-2549"),
        ("เต้ารับคู่ มีกราวด์ ฝังผนัง", "166-2549"),
        ("ปลั๊กไฟ ตัวผู้ 3 ขา หัวยาง", "166-2549"),
        ("ปลั๊กไฟ 4 ช่อง 3 เมตร ตัวผู้ขากลม", "2432-2555"),
        # Lamp shape: a tube (T8/T5, 120 cm) is the double-capped standard; a bulb stays 2780.
        ("หลอดไฟ LED T8 18W แสงขาว", "2779-2562"),
        ("หลอดไฟ LED 9W ยาว 60 ซม. ขั้ว G13", "2779-2562"),
        ("หลอดไฟ LED 9W ขั้ว E27", "2780-2562"),
        ("หลอดไฟ นีออน 36W แสงขาว", "956-2557"),
        ("หลอดนีออน LED 18W", "2779-2562"),
        ("หลอดตะเกียบ LED 20W E27", "2780-2562"),
        ("หลอดตะเกียบ 4 ขา 2G11 26W", "2235-2557"),
        ("หลอดไส้ LED Edison ST64 4W", "2780-2562"),
        # Tyres: the size and load marks decide between car, light-truck and retread standards.
        ("ยางรถยนต์ 195/65R15", "2718-2560"),
        ("ยางรถยนต์ LT265/75R16 10PR", "2719-2560"),
        ("ยางรถยนต์ 195R14C 8PR", "2719-2560"),
        ("ยางหล่อดอก 215/70R15C", "2979-2562"),
        # Grades and materials.
        ("เหล็กเส้น DB12 SD40", "24-2559"),
        ("เหล็กเส้น RB9", "20-2559"),
        ("เหล็กแผ่นดำ SPHC 3 มม.", "528-2560"),
        ("กระจกแผ่น ลามิเนต 8.76 มม.", "1222-2560"),
        ("กล่องใส่อาหาร พลาสติก PC ใส", "655 เล่ม 1-2553"),
        ("กล่องใส่อาหาร polycarbonate ใส", "655 เล่ม 2-2554"),
        ("กล่องใส่อาหาร เข้าไมโครเวฟ ใช้แล้วทิ้ง 50 ใบ", "2493 เล่ม 2-2556"),
        ("กล่องไมโครเวฟ แพ็ค 100 ใบ", "2493 เล่ม 2-2556"),
        ("กล่องไมโครเวฟ มีฝาล็อค 1 ใบ", "2493 เล่ม 1-2554"),
        ("สีย้อมผ้า ไดเร็กต์ ย้อมร้อน", "739-2563"),
        ("ทินเนอร์ ผสมสีพ่นรถ แห้งเร็ว", "520-2553"),
        ("ถังแก๊ส 15 กก. ติดรถยนต์", "370-2552"),
        ("ถังแก๊ส 15 กก. ปิคนิค", "27-2543"),
        ("หม้อทอดไฟฟ้า 4 ลิตร", "60335 เล่ม 2(13)-2564"),
        ("หม้อทอดไฟฟ้า 2 อ่าง 20 ลิตร", "60335 เล่ม 2(37)-2564"),
        ("ถังดับเพลิง ผงเคมีแห้ง 15 ปอนด์", "332-2537"),
        ("ถังดับเพลิง โฟม 9 ลิตร", "882-2532"),
        ("เครื่องยนต์ดีเซล 10 แรง สูบนอน", "787-2551"),
        ("ปูนซีเมนต์ 50 กก.", "15-2562"),
        ("ปูนซีเมนต์ ชนิดไฮดรอลิก 50 กก.", "2594-2567"),
        ("เครื่องเล่นสนาม ชิงช้า 3 ที่นั่ง", "3000 เล่ม 1-2562"),
        ("เครื่องเล่นสนาม ม้าหมุน", "3000 เล่ม 3-2563"),
        ("เครื่องเล่นสนาม กระดานหก 2 ที่นั่ง", "3000 เล่ม 4-2563"),
        # The steel itself, even when its use or a sales word is named ("ขายส่ง" holds ขา, a leg).
        ("ขายส่ง เหล็กกล่อง 1x1 นิ้ว หนา 1.2", "1228-2561"),
        ("เหล็กกล่อง 2x4 นิ้ว สำหรับทำโครงหลังคา", "1228-2561"),
        ("เมทัลชีท 0.35 มม. ทำหลังคาโรงจอดรถ", "2228-2565"),
    ],
)
def test_product_facts_choose_between_sibling_standards(
    matcher: Matcher, title: str, tis_number: str
) -> None:
    found = matcher.analyse(listing(title)).classification
    assert found.tis_number == tis_number, (title, found)


def test_a_fact_in_the_spec_table_decides_too(matcher: Matcher) -> None:
    found = matcher.analyse(listing("ปลั๊กสามตา มีสวิตช์", attributes={"ความยาวสาย": "5 เมตร"})).classification
    assert (found.tis_number, found.fact) == ("2432-2555", "5 เมตร")


def test_a_fact_only_in_the_description_does_not_move_the_standard(matcher: Matcher) -> None:
    # Descriptions name other products ("ใช้กับปลั๊กพ่วง 5 เมตร"); only the title and spec table count.
    found = matcher.analyse(listing("เต้ารับคู่ มีกราวด์", description="ติดตั้งสูงจากพื้น 1.2 เมตร")).classification
    assert found.tis_number == "166-2549"


@pytest.mark.parametrize(
    "title",
    [
        # Facts that take a product out of the standard's scope.
        "หลอดไฟ LED 12V ขั้ว E27 สำหรับแบตเตอรี่",
        "หลอดไฟ LED H4 รถยนต์ 6000K",
        "พัดลมตั้งโต๊ะ 12V ใส่ถ่าน",
        "เครื่องยนต์ดีเซล 186F ระบายความร้อนด้วยอากาศ",
        "ผงซักฟอก ชนิดน้ำ 3000 มล.",
        "ท่อ PVC สีเหลือง ร้อยสายไฟ 1/2 นิ้ว",
        "สีย้อมผ้า ธรรมชาติ จากเปลือกไม้",
        "สีน้ำมัน ชุดวาดภาพ 12 สี x 12 ml",
        "ทินเนอร์ 2K สำหรับสีรถยนต์",
        "ถุงมือยาง แม่บ้าน ยาว 12 นิ้ว",
        "ถุงมือยาง ไวนิล ใช้แล้วทิ้ง 100 ชิ้น",
        "หม้อสแตนเลส ไฟฟ้า 2 ลิตร",
        "ถังดับเพลิง CO2 10 ปอนด์",
        "ชักโครก พลาสติก สำหรับเด็ก",
        "บัลลาสต์ ซีนอน HID 35W 12V",
        "คอมแอร์ รถยนต์ Toyota Vigo",
        "กระจกแผ่น เงา ติดผนัง 60x90",
        "สายไฟเบอร์ออฟติก patch cord SC/APC 3 เมตร",
        # Look-alikes of the new words: accessories, tools, services, screen protectors, mirrors, toys.
        "ฟิล์มกระจก tempered glass iPhone 15",
        "กระจกเงา ติดผนัง ห้องน้ำ",
        "ล้อแม็ก ขอบ 15 พร้อมยาง 195/55R15",
        "จุ๊บลม ยางรถยนต์ 4 ตัว",
        "ฝาชักโครก ทรงรี",
        "กรรไกรตัดเหล็กเส้น 14 นิ้ว",
        "จุกปิดเหล็กกล่อง 1 นิ้ว 100 ตัว",
        "ข้อต่อท่อ PVC 1/2 นิ้ว",
        "ปูนกาว ปูกระเบื้อง 20 กก.",
        "สีย้อมผม สีน้ำตาล",
        "น้ำสับปะรด 100% 1 ลิตร",
        "เครื่องผลิตออกซิเจน 5 ลิตร ทางการแพทย์",
        "ถุงมือผ้า ทำสวน 12 คู่",
        "มอเตอร์ไซค์ไฟฟ้า 2000W",
        "ประกันภัยรถจักรยานยนต์ ชั้น 1",
        "ป้ายถังดับเพลิง สะท้อนแสง",
        "ไวร์เมช 4 มม. 2x5 เมตร",
        "ซีเมนต์บอร์ด 8 มม.",
        # Thai words hidden inside other words once tone marks are folded (ทอผ้า holds ท่อผ่า).
        "กี่ทอผ้า ไม้สัก ขนาดเล็ก",
        "ราคาส่ง ราคาแรง กล่องพัสดุ 100 ใบ",
        "หมวกกันน็อค จักรยาน ผู้ใหญ่ น้ำหนักเบา",
        "เข็มขัดนิรภัย เต็มตัว กันตก ทำงานบนที่สูง",
        "แอร์รถยนต์ 12V ติดหลังคา",
        "ท่อไอเสีย รถยนต์ สแตนเลส 2.5 นิ้ว",
        # Built of steel, not the steel: an object named before the steel word.
        "โต๊ะพับ ขาเหล็กกล่อง 120 ซม.",
        "ราวตากผ้า เหล็กกล่อง 2 ชั้น",
        "ประตูรั้วเหล็กกล่อง บานเลื่อน",
        "โรงจอดรถ หลังคาเมทัลชีท สำเร็จรูป",
        "ตู้เหล็กเก็บเอกสาร เหล็กแผ่นหนา 0.6 มม.",
        "ไม้บรรทัดเหล็กฉาก 12 นิ้ว สแตนเลส",
        "ท่อไอเสีย Vigo Revo สแตนเลส ทั้งชุด",
        "ถุงมือยาง กันไฟฟ้า แรงสูง 1000V",
    ],
)
def test_out_of_scope_products_and_lookalikes_are_not_regulated(matcher: Matcher, title: str) -> None:
    found = matcher.analyse(listing(title)).classification
    assert found.tis_number is None, (title, found)


# Tyre sizes: car widths end in 5 (185/60R15), motorcycle widths in 0 (120/70-17).
car_size = st.builds(
    "{}5/{}{} R{}".format,
    st.integers(13, 33),
    st.integers(3, 8),
    st.sampled_from("05"),
    st.integers(12, 22),
)
motorcycle_size = st.builds(
    "{}0/{}0-{}".format, st.integers(6, 19), st.integers(5, 9), st.sampled_from([10, 12, 14, 16, 17, 18, 21])
)


@given(size=car_size, brand=st.sampled_from(["Michelin", "ยี่ห้อ Dunlop", "Maxxis", ""]))
def test_any_car_tyre_size_is_a_car_tyre(size: str, brand: str) -> None:
    found = _MATCHER.analyse(listing(f"{brand} {size} 91V ปี 25".strip())).classification
    assert found.tis_number == "2718-2560", size


@given(size=motorcycle_size)
def test_any_motorcycle_tyre_size_is_a_motorcycle_tyre(size: str) -> None:
    found = _MATCHER.analyse(listing(f"IRC {size} TL")).classification
    assert found.tis_number == "2720-2560", size


_MATCHER = Matcher([])


def test_not_sold_online_rows_are_a_kind_of_their_own() -> None:
    rows = [t for t in load_vocabulary().terms if t.kind == NOT_SOLD_ONLINE]
    assert rows and all(not t.text and t.note for t in rows)
