"""Property tests: extraction and matching never raise, whatever text or field values arrive."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchers.extract import extract_licence_numbers, extract_model_codes, extract_tis_claims, strip_codes
from matchers.matcher import Matcher
from matchers.normalize import match_key, normalize_text
from matchers.verdict import VERDICTS

# Text biased towards the domain: Thai letters and digits, codes' punctuation, marks that look alike.
THAI = "".join(chr(c) for c in range(0x0E01, 0x0E5C))
DOMAIN_ALPHABET = THAI + "0123456789มอก.TISท/-() เล่มPart\u200b\u3000【】🔥ＡＢ１２"
domain_text = st.text(alphabet=DOMAIN_ALPHABET, max_size=120)
any_text = st.one_of(st.text(max_size=200), domain_text)
field_value = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=True),
    any_text,
    st.lists(any_text, max_size=3),
    st.dictionaries(any_text, any_text, max_size=3),
)


@given(any_text)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_extraction_never_raises(text: str) -> None:
    clean = normalize_text(text)
    assert isinstance(match_key(text), str)
    for claim in extract_tis_claims(clean):
        assert claim.base is None or claim.base.isdigit()
    for licence in extract_licence_numbers(clean):
        assert "/" in licence.licence_no
    for code in extract_model_codes(strip_codes(clean)):
        assert code.key.isalnum()


@given(
    title=any_text,
    description=field_value,
    brand=field_value,
    attributes=field_value,
    listing_id=st.one_of(st.integers(), any_text),
)
@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_judge_never_raises(
    matcher: Matcher, title: str, description: object, brand: object, attributes: object, listing_id: object
) -> None:
    verdict = matcher.judge(
        {
            "listing_id": listing_id,
            "title": title,
            "description": description,
            "brand": brand,
            "attributes": attributes,
        }
    )
    assert verdict.verdict in VERDICTS
    assert 0 <= verdict.score <= 100
    assert verdict.reasons and isinstance(verdict.reasons[-1], str)


@given(st.dictionaries(st.text(max_size=10), field_value, max_size=6))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_judge_takes_any_mapping(matcher: Matcher, record: dict) -> None:
    assert matcher.judge(record).verdict in VERDICTS
