import time


def fetch_status(get):
    """Status code of one GET (no retries yet)."""
    return get()
