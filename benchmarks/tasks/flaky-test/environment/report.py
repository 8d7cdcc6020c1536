def top_tags(tags):
    """Tags that occur at least twice."""
    counts = {}
    for t in tags:
        counts[t] = counts.get(t, 0) + 1
    return list({t for t, n in counts.items() if n >= 2})
