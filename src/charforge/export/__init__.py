"""Documents to files: each export format is registered (see `charforge.registry`) and is a pure function of a
document, so the same character always exports to the same bytes."""
