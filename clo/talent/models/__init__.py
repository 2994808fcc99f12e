"""The talent models, one module per sub-domain; Django finds them through these imports."""
