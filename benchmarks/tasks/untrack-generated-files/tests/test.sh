#!/bin/bash
# Verifier: git-level checks; exit status decides.
bash /tests/check.sh
