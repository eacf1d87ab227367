"""Use cases that combine readers, NLP, tagging and the store; the CLI and UI call these."""
