from reports.iri_syntax import defer_iri_grammar

# Before anything of ours imports jsonschema: see reports/iri_syntax.py.
defer_iri_grammar()
