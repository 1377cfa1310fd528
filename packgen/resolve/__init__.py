"""Stage 3, resolve: styles, overlays, copy, campaign data, assets, fonts and QR matrices."""
