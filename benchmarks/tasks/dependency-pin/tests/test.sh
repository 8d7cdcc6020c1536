#!/bin/bash
# Verifier: the hidden tests decide; the reward goes to $REWARD_FILE.
if PYTHONPATH="$PWD" python3 -m unittest discover -s "$TESTS_DIR" -p 'test_*.py' 2>&1; then
  echo 1 > "$REWARD_FILE"
else
  echo 0 > "$REWARD_FILE"
fi
