from datetime import datetime


def now():
    """The current time in UTC."""
    return datetime.utcnow()


def from_epoch(ts):
    """A UNIX timestamp as a UTC datetime."""
    return datetime.utcfromtimestamp(ts)
