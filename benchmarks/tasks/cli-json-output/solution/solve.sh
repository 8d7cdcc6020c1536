#!/bin/bash
set -e
sed -i 's|    parser.add_argument("path")|    parser.add_argument("path")\n    parser.add_argument("--json", action="store_true", help="print JSON")|' wc_tool.py
sed -i 's|    print(f"{lines} {words} {args.path}")|    if args.json:\n        print(json.dumps({"path": args.path, "lines": lines, "words": words}))\n    else:\n        print(f"{lines} {words} {args.path}")|' wc_tool.py
sed -i '1s|^import argparse$|import argparse\nimport json|' wc_tool.py
