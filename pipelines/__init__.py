"""Scrapy item pipelines and the stores/exports behind them."""
