"""The Scrapy project: settings, the Listing item, spiders, page parsing, middlewares and the CLI."""
