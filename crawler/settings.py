"""Scrapy settings for tiswatch: every default in one place, polite by default (issue 5)."""

BOT_NAME = "tiswatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Identify ourselves honestly; operators override with their contact address.
USER_AGENT = "tiswatch/0.1 (+https://github.com/tiswatch/tiswatch; TIS compliance monitor)"

# --- Politeness -----------------------------------------------------------------------------------
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
# ±50% around DOWNLOAD_DELAY (Scrapy 2.19's replacement of RANDOMIZE_DOWNLOAD_DELAY = True).
DOWNLOAD_DELAY_JITTER = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# A host that accepts the connection and never answers costs this many seconds per try, not forever.
DOWNLOAD_TIMEOUT = 30

# --- Limits (issue 11): a hostile or broken site costs bounded memory -------------------------------
# Scrapy's default is 1 GiB per response, also after gzip/brotli decompression (its HTTP compression
# middleware applies DOWNLOAD_MAXSIZE to the decompressed body). Real pages are well under 1 MB
# (a Lazada product page with its JSON: about 0.5 MB); 16 MiB leaves room and keeps four concurrent
# worst cases far below the crawl's 300 MB target. Pages cut by it count as failed and under
# `limits_hit` in the summary.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
# Decompressed size of a gzipped sitemap (sitemaps.org allows 50 MB uncompressed).
TISWATCH_SITEMAP_MAXSIZE = 50 * 1024 * 1024
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19 opens a code-executing HTTP control port per crawl by default; unattended runs need none.
REMOTE_CONTROL_ENABLED = False

# --- Block awareness and evidence (crawler/middlewares.py; order explained there) -----------------
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.LoginRedirectMiddleware": 605,
    "crawler.fetch_log.FetchLogMiddleware": 588,
    "crawler.middlewares.EvidenceMiddleware": 587,
    "crawler.middlewares.BlockDetectionMiddleware": 585,
    "crawler.crawl_delay.RobotsCrawlDelayMiddleware": 590,
}
# Longest robots.txt Crawl-delay honoured (seconds); a longer one is capped and logged.
TISWATCH_MAX_CRAWL_DELAY = 60.0
# Blocked answers in a row from one site before the crawl stops sending it requests.
TISWATCH_BLOCK_BURST = 3

# --- Pipelines: clean/validate -> match -> store; at close, the run's coverage, then the export ---
ITEM_PIPELINES = {
    "pipelines.validate.ValidateListingPipeline": 100,
    "pipelines.match.MatchPipeline": 300,
    "pipelines.store.StorePipeline": 500,
}
# On spider_closed: records the run's status and per-scope coverage from the finish reason, then marks
# new/still/gone and writes the export (on whenever the store pipeline is).
EXTENSIONS = {
    "crawler.extensions.RunCloser": 500,
    # A robots.txt that cannot be fetched is one log line, not Scrapy's traceback.
    "crawler.robots_errors.RobotsErrorLines": 0,
}
# Pages larger than this are cancelled and counted as failed (never read as an empty market).
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024

# --- tiswatch ----------------------------------------------------------------------------------------
# Database of runs, listings, verdicts (SQLite file or postgresql://...).
TISWATCH_DB_URL = "sqlite:///data/tiswatch.sqlite"
# Registry CSV to match against when the database holds no imported registry version yet.
TISWATCH_REGISTRY_CSV = ""  # empty: the sample registry bundled in standards_data/
# Where the run's exports (flagged.csv, flagged.xlsx, listings.jsonl) are written at close.
TISWATCH_OUT_DIR = "out"

# --- Monitoring (Spidermon; on for campaign workers, see crawler/cluster/monitors.py) ----------------
SPIDERMON_ENABLED = False
SPIDERMON_MAX_ERRORS = 0
SPIDERMON_EXPECTED_FINISH_REASONS = ["finished", "shutdown"]
TISWATCH_MONITOR_MAX_BLOCKED = 0
TISWATCH_MONITOR_MAX_FAILED = 0

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
