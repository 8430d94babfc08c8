"""Self-service: order, card-key and top-up lookups, express reissue, the enterprise route."""
