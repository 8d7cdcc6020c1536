#!/bin/bash
set -e
cat > migrations/002_email_and_audit.sql <<'EOF'
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    action  TEXT NOT NULL
);
EOF
