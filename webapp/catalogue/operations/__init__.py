"""What changes the catalogue's rows: verb_noun functions that flush and never commit."""
