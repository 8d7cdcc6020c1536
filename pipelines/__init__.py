from pipelines.iri_syntax import defer_iri_grammar

# Process-wide set-up belongs to the composition root, and every process that loads the
# definitions imports this package before anything imports jsonschema: see iri_syntax.py.
defer_iri_grammar()
