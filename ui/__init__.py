"""User-facing entry points: the `cdt` command line and, later, the Gradio page."""
