"""The officers' dashboard: coverage of recent runs, flags per standard and per platform over time, top
sellers by exposure, the registry version in force. Aggregated with pandas; drawn as server-side SVG
bars (no JavaScript library, nothing fetched from the internet)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, select

from pipelines.store.models import Run
from standards_data.registry_store import registry_versions
from tiswatch.web.models import QueueRow

if TYPE_CHECKING:
    import pandas as pd

RECENT_RUNS = 30
TOP = 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    width: float
    """0-100: share of the largest value, the bar's length in per cent."""
    text: str


@dataclass(frozen=True)
class Dashboard:
    coverage: list[dict[str, Any]]
    per_standard: list[Bar]
    per_platform_runs: list[dict[str, Any]]
    per_platform_bars: list[Bar]
    top_sellers: list[Bar]
    registry: str


def _bars(series: pd.Series, money: bool = False) -> list[Bar]:
    if series.empty:
        return []
    largest = float(series.max()) or 1.0
    return [
        Bar(
            str(label),
            float(value),
            100.0 * float(value) / largest,
            f"{value:,.0f}" if money else f"{int(value)}",
        )
        for label, value in series.items()
    ]


def _coverage_state(status: str) -> str:
    """A run's status is its coverage (complete, incomplete, blocked, failed, interrupted, abandoned,
    or running), recorded when it closed (pipelines.store.models)."""
    return status


def build_dashboard(engine: Engine) -> Dashboard:
    # Imported when the dashboard is opened: pandas would add most of a second to the server's start.
    import pandas as pd

    with engine.connect() as connection:
        runs = connection.execute(
            select(Run.id, Run.spider, Run.started_at, Run.status, Run.summary, Run.arguments)
            .order_by(Run.id.desc())
            .limit(RECENT_RUNS)
        ).all()
        queue = pd.read_sql(
            select(
                QueueRow.platform,
                QueueRow.tis_number,
                QueueRow.seller_id,
                QueueRow.seller_name,
                QueueRow.exposure,
                QueueRow.mark,
            ),
            connection,
        )
    coverage = []
    for run in runs:
        summary = run.summary or {}
        coverage.append(
            {
                "run_id": run.id,
                "spider": run.spider,
                "started_at": run.started_at,
                "state": _coverage_state(run.status),
                "keywords": (run.arguments or {}).get("keywords")
                or (run.arguments or {}).get("standards")
                or "",
                "pages": summary.get("pages_fetched", 0),
                "blocked": summary.get("pages_blocked", 0),
                "failed": summary.get("pages_failed", 0),
                "flagged": summary.get("flagged", 0),
                "gaps": "; ".join(summary.get("coverage_gaps") or []),
            }
        )
    flagged = queue[queue["mark"] != "gone"] if not queue.empty else queue
    per_standard = (
        flagged.groupby("tis_number").size().sort_values(ascending=False).head(TOP)
        if not flagged.empty
        else pd.Series(dtype=float)
    )
    per_run = pd.DataFrame(
        [
            {"run": f"{row['run_id']} {row['spider']} {row['started_at']:%m-%d}", "flagged": row["flagged"]}
            for row in reversed(coverage)
        ]
    )
    per_platform_bars = _bars(per_run.set_index("run")["flagged"]) if not per_run.empty else []
    if not flagged.empty:
        sellers = flagged.assign(
            seller=flagged["platform"]
            + " · "
            + flagged["seller_name"].where(flagged["seller_name"] != "", flagged["seller_id"])
        )
        top_sellers = sellers.groupby("seller")["exposure"].sum().sort_values(ascending=False).head(TOP)
    else:
        top_sellers = pd.Series(dtype=float)
    versions = registry_versions(engine)
    registry = (
        f"version {versions[-1].id}: {versions[-1].total_licences:,} licences, imported "
        f"{versions[-1].imported_at} by {versions[-1].imported_by} ({versions[-1].source_file})"
        if versions
        else "no registry imported into this database (runs matched against a CSV file)"
    )
    return Dashboard(
        coverage=coverage,
        per_standard=_bars(per_standard),
        per_platform_runs=coverage,
        per_platform_bars=per_platform_bars,
        top_sellers=_bars(top_sellers, money=True),
        registry=registry,
    )
