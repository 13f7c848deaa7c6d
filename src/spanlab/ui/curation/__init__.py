"""The curation view: adjudicate annotators' disagreements into the gold layer (issue #8)."""
