"""RFM scores, the owner's dashboard and its pre-aggregated figures."""
