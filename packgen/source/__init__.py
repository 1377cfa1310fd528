"""Stage 1, load: YAML into nodes that remember file, line and column; validation into models."""
