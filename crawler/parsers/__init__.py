"""Page objects: one module per page shape, each turning a fetched page into `Listing` records.

Parsers know nothing about Scrapy's engine: they take the page text (already decoded by Scrapy from the
page's declared encoding) and its URL, and return plain data. Spiders only route requests and hand
pages to these parsers, so every shape can be tested from a fixture string.

- `blocks`     — is this answer an anti-bot block (Shopee 90309999, captcha/slider pages)?
- `shopee`     — Shopee search API JSON (`/api/v4/search/search_items`).
- `lazada`     — Lazada catalog JSON (`/catalog/?q=…&ajax=true`) and product pages (`__moduleData__`,
                 or the older `app.run({…})`).
- `schema_org` — any product page carrying schema.org Product markup (JSON-LD, microdata, RDFa).
- `values`     — shared field cleaning: prices, counts, brands, HTML descriptions.
"""

from crawler.parsers.values import PageParseError, ParsedPage

__all__ = ["PageParseError", "ParsedPage"]
