"""The benchmark domain: run folders, statistics, DuckDB tables, claims, one-pager, WS5 evidence.

Plain Python except ``assets.py`` (the Dagster asset).
"""
