#!/bin/bash
set -e
git rm -r -q --cached --ignore-unmatch site app.log logs/worker.log
printf 'site/\n*.log\n' >> .gitignore
