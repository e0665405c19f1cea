"""Every label the desk's templates ask for exists in Thai and English; the switch changes the language."""

from __future__ import annotations

import re

from matchers.verdict import PRIORITY
from pipelines.store.models import DECISIONS
from tests.desk_tests.conftest import ClientFactory
from tiswatch.web.desk import PACKAGE_DIR, load_labels
from tiswatch.web.queue import DECISION_STATES


def test_every_label_used_has_thai_and_english() -> None:
    labels = load_labels()
    assert all(entry.get("th") and entry.get("en") for entry in labels.values())
    used = set()
    for template in (PACKAGE_DIR / "templates").glob("*.html"):
        used |= set(re.findall(r"""\bt\(["']([^"']+)["']\)""", template.read_text(encoding="utf-8")))
    # Keys built from values: verdicts, decisions and marks.
    used |= {f"v_{verdict}" for verdict in PRIORITY} | {
        f"d_{state}" for state in (*DECISION_STATES, *DECISIONS, "")
    }
    used |= {"m_new", "m_still flagged", "m_relisted", "m_gone", "investigator", "officer", "admin"}
    assert sorted(used - set(labels)) == []


def test_language_switch(sqlite_client_for: ClientFactory) -> None:
    ann = sqlite_client_for("ann")
    ann.get("/lang/th", params={"next": "/queue"})
    thai = ann.get("/queue").text
    assert 'lang="th"' in thai and "คิวงาน" in thai and "ไม่ได้รับการรับรอง" in thai
    ann.get("/lang/en")
    english = ann.get("/queue").text
    assert 'lang="en"' in english and "Queue" in english and ">uncertified<" in english
    anonymous = sqlite_client_for(None)
    assert "เข้าสู่ระบบ" in anonymous.get("/login", headers={"Accept-Language": "th-TH,th;q=0.9"}).text
    # The switch only redirects within the desk.
    assert (
        anonymous.get("/lang/en", params={"next": "//evil.example/"}, follow_redirects=False).headers[
            "location"
        ]
        == "/queue"
    )
