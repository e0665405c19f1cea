"""Request and answer shapes of the check API (they are the OpenAPI document's schemas).

A draft carries the Listing contract's fields (`title` required; everything else optional, `listing_id`
echoed back) plus what a platform knows before a listing goes live: `model`, `category`, the seller's
`licence_no` and the images' alt texts. An answer carries the Verdict contract's fields (`verdict`,
`flagged`, `tis_number`, `licence_no`, `score`, `reasons`, exactly as `tiswatch match` writes them)
plus the standard's titles, the licence's status, the reason codes, a Thai and an English sentence,
the seller's `required_action`, and the registry and vocabulary versions used.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_BATCH = 1_000
# Field limits keep one check within milliseconds; a real title is under 300 characters and a real
# description a few thousand.
MAX_TITLE = 2_000
MAX_TEXT = 20_000
MAX_SHORT = 500
MAX_ATTRIBUTES = 200

ShortText = Annotated[str, Field(max_length=MAX_SHORT)]
AttributeValue = str | int | float | bool | None


class Draft(BaseModel):
    """One listing draft, as the seller filled it in (Listing contract fields, all but `title` optional)."""

    model_config = ConfigDict(extra="ignore")

    title: str = Field(min_length=1, max_length=MAX_TITLE, description="The listing's title (required).")
    listing_id: str | int | None = Field(
        default=None, description="The platform's own id for the draft; echoed back unchanged."
    )
    description: str | None = Field(default=None, max_length=MAX_TEXT)
    brand: ShortText | None = None
    model: ShortText | None = Field(default=None, description="The model the seller states.")
    category: ShortText | None = Field(default=None, description="The platform's category path or name.")
    licence_no: ShortText | None = Field(
        default=None, description="The TISI licence number the seller states, e.g. `ท4080-51/2432`."
    )
    attributes: dict[ShortText, AttributeValue] | None = Field(
        default=None, max_length=MAX_ATTRIBUTES, description="The spec table: name → value."
    )
    image_alt_texts: list[ShortText] | None = Field(default=None, max_length=50)
    price: float | None = None
    currency: ShortText | None = None
    platform: ShortText | None = None
    url: str | None = Field(default=None, max_length=2_000)
    seller_id: ShortText | None = None
    seller_name: ShortText | None = None
    shop_url: str | None = Field(default=None, max_length=2_000)
    image_urls: list[Annotated[str, Field(max_length=2_000)]] | None = Field(default=None, max_length=50)
    sold: int | None = None
    rating: float | None = None
    crawled_at: ShortText | None = None


class BatchRequest(BaseModel):
    listings: list[Draft] = Field(max_length=MAX_BATCH, description=f"Up to {MAX_BATCH:,} drafts.")


class ReasonCode(BaseModel):
    code: str = Field(
        description="Stable machine code: `brand_field`, `licence_revoked`, `category:2432-2555`…"
    )
    detail: str = Field(description="What the code rests on, in English.")


class Action(BaseModel):
    code: str = Field(description="`state_licence_number`, `supply_licence`, `replace_revoked_licence`…")
    en: str
    th: str


class StandardInfo(BaseModel):
    tis_number: str
    title_th: str
    title_en: str
    mandatory: bool


class LicenceStatus(BaseModel):
    licence_no: str
    status: str = Field(description="`active`, `suspended` or `revoked` in the registry version used.")
    tis_number: str
    brand: str
    models: list[str] = Field(description="Models the licence lists; empty: it covers the brand.")


class CheckResult(BaseModel):
    listing_id: str | int | None
    verdict: Literal["not_regulated", "certified", "invalid_licence", "uncertified", "unverifiable"]
    flagged: bool
    tis_number: str | None
    licence_no: str | None
    score: float
    reasons: list[str] = Field(
        description="As `tiswatch match` writes them: codes with details, then a sentence."
    )
    standard: StandardInfo | None
    licence: LicenceStatus | None = Field(
        description="The licence matched or cited, as the registry holds it."
    )
    reason_codes: list[ReasonCode]
    message_en: str
    message_th: str
    required_action: Action | None = Field(
        description="What the seller must do or supply; null when nothing."
    )
    registry_version: str = Field(description="`db-v<N>` (imported version N) or `csv-<hash>` (a file).")
    vocabulary_version: str = Field(description="`db-v<N>` (imported version N) or `bundled`.")


class BatchResult(BaseModel):
    results: list[CheckResult]


class LicenceInfo(BaseModel):
    licence_no: str
    licence_type: str
    status: str
    tis_number: str
    standard: StandardInfo | None
    licensee: str
    brand: str
    models: list[str]
    covers: str = Field(description="In words: which brand and models the licence covers.")
    issued: str
    registry_version: str


class StandardAnswer(BaseModel):
    standard: StandardInfo
    also_matches: list[str] = Field(
        description="Other standards the number given can mean (parts, editions)."
    )
    product_words: list[str] = Field(description="Vocabulary words that put a listing under this standard.")
    licences: dict[str, int] = Field(description="Licences of this standard in the registry, by status.")
    registry_version: str
    vocabulary_version: str


class Problem(BaseModel):
    """Every error answer: one line saying what is wrong and where."""

    detail: str
    errors: list[dict[str, str]] = Field(default_factory=list)
