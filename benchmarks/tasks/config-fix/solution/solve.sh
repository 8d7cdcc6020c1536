#!/bin/bash
set -e
cat > app/config.ini <<'EOF'
[server]
host = 127.0.0.1
port = 8080
timeout = 30

[database]
path = data/app.db

[logging]
level = INFO
EOF
