"""The article corpus: sources, parsing, numbering and the versioned article store.

Everything downstream (indexing, assistant, ui) reads articles from here and never writes back.
"""
