"""listings.jsonl: everything the runs crawled, one listing per line with the verdict it got."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from pipelines.exports.atomic import atomic_path
from pipelines.exports.job import ExportJob
from pipelines.store.history import HistoryStore


def write_listings_jsonl(store: HistoryStore, run_ids: Sequence[int], path: Path) -> tuple[Path, int]:
    count = 0
    cases = store.case_ids(run_ids)
    with atomic_path(path) as temporary, open(temporary, "w", encoding="utf-8") as handle:
        for observation, verdict, evidence in store.iter_observations(run_ids):
            record = dict(observation.data)
            record["run_id"] = observation.run_id
            record["content_hash"] = observation.content_hash
            record["evidence_sha256"] = evidence.sha256 if evidence else None
            record["case_id"] = cases.get(observation.listing_key, "")
            record["verdict"] = (
                {
                    "listing_id": record.get("listing_id"),
                    "verdict": verdict.verdict,
                    "flagged": verdict.flagged,
                    "tis_number": verdict.tis_number,
                    "licence_no": verdict.licence_no,
                    "score": verdict.score,
                    "reasons": verdict.reasons,
                }
                if verdict
                else None
            )
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return path, count


def export(job: ExportJob, path: Path) -> int:
    return write_listings_jsonl(job.store, job.report.run_ids, path)[1]
