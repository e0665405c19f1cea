"""Scrapy item pipelines and the stores/exports behind them.

A crawled listing goes, in the order of `ITEM_PIPELINES`:

- `validate.ValidateListingPipeline`: cleans fields (`cleaning.py`), drops listings without the
  required fields (counted, logged with the URL);
- `match.MatchPipeline`: a verdict from `matchers.matcher.Matcher` against the registry chosen by
  `registry_source.py` (newest imported version, else `TISWATCH_REGISTRY_CSV`, else the sample);
- `store.StorePipeline`: one transaction per listing into the history (`store/`: tables, Alembic
  migrations in `migrations/`, `HistoryStore`, new / still flagged / gone marks in `store/report.py`),
  with the response body it came from (`evidence.py`);
- at close, the Scrapy extension `crawler.extensions.RunCloser` records the run's status and
  per-scope coverage (`HistoryStore.finish_run`), then `exports/` writes flagged.xlsx, flagged.csv,
  listings.jsonl and evidence/manifest.csv.

`context.RunContext` is what these share within one crawl. `review.py` imports investigators'
decisions back from a filled-in flagged.xlsx (`tiswatch review import`).
"""
