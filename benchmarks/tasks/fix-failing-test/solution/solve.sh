#!/bin/bash
set -e
sed -i 's|return total // per_page|return -(-total // per_page)|' pager.py
