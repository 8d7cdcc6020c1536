def invoice_total(lines):
    """Sum of 'amount' strings (e.g. "12.50") in cents."""
    total = 0
    for amount in lines:
        whole, _, frac = amount.strip().partition(".")
        frac = (frac + "00")[:2]
        total += int(whole or "0") * 100 + int(frac)
    return total
