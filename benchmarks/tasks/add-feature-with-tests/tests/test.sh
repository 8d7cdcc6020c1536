#!/bin/bash
# Verifier: the hidden tests decide; the reward goes to /logs/verifier/reward.txt.
if PYTHONPATH="$PWD" python3 -m unittest discover -s /tests -p 'test_*.py' 2>&1; then
  echo 1 > /logs/verifier/reward.txt
else
  echo 0 > /logs/verifier/reward.txt
fi
