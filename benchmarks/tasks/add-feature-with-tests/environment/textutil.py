def title_case(text):
    """Capitalise every word."""
    return " ".join(w[:1].upper() + w[1:] for w in text.split())
