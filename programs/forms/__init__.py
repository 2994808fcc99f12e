"""Forms of the programs app, one module per sub-domain (the names of ``programs.services``)."""
