"""One module per sub-domain."""
