"""A full queue as a person sees it: the page's own script, not an API client, must show the French refusal.

Gradio's script ignores the body of a 503 and shows its own English sentence; ui/serve.py answers 429 so
that it shows ours. A one-button page launched by the same `launch` as `cdt serve`, with a queue of one,
is enough to check it (no index, no model).
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from tests.page_server import PageVisitor, free_port


def test_a_full_queue_shows_the_french_refusal_in_the_page(browser: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import gradio as gr

    import ui.app
    from ui.serve import launch

    monkeypatch.setattr(ui.app, "QUEUE_MAX_SIZE", 1)
    monkeypatch.setattr(ui.app, "ASSISTANT_CONCURRENCY", 1)
    started, release = threading.Event(), threading.Event()

    def hold(text: str) -> str:
        started.set()
        release.wait(60)
        return text

    with gr.Blocks() as app:
        box, out = gr.Textbox(label="Texte"), gr.Textbox(label="Sortie")
        gr.Button("Envoyer", elem_id="cdt-hold").click(hold, box, out, api_name="hold")
    port = free_port()
    launch(app, "127.0.0.1", port, block=False)
    context = browser.new_context(locale="fr-FR")
    try:
        visitor = PageVisitor(f"http://127.0.0.1:{port}/")
        visitor.join("hold", ["occupe la seule place de calcul"])
        assert started.wait(30)
        visitor.new_conversation()
        visitor.join("hold", ["attend : la file d'une place est pleine"])
        page = context.new_page()
        page.goto(visitor.url)
        page.locator("#cdt-hold").click()
        toast = page.get_by_test_id("toast-body")
        toast.get_by_text("Trop de demandes en attente : la vôtre n'a pas été prise en compte. "
                          "Réessayez dans une minute.").wait_for(timeout=15_000)
        assert "busy" not in toast.inner_text()
    finally:
        release.set()
        context.close()
        app.close()
