"""Sales web views, one module per area (products, orders, deals, insight)."""
