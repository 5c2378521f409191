"""Chunks, embeddings, the Chroma store and the lexical index, built from `corpus` (see issue 3)."""
