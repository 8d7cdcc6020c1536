def page_count(total, per_page):
    """Number of pages needed to show `total` items, `per_page` items per page."""
    if per_page <= 0:
        raise ValueError("per_page must be positive")
    return total // per_page
