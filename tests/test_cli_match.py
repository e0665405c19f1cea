"""`tiswatch match`: every verdict through the command, bad lines reported by line number."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tiswatch.cli import main

REGISTRY = Path(__file__).parent / "matcher_tests" / "data" / "registry.csv"

# One listing per verdict (and the traps that decide it), with the verdict each must get.
LISTINGS = [
    (
        {"listing_id": "c1", "title": "ปลั๊กพ่วง โตชิบา รุ่น P-404 มอก.๒๔๓๒-๒๕๕๕", "brand": "No Brand"},
        "certified",
        "2432-2555",
        "น1234-10/2432",
    ),
    (
        {
            "listing_id": "c2",
            "title": "ปลั๊กไฟ 3 ช่อง",
            "brand": "CSC",
            "attributes": {"เลขที่ใบอนุญาต มอก.": "ท4080-51/2432"},
        },
        "certified",
        "2432-2555",
        "ท4080-51/2432",
    ),
    (
        {"listing_id": "i1", "title": "พาวเวอร์แบงค์ Kanto KT-200 ใบอนุญาต น888-4/2879"},
        "invalid_licence",
        "2879-2560",
        "น888-4/2879",
    ),
    (
        {"listing_id": "i2", "title": "หม้อหุงข้าว ZUNO 1.8 ลิตร TIS 2432-2012"},
        "invalid_licence",
        "1039-2547",
        None,
    ),
    (
        {"listing_id": "u1", "title": "หมวกกันน๊อก ZUNO เต็มใบ มอก.369-2557", "brand": "ZUNO"},
        "uncertified",
        "369-2557",
        None,
    ),
    ({"listing_id": "v1", "title": "รางปลั๊กไฟ มอก.5 ช่อง 1สวิตซ์ ยาว 3 เมตร"}, "unverifiable", "2432-2555", None),
    (
        {"listing_id": "n1", "title": "ขวดนม คอกว้าง 8oz BPA free", "brand": "Toshiba"},
        "not_regulated",
        None,
        None,
    ),
]


def _write_listings(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_each_verdict_through_tiswatch_match(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listings = tmp_path / "listings.jsonl"
    _write_listings(listings, [json.dumps(item, ensure_ascii=False) for item, *_ in LISTINGS])
    out = tmp_path / "out" / "verdicts.jsonl"

    code = main(["match", "--registry", str(REGISTRY), "--listings", str(listings), "--out", str(out)])

    assert code == 0
    verdicts = _read(out)
    assert [v["listing_id"] for v in verdicts] == [item["listing_id"] for item, *_ in LISTINGS]
    for verdict, (_, expected, tis_number, licence_no) in zip(verdicts, LISTINGS, strict=True):
        assert verdict["verdict"] == expected, verdict
        assert verdict["flagged"] is (expected in {"invalid_licence", "uncertified", "unverifiable"})
        assert verdict["tis_number"] == tis_number
        assert verdict["licence_no"] == licence_no
        assert verdict["reasons"], verdict
    assert "judged 7 listings against 19 licences: 4 flagged" in capsys.readouterr().err


def test_bad_lines_are_reported_with_line_numbers_and_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listings = tmp_path / "listings.jsonl"
    _write_listings(
        listings,
        [
            json.dumps({"listing_id": "a", "title": "พัดลม Hatari HA-16 16 นิ้ว"}, ensure_ascii=False),
            '{"listing_id": "b", "title": "broken',  # line 2: not JSON
            json.dumps({"title": "ไม่มีรหัส"}, ensure_ascii=False),  # line 3: no listing_id
            json.dumps({"listing_id": "d", "title": ""}),  # line 4: empty title
            "[1, 2]",  # line 5: not an object
            "",
            json.dumps({"listing_id": "g", "title": "ไฟแช็ก ZUNO"}, ensure_ascii=False),
        ],
    )
    out = tmp_path / "verdicts.jsonl"

    code = main(["match", "--registry", str(REGISTRY), "--listings", str(listings), "--out", str(out)])

    err = capsys.readouterr().err
    assert code == 0
    assert [v["listing_id"] for v in _read(out)] == ["a", "g"]
    assert f"{listings}:2: not valid JSON" in err
    assert f"{listings}:3: missing listing_id" in err
    assert f"{listings}:4: missing title" in err
    assert f"{listings}:5: not a JSON object" in err
    assert "4 bad line(s) skipped" in err


def test_unreadable_inputs_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listings = tmp_path / "listings.jsonl"
    _write_listings(listings, [json.dumps({"listing_id": "a", "title": "พัดลม"})])
    out = tmp_path / "v.jsonl"
    assert (
        main(
            [
                "match",
                "--registry",
                str(tmp_path / "missing.csv"),
                "--listings",
                str(listings),
                "--out",
                str(out),
            ]
        )
        == 1
    )
    not_registry = tmp_path / "other.csv"
    not_registry.write_text("a,b\n1,2\n", encoding="utf-8")
    assert (
        main(["match", "--registry", str(not_registry), "--listings", str(listings), "--out", str(out)]) == 1
    )
    err = capsys.readouterr().err
    assert f"tiswatch match: registry file not found: {tmp_path / 'missing.csv'} (--registry)" in err
    # Validated as `tiswatch registry import` validates it: the header names the expected columns.
    assert "header not recognised: expected the canonical columns (licence_no" in err
    assert f"rejected the registry file {not_registry} (--registry); nothing was judged" in err
    assert (
        main(
            [
                "match",
                "--registry",
                str(REGISTRY),
                "--listings",
                str(tmp_path / "none.jsonl"),
                "--out",
                str(out),
            ]
        )
        == 1
    )


def test_registry_rows_with_errors_are_named_and_left_out_the_rest_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Matching writes nothing, so one bad row must not cost the other licences (an import, by
    contrast, rejects the whole file): the bad rows are named by row number and left out."""
    rows = REGISTRY.read_text(encoding="utf-8").splitlines()
    header, good = rows[0], rows[1:]
    columns = header.split(",")
    no_number = good[0].split(",")
    no_number[columns.index("licence_no")] = ""
    registry = tmp_path / "registry.csv"
    # row 2: no licence number; row 3 onwards: the real rows; the last row: a duplicate of row 3.
    registry.write_text("\n".join([header, ",".join(no_number), *good, good[0]]) + "\n", encoding="utf-8")
    listings = tmp_path / "listings.jsonl"
    _write_listings(listings, [json.dumps(item, ensure_ascii=False) for item, *_ in LISTINGS])
    out = tmp_path / "verdicts.jsonl"

    code = main(["match", "--registry", str(registry), "--listings", str(listings), "--out", str(out)])

    err = capsys.readouterr().err
    assert code == 0, err
    assert f"{registry}: error: row 2, column licence_no" in err
    assert f"{registry}: error: row {len(good) + 3}, column licence_no: duplicate licence" in err
    assert f"judging against the {len(good)} good licence(s)" in err
    assert [(v["verdict"], v["licence_no"]) for v in _read(out)] == [
        (expected, licence_no) for _, expected, _, licence_no in LISTINGS
    ]


@pytest.mark.slow
def test_tiswatch_match_in_a_subprocess(tmp_path: Path) -> None:
    listings = tmp_path / "listings.jsonl"
    _write_listings(listings, [json.dumps(item, ensure_ascii=False) for item, *_ in LISTINGS[:3]])
    out = tmp_path / "verdicts.jsonl"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tiswatch.cli",
            "match",
            "--registry",
            str(REGISTRY),
            "--listings",
            str(listings),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [v["verdict"] for v in _read(out)] == ["certified", "certified", "invalid_licence"]


def test_index_cache_gives_the_same_verdicts_one_file_per_registry_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listings = tmp_path / "listings.jsonl"
    _write_listings(listings, [json.dumps(item, ensure_ascii=False) for item, *_ in LISTINGS])
    cache = tmp_path / "index-cache"

    def run(registry: Path, name: str) -> list[dict]:
        out = tmp_path / f"{name}.jsonl"
        args = ["match", "--registry", str(registry), "--listings", str(listings), "--out", str(out)]
        assert main([*args, "--index-cache", str(cache)]) == 0
        return _read(out)

    fresh = run(REGISTRY, "fresh")
    (stored,) = cache.glob("registry-index-*.pickle")
    assert run(REGISTRY, "cached") == fresh  # loaded from the file, not rebuilt
    assert [p.name for p in cache.glob("registry-index-*.pickle")] == [stored.name]

    stored.write_bytes(b"not a pickle")  # a damaged file is rebuilt, not trusted
    assert run(REGISTRY, "rebuilt") == fresh

    # Another registry version (one licence revoked) is another file, with its own verdicts.
    changed = tmp_path / "registry-v2.csv"
    text = REGISTRY.read_text(encoding="utf-8")
    changed.write_text(text.replace("2019-03-02,active", "2019-03-02,revoked"), encoding="utf-8")
    second = run(changed, "changed")
    assert len(list(cache.glob("registry-index-*.pickle"))) == 2
    assert second != fresh
