"""Shim for `scrapyd-deploy`, which builds its egg with `python setup.py bdist_egg`; everything is
declared in pyproject.toml (including the `scrapy` entry point Scrapyd reads)."""

from setuptools import setup

setup()
