"""The bundled demo marketplace: a local web server with realistic Thai listings in the shapes of
Shopee's search API, Lazada's catalog JSON and product pages, and a schema.org shop (ARCHITECTURE.md,
"Marketplaces"). Loopback only.

    from crawler.demo_market import DemoMarket

    with DemoMarket(port=0, size=400, seed=2432) as market:
        market.base_url      # 'http://127.0.0.1:PORT'
        market.catalogue     # the listings, each with its intended verdict

See `server.py` for the URLs and options, `malformed.py` for what malformed mode breaks.
"""

from crawler.demo_market.catalogue import (
    DEFAULT_SEED,
    DEFAULT_SIZE,
    Catalogue,
    CatalogueEntry,
    build_catalogue,
)
from crawler.demo_market.server import DemoMarket

__all__ = ["DEFAULT_SEED", "DEFAULT_SIZE", "Catalogue", "CatalogueEntry", "DemoMarket", "build_catalogue"]
