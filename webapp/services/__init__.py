"""Business logic as verb_noun functions. They flush, never commit: the caller commits."""
