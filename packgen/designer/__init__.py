"""Tools for designers: previews with guides, watch mode, the layout schema and reference."""
