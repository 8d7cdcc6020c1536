#!/bin/bash
# Every check prints what failed; exit status 0 only when all pass.
fail=0
tracked=$(git ls-files)
if echo "$tracked" | grep -E '^site/|\.log$'; then echo "generated files still tracked"; fail=1; fi
echo "$tracked" | grep -qx 'src/main.py' || { echo "src/main.py is not tracked"; fail=1; }
mkdir -p site/new && touch site/new/page.html new.log
git check-ignore -q site/new/page.html || { echo "site/ is not ignored"; fail=1; }
git check-ignore -q new.log || { echo "*.log is not ignored"; fail=1; }
git check-ignore -q src/main.py && { echo "src/ is ignored"; fail=1; }
rm -rf site/new new.log
exit $fail
