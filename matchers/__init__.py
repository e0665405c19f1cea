"""Thai text normalisation, code extraction, category classification and registry matching.

Knows nothing about Scrapy: takes plain listing records (dicts in the Listing contract) and a registry,
and returns verdicts.
"""
