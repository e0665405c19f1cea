"""The sample registry that ships with the demo marketplace: `standards_data/sample_registry.csv`.

It holds the licences the catalogue's listings are built around (`families.py`: active, suspended and
revoked, plus confusable decoys) and registry noise: invented licences of other mandatory standards,
and of the demo standards for brands no listing uses. The noise is drawn from a fixed seed, so the CSV
never changes unless this module or `families.py` does. Regenerate it with

    python -m crawler.demo_market.sample_registry

(a test checks the shipped file equals what this module builds).
"""

from __future__ import annotations

import sys
from pathlib import Path
from random import Random

from crawler.demo_market.families import FAMILIES, FOREIGN_LICENCES, UNREGULATED, LicenceSpec
from standards_data import DATA_DIR
from standards_data.catalogue import mandatory_standards
from standards_data.registry import Licence, write_registry_csv

SAMPLE_REGISTRY_CSV = DATA_DIR / "sample_registry.csv"
NOISE_SEED = 2432

_SYLLABLES_A = (
    ("Siam", "สยาม"),
    ("Sun", "ซัน"),
    ("Royal", "รอยัล"),
    ("Lotus", "โลตัส"),
    ("Tiger", "ไทเกอร์"),
    ("Eco", "อีโค"),
    ("Neo", "นีโอ"),
    ("Super", "ซุปเปอร์"),
    ("Gold", "โกลด์"),
    ("Ocean", "โอเชียน"),
    ("Chai", "ชัย"),
    ("Krung", "กรุง"),
    ("Rung", "รุ่ง"),
    ("Nakorn", "นคร"),
    ("Pacific", "แปซิฟิก"),
    ("Asia", "เอเชีย"),
)
_SYLLABLES_B = (
    ("tech", "เทค"),
    ("pro", "โปร"),
    ("line", "ไลน์"),
    ("home", "โฮม"),
    ("ware", "แวร์"),
    ("corp", "คอร์ป"),
    ("tron", "ทรอน"),
    ("mate", "เมท"),
    ("city", "ซิตี้"),
    ("one", "วัน"),
    ("ville", "วิลล์"),
    ("wind", "วินด์"),
)
_LICENSEE_FORMS = (
    "บริษัท {th} อินดัสทรี จำกัด",
    "บริษัท {th} (ประเทศไทย) จำกัด",
    "บริษัท {th} เทรดดิ้ง จำกัด",
    "บริษัท {th} กรุ๊ป จำกัด (มหาชน)",
    "ห้างหุ้นส่วนจำกัด {th}",
    "บริษัท {th} อินเตอร์เนชั่นแนล จำกัด",
)
_TYPES = (
    ("ท", "make"),
    ("ท", "make"),
    ("น", "import"),
    ("น", "import"),
    ("ส", "display"),
    ("นค", "one_off_import"),
)


def _to_licence(spec: LicenceSpec, tis_number: str) -> Licence:
    return Licence(
        licence_no=spec.licence_no,
        licence_type=spec.licence_type,
        tis_number=spec.tis_number or tis_number,
        licensee=spec.licensee,
        brand=spec.brand.registry_form,
        models=spec.models,
        issued=spec.issued,
        status=spec.status,
    )


def demo_licences() -> list[Licence]:
    """The licences the catalogue is built around (certified, revoked, suspended, cited, decoys)."""
    licences = [_to_licence(spec, family.tis_number) for family in FAMILIES for spec in family.licences]
    licences += [_to_licence(spec, spec.tis_number) for spec in FOREIGN_LICENCES]
    return licences


def _catalogue_brand_names() -> set[str]:
    names = {spec.brand.name.casefold() for family in FAMILIES for spec in family.licences}
    names |= {brand.name.casefold() for family in FAMILIES for brand in family.unlicensed_brands}
    names |= {brand.name.casefold() for product in UNREGULATED for brand in product.brands}
    names |= {spec.brand.name.casefold() for spec in FOREIGN_LICENCES}
    return names


def _base_number(tis_number: str) -> str:
    return tis_number.split(" ")[0].split("-")[0]


def noise_licences(taken_numbers: set[str]) -> list[Licence]:
    """Invented licences no listing relates to: the background of a real registry."""
    rng = Random(NOISE_SEED)
    avoid = _catalogue_brand_names()
    standards = sorted(mandatory_standards())
    demo_standards = {family.tis_number for family in FAMILIES}
    licences: list[Licence] = []
    for tis_number in standards:
        in_demo = tis_number in demo_standards
        if not in_demo and rng.random() < 0.45:
            continue
        for _ in range(rng.randint(1, 3) if not in_demo else 2):
            (a_en, a_th), (b_en, b_th) = rng.choice(_SYLLABLES_A), rng.choice(_SYLLABLES_B)
            brand_en = f"{a_en}{b_en}"
            if brand_en.casefold() in avoid:
                continue
            letter, licence_type = rng.choice(_TYPES)
            year = rng.randint(2545, 2567)
            while True:
                prefix = f"({rng.randint(2, 4)})" if rng.random() < 0.12 else ""
                number = f"{prefix}{letter}{rng.randint(100, 9999)}-{year % 100}/{_base_number(tis_number)}"
                if number not in taken_numbers:
                    break
            taken_numbers.add(number)
            initials = (a_en[0] + b_en[0]).upper()
            models = tuple(f"{initials}-{rng.randint(100, 9999)}" for _ in range(rng.choice((0, 1, 2, 3))))
            licences.append(
                Licence(
                    licence_no=number,
                    licence_type=licence_type,
                    tis_number=tis_number,
                    licensee=rng.choice(_LICENSEE_FORMS).format(th=f"{a_th}{b_th}"),
                    brand=f"{brand_en} ({a_th}{b_th})" if rng.random() < 0.6 else brand_en,
                    models=models,
                    issued=f"{year - 543}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    status=rng.choices(("active", "suspended", "revoked"), weights=(90, 4, 6))[0],
                )
            )
    return licences


def sample_licences() -> list[Licence]:
    """Everything in `standards_data/sample_registry.csv`, in file order."""
    demo = demo_licences()
    return demo + noise_licences({licence.licence_no for licence in demo})


def write_sample_registry(path: str | Path = SAMPLE_REGISTRY_CSV) -> int:
    licences = sample_licences()
    write_registry_csv(licences, path)
    return len(licences)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE_REGISTRY_CSV
    count = write_sample_registry(target)
    print(f"wrote {count} licences to {target}")
