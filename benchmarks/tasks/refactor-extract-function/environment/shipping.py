def shipping_cost(weight_kg, rate):
    """Shipping cost in cents for a weight and a per-kg rate string such as "3.20"."""
    whole, _, frac = rate.strip().partition(".")
    frac = (frac + "00")[:2]
    cents = int(whole or "0") * 100 + int(frac)
    return cents * weight_kg
