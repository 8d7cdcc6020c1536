#!/bin/bash
set -e
cat > money.py <<'EOF'
def parse_money(text):
    """An amount string such as "12.50" in integer cents."""
    whole, _, frac = text.strip().partition(".")
    frac = (frac + "00")[:2]
    return int(whole or "0") * 100 + int(frac)
EOF
cat > billing.py <<'EOF'
from money import parse_money


def invoice_total(lines):
    """Sum of 'amount' strings (e.g. "12.50") in cents."""
    return sum(parse_money(amount) for amount in lines)
EOF
cat > shipping.py <<'EOF'
from money import parse_money


def shipping_cost(weight_kg, rate):
    """Shipping cost in cents for a weight and a per-kg rate string such as "3.20"."""
    return parse_money(rate) * weight_kg
EOF
