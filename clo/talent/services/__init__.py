"""The talent sub-domains, one module each."""
