"""Forms of the programs app, one module per part of the cycle (see ``programs.services``)."""
