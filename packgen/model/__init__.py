"""Stage 2, the typed, frozen models that validated layouts, campaigns and profiles become."""
