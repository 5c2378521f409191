"""Retrieval chain, answer composer, calculators and conversation, built on `indexing` (issues 4 and 5)."""
