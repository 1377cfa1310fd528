"""Stage 5, render and write: placed pages into PDF and PNG files, written atomically."""
