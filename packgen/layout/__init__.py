"""Stage 4, layout: resolved models into placed pages in absolute points (fixed and flowing)."""
