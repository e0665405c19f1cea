"""Many crawl workers on one shared frontier: a campaign's requests live in Redis (scrapy-redis), its
listings in one PostgreSQL history run.

- `coordinator`: `start_campaign` (migrate once, open the run, seed the queues from the plans),
  `campaign_status`, `finish_campaign` (merge coverage into the run, export, alerts);
- `worker`: `run_worker`, the process behind `tiswatch worker`: one Scrapy crawler per plan of the
  active campaign, fed from the shared queue, until the campaign is drained;
- `queue` / `scheduler`: scrapy-redis's scheduler with per-campaign, per-plan keys, a reliable queue
  (each popped request is held in the worker's processing hash until its callback has run) and
  nothing flushed when a worker closes;
- `politeness`: one per-site request rate for the whole fleet (a token bucket in Redis) and a
  back-off every worker of the site sees (HTTP 429, a site backed off after a burst of blocks);
- `stats`: the crawl stats that make up coverage, summed in Redis across workers;
- `extension`: what each worker crawler adds (idle workers wait while the campaign has work;
  acknowledging finished requests; reclaiming a dead worker's requests);
- `keys` / `campaign`: Redis key names and the campaign record;
- `alerts`: campaign checks and the e-mail / webhook that report them.

Redis holds pickled requests: it must be private (see README, "At scale").
"""
