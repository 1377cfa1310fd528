"""Distribution: batches of co-branded packs and zip bundles."""
