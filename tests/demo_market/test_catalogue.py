"""The demo catalogue: size, coverage of standards and verdicts, Thai seller text, determinism, and its
consistency with the shipped sample registry (`standards_data/sample_registry.csv`)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from crawler.demo_market import DEFAULT_SIZE, CatalogueEntry, build_catalogue
from crawler.demo_market.families import FAMILIES, UNREGULATED
from crawler.demo_market.sample_registry import SAMPLE_REGISTRY_CSV, sample_licences
from matchers.verdict import VERDICTS
from standards_data.catalogue import mandatory_standards
from standards_data.registry import CANONICAL_COLUMNS, Licence, read_registry_csv

THAI_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Brands' Thai forms as the catalogue's sellers may write them (`โตชิบา` for Toshiba).
THAI_BRAND_FORMS = {
    brand.name: brand.thai
    for brands in [
        *(spec.brand for f in FAMILIES for spec in f.licences),
        *(b for f in FAMILIES for b in f.unlicensed_brands),
        *(b for p in UNREGULATED for b in p.brands),
    ]
    for brand in [brands]
}
LICENCE_NO = re.compile(r"^(\(\d+\))?(ท|น|ส|นค)\d+-\d+/\d+$")


@pytest.fixture(scope="module")
def catalogue():
    return build_catalogue()


@pytest.fixture(scope="module")
def registry() -> dict[str, Licence]:
    return {licence.licence_no: licence for licence in read_registry_csv(SAMPLE_REGISTRY_CSV)}


def latin_brand(licence: Licence) -> str:
    return licence.brand.split(" (")[0].casefold()


def thai_brand(licence: Licence) -> str:
    match = re.search(r"\((.+)\)$", licence.brand)
    return match.group(1) if match else ""


def squash(text: str) -> str:
    """Letters and digits only, case-folded, Thai digits as Arabic: `รุ่น P-404` ~ `p 404` ~ `P404`."""
    return re.sub(r"[^0-9a-z]", "", text.translate(THAI_TO_ARABIC).casefold())


def covers(licence: Licence, entry: CatalogueEntry) -> bool:
    return (
        licence.is_active
        and licence.tis_number == entry.tis_number
        and latin_brand(licence) == entry.brand.casefold()
        and (not licence.models or entry.model in licence.models)
    )


# --- size and coverage ------------------------------------------------------------------------------


def test_default_catalogue_has_300_listings_13_standards_and_every_verdict(catalogue):
    assert len(catalogue) == DEFAULT_SIZE >= 300
    assert len(catalogue.standards()) >= 10
    assert catalogue.standards() <= set(mandatory_standards())
    counts = catalogue.verdict_counts()
    assert set(counts) == set(VERDICTS)
    assert min(counts.values()) >= 30, counts


def test_every_standard_has_every_regulated_verdict(catalogue):
    seen = {(entry.tis_number, entry.verdict) for entry in catalogue if entry.tis_number}
    for standard in catalogue.standards():
        for verdict in ("certified", "uncertified", "invalid_licence", "unverifiable"):
            assert (standard, verdict) in seen, (standard, verdict)


def test_the_brief_s_standards_are_all_there(catalogue):
    wanted = {
        "2432-2555",
        "166-2549",
        "2879-2560",
        "369-2557",
        "685 เล่ม 1-2562",
        "60335 เล่ม 2(23)-2564",
        "27-2543",
        "2780-2562",
        "934-2558",
        "1039-2547",
        "366-2547",
        "879-2553",
    }
    assert wanted <= catalogue.standards()


def test_unregulated_goods_include_near_misses(catalogue):
    near = [entry.title for entry in catalogue if entry.case == "not_regulated.near_miss"]
    assert any("ปลั๊กพ่วง" in title or "รางปลั๊กไฟ" in title for title in near)  # a power-strip cover
    assert any("ขวดนม" in title for title in near)
    assert any("สายชาร์จ" in title for title in near)
    assert any("หมวกกันน็อค" in title for title in near)  # a helmet sticker or bag
    assert all(
        entry.tis_number is None and entry.licence_no is None
        for entry in catalogue
        if entry.verdict == "not_regulated"
    )


def test_listings_are_spread_over_platforms(catalogue):
    platforms = Counter(platform for entry in catalogue for platform in entry.platforms)
    assert min(platforms.values()) > 20, platforms
    assert sum(1 for entry in catalogue if {"shopee", "lazada"} <= entry.platforms) > 50
    # a listing whose verdict needs the product page is never on Shopee's search API alone
    assert all("shopee" not in entry.platforms for entry in catalogue if entry.needs_product_page)


def test_platform_ids_are_unique(catalogue):
    for platform in ("shopee", "lazada", "shop"):
        ids = [entry.listing_id(platform) for entry in catalogue.on(platform)]
        assert len(ids) == len(set(ids)), platform
    assert len({entry.lazada_sku_id for entry in catalogue}) == len(catalogue)


# --- Thai seller text ---------------------------------------------------------------------------------


def test_titles_carry_the_thai_text_traps(catalogue):
    titles = [entry.title for entry in catalogue]
    # nearly all in Thai (a few sellers write all-English titles: `KINGPOW Power Bank 5000mAh`)
    assert sum(bool(re.search(r"[\u0e00-\u0e7f]", title)) for title in titles) > 0.95 * len(titles)
    assert any(re.search(r"[๐-๙]{3}", title) for title in titles), "Thai digits"
    assert any(re.search(r"TIS \d+-20\d\d", title) for title in titles), "AD years"
    assert any(re.search(r"มอก\.\s?\d ?ช่อง", title) for title in titles), "มอก.5 ช่อง"
    assert any(re.search(r"มอก\.?\s?\d+ เล่ม \d+", title) for title in titles), "parts"
    assert any(re.search(r"[A-Za-z][\u0e00-\u0e7f]", title) for title in titles), "brand glued to Thai"
    assert any("โตชิบา" in title or "ฮาตาริ" in title or "ฟิลิปส์" in title for title in titles), (
        "Thai brand forms"
    )
    assert any(re.search(r"[\U0001F300-\U0001FAFF]", title) for title in titles), "emoji"
    spellings = {m.group(1) for title in titles if (m := re.search(r"หมวกกันน(็อค|็อก|๊อค)", title))}
    assert len(spellings) >= 2, spellings


def test_model_codes_are_written_in_several_ways(catalogue):
    written: dict[str, set[str]] = {}
    for entry in catalogue:
        if entry.model and "-" in entry.model:
            for form in {
                entry.model,
                entry.model.replace("-", ""),
                entry.model.replace("-", " ").lower(),
                entry.model.replace("-", "").lower(),
            }:
                if form in entry.title:
                    written.setdefault(entry.model, set()).add(form)
    assert any(len(forms) >= 2 for forms in written.values()), written


def test_seller_text_shows_the_facts_the_verdict_rests_on(catalogue, registry):
    for entry in catalogue:
        title = squash(entry.title)
        if entry.brand:
            forms = {entry.brand.casefold(), THAI_BRAND_FORMS.get(entry.brand, "")} - {""}
            assert any(form in entry.title.casefold() for form in forms), (entry.brand, entry.title)
        if entry.model:
            if entry.needs_product_page:
                assert squash(entry.model) not in title
                assert entry.attributes["รุ่น"] == entry.model
            else:
                assert squash(entry.model) in title, (entry.model, entry.title)
        if entry.cited_licence_no:
            assert squash(entry.cited_licence_no) in title, (entry.cited_licence_no, entry.title)
        if entry.claimed_standard:
            base = entry.claimed_standard.split(" ")[0].split("-")[0]
            assert base in entry.title.translate(THAI_TO_ARABIC), (entry.claimed_standard, entry.title)


def test_descriptions_sometimes_contain_a_closing_brace_and_semicolon(catalogue):
    assert sum("};" in entry.description for entry in catalogue) >= 20


# --- consistency with the sample registry ------------------------------------------------------------


def test_shipped_sample_registry_is_what_the_generator_builds():
    shipped = read_registry_csv(SAMPLE_REGISTRY_CSV)
    assert shipped == sample_licences(), "regenerate: python -m crawler.demo_market.sample_registry"


def test_sample_registry_looks_like_tisi_data(registry):
    with open(SAMPLE_REGISTRY_CSV, encoding="utf-8") as handle:
        assert handle.readline().strip() == ",".join(CANONICAL_COLUMNS)
    licences = list(registry.values())
    assert len(licences) >= 150
    assert all(LICENCE_NO.match(lic.licence_no) for lic in licences), [
        lic.licence_no for lic in licences if not LICENCE_NO.match(lic.licence_no)
    ]
    assert all(lic.tis_number in mandatory_standards() for lic in licences)
    assert all(lic.licensee.startswith(("บริษัท ", "ห้างหุ้นส่วนจำกัด ")) for lic in licences)
    assert {lic.status for lic in licences} == {"active", "suspended", "revoked"}
    assert {lic.licence_type for lic in licences} >= {"make", "import"}
    assert sum(bool(thai_brand(lic)) for lic in licences) > len(licences) / 2
    assert any(lic.licence_no.startswith("(") for lic in licences)
    # the base number after the slash is the standard's
    for lic in licences:
        assert lic.licence_no.rsplit("/", 1)[1] == lic.tis_number.split(" ")[0].split("-")[0], lic


def test_certified_listings_are_covered_by_an_active_licence_of_their_standard(catalogue, registry):
    certified = [entry for entry in catalogue if entry.verdict == "certified"]
    assert certified
    for entry in certified:
        licence = registry[entry.licence_no]
        assert covers(licence, entry), (entry.case, entry.title, licence)


def test_uncertified_listings_are_covered_by_no_active_licence(catalogue, registry):
    uncertified = [entry for entry in catalogue if entry.verdict == "uncertified"]
    assert uncertified
    for entry in uncertified:
        assert entry.brand, entry.title  # there is something to check, and it fails
        assert not any(covers(licence, entry) for licence in registry.values()), entry.title
        assert not entry.cited_licence_no and entry.licence_no is None
        assert entry.claimed_standard in ("", entry.tis_number)


def test_invalid_licence_listings_cite_a_bad_licence_or_claim_another_standard(catalogue, registry):
    invalid = [entry for entry in catalogue if entry.verdict == "invalid_licence"]
    reasons = Counter()
    for entry in invalid:
        cited = registry.get(entry.cited_licence_no) if entry.cited_licence_no else None
        if entry.cited_licence_no and cited is None:
            reasons["unknown"] += 1
            assert entry.licence_no is None
        elif cited is not None and not cited.is_active:
            reasons[cited.status] += 1
        elif cited is not None and cited.tis_number != entry.tis_number:
            reasons["other_standard"] += 1
        elif cited is not None and latin_brand(cited) != entry.brand.casefold():
            reasons["other_brand"] += 1
            assert entry.brand_field == entry.brand  # the seller's own brand is on show
        elif entry.claimed_standard and entry.claimed_standard != entry.tis_number:
            reasons["wrong_standard"] += 1
            assert entry.claimed_standard in mandatory_standards()
        else:
            pytest.fail(f"invalid_licence listing with nothing invalid: {entry.title}")
    assert set(reasons) == {
        "unknown",
        "revoked",
        "suspended",
        "other_standard",
        "other_brand",
        "wrong_standard",
    }


def test_unverifiable_listings_show_nothing_to_check(catalogue):
    unverifiable = [entry for entry in catalogue if entry.verdict == "unverifiable"]
    assert unverifiable
    for entry in unverifiable:
        assert not (entry.brand or entry.model or entry.cited_licence_no or entry.brand_field), entry.title
        assert entry.attributes["ยี่ห้อ"] in ("No Brand", "OEM", "ไม่มียี่ห้อ")
        assert "รุ่น" not in entry.attributes
        assert entry.claimed_standard in ("", entry.tis_number)


def test_truth_records_have_the_dev_set_shape(catalogue):
    entry = next(e for e in catalogue if e.verdict == "certified" and "lazada" in e.platforms)
    record = entry.truth("lazada")
    assert record == {
        "listing_id": str(entry.lazada_item_id),
        "platform": "lazada",
        "verdict": "certified",
        "flagged": False,
        "tis_number": [entry.tis_number],
        "licence_no": entry.licence_no,
        "case": entry.case,
    }
    listing = entry.to_listing("shopee", "http://127.0.0.1:1")
    assert listing["listing_id"] == f"{entry.seller.shop_id}.{entry.shopee_item_id}"
    assert listing["description"] == "" and listing["attributes"] == {}


# --- determinism and scale ---------------------------------------------------------------------------


def test_same_seed_same_catalogue_other_seed_other_catalogue():
    first, again, other = build_catalogue(350, 7), build_catalogue(350, 7), build_catalogue(350, 8)
    assert [(e.title, e.lazada_item_id, e.verdict, e.price) for e in first] == [
        (e.title, e.lazada_item_id, e.verdict, e.price) for e in again
    ]
    assert [e.title for e in first] != [e.title for e in other]


def test_a_bigger_catalogue_starts_with_the_smaller_one():
    small, big = build_catalogue(300, 11), build_catalogue(1200, 11)
    assert [e.title for e in small] == [e.title for e in big[:300]]


def test_ten_thousand_listings_generate(registry):
    big = build_catalogue(10_000, 99)
    assert len(big) == 10_000
    assert len({e.lazada_item_id for e in big}) == 10_000
    assert len({(e.seller.shop_id, e.shopee_item_id) for e in big}) == 10_000
    shares = {verdict: count / 10_000 for verdict, count in big.verdict_counts().items()}
    assert all(0.08 < share < 0.40 for share in shares.values()), shares
    for entry in big[::97]:
        if entry.verdict == "certified":
            assert covers(registry[entry.licence_no], entry)


def test_negative_size_is_refused():
    with pytest.raises(ValueError, match="size"):
        build_catalogue(-1)


def test_search_finds_by_title_and_by_family_and_shows_accessories_after_products(catalogue):
    results = catalogue.search("ถังแก๊ส", "lazada") + catalogue.search("ถังแก๊ส", "shopee")
    assert any(entry.family == "lpg_cylinder" for entry in results)
    # a regulator or trolley shows up under the cylinder search even when its title lacks the word
    assert any(entry.case == "not_regulated.near_miss" and "ถังแก๊ส" not in entry.title for entry in results)
    ranked = catalogue.search("ถังแก๊ส", "lazada")
    in_title = [("ถังแก๊ส" in entry.title) for entry in ranked]
    assert in_title == sorted(in_title, reverse=True)  # title matches first
    assert catalogue.search("  ", "lazada") == []
    assert catalogue.search("ไม่มีสินค้านี้แน่นอน", "shopee") == []
