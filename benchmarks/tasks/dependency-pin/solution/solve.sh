#!/bin/bash
set -e
cat > requirements.txt <<'EOF'
requests==2.31.0
urllib3==2.0.7
idna==3.6
EOF
