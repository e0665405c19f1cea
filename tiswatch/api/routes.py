"""The check API's endpoints under /api/v1 (see README, "The check API")."""

from __future__ import annotations

import logging
import math
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader

from standards_data.catalogue import mandatory_standards
from tiswatch.api.answers import build_answer
from tiswatch.api.audit import AuditRow
from tiswatch.api.drafts import draft_digest, listing_from_draft
from tiswatch.api.errors import ApiRoute
from tiswatch.api.keys import KeyRecord
from tiswatch.api.runtime import ApiRuntime
from tiswatch.api.schemas import (
    BatchRequest,
    BatchResult,
    CheckResult,
    Draft,
    LicenceInfo,
    Problem,
    StandardAnswer,
    StandardInfo,
)
from tiswatch.api.snapshot import Snapshot, standard_info

logger = logging.getLogger("tiswatch.api")

API_KEY_HEADER = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="The platform's key (`tiswatch api-keys add NAME`)."
)
ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": Problem, "description": "X-API-Key missing, unknown or revoked"},
    413: {"model": Problem, "description": "request body over the limit"},
    422: {"model": Problem, "description": "malformed JSON or a field of the wrong type; `detail` names it"},
    429: {"model": Problem, "description": "over the key's rate limit; see Retry-After"},
}

# A body sent without Content-Type is read as JSON (curl -d without -H sends a form type and is told so).
router = APIRouter(route_class=ApiRoute, responses=ERRORS, strict_content_type=False)


def runtime(request: Request) -> ApiRuntime:
    return request.app.state.api


# async: a plain `def` dependency would cost every request a hop to the thread pool.
async def platform_key(request: Request, key: Annotated[str | None, Depends(API_KEY_HEADER)]) -> KeyRecord:
    record = runtime(request).keyring.find(key)
    if record is None:
        detail = "X-API-Key header missing" if not key else "X-API-Key not recognised (unknown or revoked)"
        raise HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": "X-API-Key"})
    return record


Key = Annotated[KeyRecord, Depends(platform_key)]


def _spend(request: Request, key: KeyRecord, checks: int) -> None:
    wait = runtime(request).limiter.take(key.id, key.rate_per_second, checks)
    if wait > 0:
        retry_after = max(1, math.ceil(wait))
        raise HTTPException(
            status_code=429,
            detail=(
                f"rate limit of {key.rate_per_second:g} checks/s for key {key.name!r}: "
                f"retry in {retry_after} s"
            ),
            headers={"Retry-After": str(retry_after)},
        )


def _judge(
    snapshot: Snapshot, drafts: list[Draft], key: KeyRecord, endpoint: str
) -> tuple[list[CheckResult], list[AuditRow]]:
    results: list[CheckResult] = []
    audit: list[AuditRow] = []
    for position, draft in enumerate(drafts):
        try:
            verdict = snapshot.matcher.judge(listing_from_draft(draft))
        except Exception as error:  # the matcher promises not to raise; if it does, say which draft
            digest = draft_digest(draft)
            logger.exception("tiswatch api: matcher failed on draft %s", digest)
            where = f"listings[{position}]" if endpoint == "batch" else "body"
            raise HTTPException(
                status_code=422, detail=f"{where}: the draft could not be judged (logged as {digest[:12]})"
            ) from error
        results.append(build_answer(verdict, draft.listing_id, snapshot))
        audit.append(
            AuditRow(
                key_id=key.id,
                endpoint=endpoint,
                verdict=verdict.verdict,
                tis_number=verdict.tis_number,
                registry_version=snapshot.registry_version,
                vocabulary_version=snapshot.vocabulary_version,
                draft_sha256=draft_digest(draft),
            )
        )
    return results, audit


@router.post("/check", summary="Check one listing draft before it goes live")
async def check(request: Request, draft: Draft, key: Key) -> CheckResult:
    _spend(request, key, 1)
    state = runtime(request)
    # One check takes well under a millisecond: judged on the event loop, no thread hop.
    results, audit = _judge(state.holder.current, [draft], key, "check")
    state.audit.record(audit)
    return results[0]


@router.post("/check/batch", summary="Check up to 1,000 drafts; results in the same order")
async def check_batch(request: Request, batch: BatchRequest, key: Key) -> BatchResult:
    _spend(request, key, max(1, len(batch.listings)))
    state = runtime(request)
    # A batch takes up to a second: judged in a worker thread so single checks keep flowing.
    results, audit = await run_in_threadpool(_judge, state.holder.current, batch.listings, key, "batch")
    state.audit.record(audit)
    return BatchResult(results=results)


@router.get("/licences/{licence_no:path}", summary="Status and coverage of one TISI licence")
async def licence(
    request: Request,
    licence_no: Annotated[str, Path(max_length=100, description="As TISI prints it, e.g. `ท4080-51/2432`")],
    key: Key,
) -> LicenceInfo:
    _spend(request, key, 1)
    snapshot = runtime(request).holder.current
    found = snapshot.find_licence(licence_no)
    if found is None:
        raise HTTPException(
            status_code=404,
            detail=f"licence {licence_no} is not in the registry ({snapshot.registry_version})",
        )
    brand = found.brand or "(no brand)"
    covers = (
        f"brand {brand}, models {', '.join(found.models)}" if found.models else f"brand {brand}, every model"
    )
    return LicenceInfo(
        licence_no=found.licence_no,
        licence_type=found.licence_type,
        status=found.status,
        tis_number=found.tis_number,
        standard=_standard_info(found.tis_number),
        licensee=found.licensee,
        brand=found.brand,
        models=list(found.models),
        covers=f"{covers} under มอก. {found.tis_number}",
        issued=found.issued,
        registry_version=snapshot.registry_version,
    )


def _standard_info(tis_number: str) -> StandardInfo:
    standard = standard_info(tis_number)
    return StandardInfo(
        tis_number=tis_number,
        title_th=standard.name_th if standard else "",
        title_en=standard.name_en if standard else "",
        mandatory=tis_number in mandatory_standards(),
    )


@router.get("/standards/{tis}", summary="A TIS standard: titles, product words, licences by status")
async def standard(
    request: Request,
    tis: Annotated[
        str, Path(max_length=100, description="`2432-2555`, `2432`, `685 เล่ม 1-2562`, `TIS 2432-2012`…")
    ],
    key: Key,
) -> StandardAnswer:
    _spend(request, key, 1)
    snapshot = runtime(request).holder.current
    found = snapshot.find_standards(tis)
    if not found:
        raise HTTPException(
            status_code=404, detail=f"no standard {tis} in the catalogue, vocabulary or registry"
        )
    best = found[0]
    return StandardAnswer(
        standard=_standard_info(best),
        also_matches=found[1:],
        product_words=snapshot.product_words.get(best, []),
        licences=dict(snapshot.licence_counts.get(best, {})),
        registry_version=snapshot.registry_version,
        vocabulary_version=snapshot.vocabulary_version,
    )


@router.get("/health", summary="Ready, and with which registry and vocabulary (no key needed)")
async def health(request: Request) -> dict[str, object]:
    state = runtime(request)
    snapshot = state.holder.current
    return {
        "status": "ok",
        "registry_version": snapshot.registry_version,
        "vocabulary_version": snapshot.vocabulary_version,
        "licences": snapshot.licence_count,
        "matcher_build_seconds": round(snapshot.build_seconds, 3),
        "index_from_cache": snapshot.index_from_cache,
        "swaps": state.holder.swaps,
    }
