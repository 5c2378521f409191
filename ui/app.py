"""The web page: a Gradio `Blocks` app over one loaded `Assistant` (`build_app`), served by `cdt serve`.

Five tabs, all a thin layer over the other packages (no retrieval nor legal logic here):

- **Discussion**: the chat (`Assistant.stream`: the LLM's draft as it comes, then the checked
  answer), each citation a link that opens the article in the side panel; copy, rescrit draft
  download, new conversation; thumbs up/down stored in SQLite (ui/feedback.py).
- **Consulter un article**: a number in any spelling or words (the searcher), the code's plan
  from Partie down to the articles, neighbours and « cité par ».
- **Conventions collectives**: a convention found by IDCC or name (corpus/convention_directory.py), its
  texts by part with their status, an article with its text's status and its Légifrance link. The
  Discussion tab has the convention chosen for the conversation: its articles are quoted beside the Code.
- **Calculateurs**: one form per calculator generated from its inputs, checked by the calculator's
  own validation (its French message is shown on the field), result with formula and sources.
- **État**: corpus, index, embedding model, answering mode, feedback counts and export.

Links inside the page (`#cdt-article-…`, `#cdt-node-…`, ui/render.py) are caught by a small script
attached to the header (`_LINKS_JS`), which sends them to Python as events of the header: an article
cited in the discussion opens beside it, any other article in « Consulter un article ».

Concurrency: the queue runs at most ASSISTANT_CONCURRENCY questions and word searches at a time
(one shared concurrency group: they share the embedding model and both CPU cores) and keeps at
most QUEUE_MAX_SIZE waiting events; lookups, calculators and feedback are fast and run beside them.
An answer not complete after REQUEST_TIMEOUT_S is given up with a message (ui/deadline.py), and a
question longer than MAX_QUESTION_CHARS is cut by the chain (assistant/scope.py) and the page says so.

Index updates: the page holds a `LiveAssistant` (assistant/live.py), so an index rebuilt while it
serves is picked up when complete; each request uses the assistant of the moment it started.
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no telemetry, no version check
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import datetime as dt  # noqa: E402
import logging  # noqa: E402
import tempfile  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import gradio as gr  # noqa: E402

from corpus.article_number import try_normalize_number  # noqa: E402
from corpus.conventions import ConventionInfo  # noqa: E402
from corpus.errors import CorpusError, UnknownArticle  # noqa: E402
from corpus.presentation import status_counts  # noqa: E402
from indexing.embedder import model_name  # noqa: E402
from indexing.index import check_index  # noqa: E402
from indexing.settings import IndexSettings  # noqa: E402

from assistant.answer import Answer  # noqa: E402
from assistant.calculators.base import Calculator, InputError, option_name  # noqa: E402
from assistant.calculators.registry import CALCULATORS  # noqa: E402
from assistant.chain import Assistant  # noqa: E402
from assistant.conversation import Turn  # noqa: E402
from assistant.live import LiveAssistant  # noqa: E402
from assistant.scope import mend_surrogates  # noqa: E402

from ui import convention_render, render  # noqa: E402
from ui.deadline import RequestTimeout, within  # noqa: E402
from ui.feedback import FeedbackStore, default_path  # noqa: E402

log = logging.getLogger(__name__)

ASSISTANT_CONCURRENCY = 2  # questions and word searches at once: 2 CPU cores, each search ~0.1–0.4 s
QUEUE_MAX_SIZE = 64  # events waiting beyond that are refused at once, in French (ui/serve.py: HTTP 429)
SESSION_CAPACITY = 1000  # conversations kept in memory (≈ 0.3 MB each, docs/BENCHMARKS.md); the oldest go first
REQUEST_TIMEOUT_S = 60.0  # offline answers take well under a second; this bounds a stalled LLM
ANSWER_WORKERS = 2 * ASSISTANT_CONCURRENCY  # threads running answers, abandoned ones (after a timeout) included
TITLE = "Assistant du Code du travail"
EMPTY_QUESTION = ("Écrivez d'abord votre question dans la zone « Votre question », par exemple : « Quelle est la "
                  "durée du préavis de licenciement après 3 ans d'ancienneté ? », puis cliquez sur « Envoyer ».")
EXAMPLES = (
    ("Salarié·e", "Mon CDD se termine le mois prochain : ai-je droit à une indemnité de fin de contrat ?"),
    ("Employeur", "Nous avons 120 salariés et employons 4 travailleurs handicapés. Sommes-nous en règle ?"),
    ("Agent France Travail", "Un demandeur d'emploi peut-il refuser une offre raisonnable d'emploi ?"),
)
PANEL_HINT = ('<p class="cdt-hint">Cliquez sur un article cité, dans la réponse ou sous la conversation, '
              "pour l'afficher ici avec sa place dans le code, ses dates et ses liens.</p>")
LOOKUP_HINT = ('<p class="cdt-hint">Tapez un numéro d\'article (L5212-2, l. 5212-2, R5122-18…) ou des mots '
               "(« période d'essai »), ou parcourez le plan du code.</p>")
CONVENTIONS_HINT = ('<p class="cdt-hint">Tapez l\'IDCC d\'une convention collective (il figure sur le bulletin de '
                    "paie) ou son nom (« Syntec », « hôtels cafés restaurants ») pour parcourir ses textes et lire ses "
                    "articles.</p>")
_UNSET = "Non précisé"

THEME = gr.themes.Default(  # system fonts only: the page never fetches a font from the internet
    primary_hue="blue",
    font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"],
).set(  # readable contrast (WCAG AA, 4.5:1) for help texts, placeholders and the main buttons
    block_info_text_color="*neutral_600",
    block_label_text_color="*neutral_700",
    block_title_text_color="*neutral_700",
    input_placeholder_color="*neutral_500",
    button_primary_background_fill="*primary_700",
    button_primary_background_fill_hover="*primary_800",
    button_primary_text_color="white",
)

CSS = """
.gradio-container { max-width: 1280px !important; }
#cdt-header h1 { font-size: 1.5rem; margin: 0 0 .25rem 0; }
.cdt-corpus { margin: 0; }
.cdt-disclaimer { margin: .25rem 0 0 0; font-size: .9rem; color: #374151; }
.dark .cdt-disclaimer { color: #d1d5db; }
.cdt-chip { display: inline-block; margin: .15rem .2rem; padding: .1rem .55rem; border-radius: 999px;
  border: 1px solid #1d4ed8; background: #eff6ff; color: #1e3a8a !important; text-decoration: none !important;
  font-weight: 600; font-size: .9rem; }
.cdt-chip:hover { background: #dbeafe; }
.cdt-chip[aria-current="true"], .cdt-chip[aria-current="true"]:hover { background: #1d4ed8; color: #ffffff !important; }
a:focus-visible, button:focus-visible, .cdt-chip:focus-visible { outline: 3px solid #b45309; outline-offset: 2px; }
.cdt-chips { margin: .25rem 0; }
.cdt-chips-label { font-weight: 600; margin-right: .25rem; }
.cdt-article h3, .cdt-plan h3 { margin: .25rem 0 .5rem 0; font-size: 1.15rem; }
.cdt-status { font-size: .8rem; font-weight: 600; padding: .05rem .4rem; border-radius: 4px; background: #dcfce7;
  color: #14532d; vertical-align: middle; }
.cdt-status:not(.cdt-status-in_force) { background: #fee2e2; color: #7f1d1d; }
.cdt-warning, .cdt-error { border-left: 4px solid #b91c1c; padding: .25rem .5rem; background: #fef2f2; color: #7f1d1d; }
.cdt-breadcrumbs ol { list-style: none; padding: 0; margin: .25rem 0; }
.cdt-breadcrumbs li { display: inline; }
.cdt-breadcrumbs li + li::before { content: "›"; margin: 0 .3rem 0 .1rem; color: #4b5563; }
.cdt-breadcrumbs a { color: #1d4ed8; }
.cdt-dates, .cdt-corpus-small, .cdt-count, .cdt-snippet { color: #374151; font-size: .9rem; }
.dark .cdt-dates, .dark .cdt-corpus-small, .dark .cdt-count, .dark .cdt-snippet { color: #d1d5db; }
.cdt-text p { margin: .4rem 0; line-height: 1.5; }
.cdt-plan-children li { margin: .2rem 0; }
.cdt-plan-articles { list-style: none; padding: 0; display: flex; flex-wrap: wrap; }
.cdt-results li { margin: .4rem 0; }
.cdt-notice { margin: .25rem 0; padding: .35rem .6rem; border-radius: 6px; background: #fffbeb; color: #78350f;
  border: 1px solid #b45309; }
.cdt-notice-ok { background: #f0fdf4; color: #14532d; border-color: #15803d; }
.cdt-hint { color: #374151; }
.dark .cdt-hint { color: #d1d5db; }
#cdt-article-panel, #cdt-lookup-view, #cdt-plan { max-height: 75vh; overflow-y: auto; }
@media (max-width: 640px) { #cdt-article-panel, #cdt-lookup-view, #cdt-plan { max-height: none; } }
"""

# Page links → Python events: the header (always on the page, whichever tab is open) sends them.
_LINKS_JS = """
window.cdtTrigger = trigger;
if (!window.cdtLinksBound) {
  window.cdtLinksBound = true;
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#cdt-"]');
    if (!link || !window.cdtTrigger) return;
    event.preventDefault();
    event.stopPropagation();
    const scope = link.closest('#cdt-tab-discussion') ? 'discussion' : 'consulter';
    const target = link.getAttribute('href').slice('#cdt-'.length);
    if (target.startsWith('article-')) {
      window.cdtFocus = 'article';
      window.cdtTrigger('click', {scope: scope, article: decodeURIComponent(target.slice('article-'.length))});
    } else if (target.startsWith('convention-')) {
      window.cdtFocus = 'article';
      window.cdtTrigger('click', {scope: scope, convention: target.slice('convention-'.length)});
    } else if (target.startsWith('node-')) {
      window.cdtFocus = 'plan';
      window.cdtTrigger('click', {scope: scope, node: target.slice('node-'.length)});
    }
  }, true);
}
"""
# An opened article takes the keyboard focus (its heading), so that it is read and can be navigated.
_ARTICLE_JS = """
watch('value', () => {
  if (window.cdtFocus !== 'article') return;
  const heading = element.querySelector('article h3');
  if (!heading) return;
  window.cdtFocus = null;
  heading.scrollIntoView({block: 'nearest'});
  heading.focus({preventScroll: true});
});
"""
_PLAN_JS = """
watch('value', () => {
  if (window.cdtFocus !== 'plan') return;
  const heading = element.querySelector('h3');
  if (!heading) return;
  window.cdtFocus = null;
  heading.scrollIntoView({block: 'nearest'});
  heading.focus({preventScroll: true});
});
"""
# The component's own element stays while its content changes: screen readers announce the changes.
_LIVE_JS = "element.setAttribute('role', 'status'); element.setAttribute('aria-live', 'polite');"
_COPY_JS = """
async (text) => {
  const status = document.querySelector('#cdt-copy-status');
  try {
    await navigator.clipboard.writeText(text || '');
    if (status) status.textContent = text ? 'Réponse copiée dans le presse-papiers.' : 'Aucune réponse à copier.';
  } catch (error) {
    if (status) status.textContent = 'Copie impossible : sélectionnez le texte de la réponse et copiez-le.';
  }
}
"""


@dataclass
class PageConfig:
    feedback_path: Path | None = None  # default: <data folder>/feedback.sqlite3
    warnings: list[str] = field(default_factory=list)  # from load_assistant, shown in « État »
    files_dir: Path | None = None  # where rescrit drafts and exports are written (default: a temp folder)
    index_settings: IndexSettings | None = None  # the index « État » reports on (default: from the environment)
    request_timeout_s: float = REQUEST_TIMEOUT_S


def build_app(assistant: Assistant | LiveAssistant, config: PageConfig | None = None) -> gr.Blocks:
    """The page over a loaded assistant (live: switched on index updates); `serve` (ui/serve.py) launches it."""
    config = config or PageConfig()
    return Page(assistant, config).build()


class Page:
    def __init__(self, assistant: Assistant | LiveAssistant, config: PageConfig) -> None:
        self.live = assistant if isinstance(assistant, LiveAssistant) else LiveAssistant(assistant)
        self.config = config
        self.feedback = FeedbackStore(config.feedback_path or default_path())
        self.files = config.files_dir or Path(tempfile.mkdtemp(prefix="cdt-page-"))
        self.files.mkdir(parents=True, exist_ok=True)
        self.workers = ThreadPoolExecutor(ANSWER_WORKERS, thread_name_prefix="cdt-answer")
        self._plan_of: tuple[object, render.Plan] | None = None

    @property
    def assistant(self) -> Assistant:
        """The assistant in service now (a new one after an index update): take it once per request."""
        return self.live.current

    @property
    def store(self) -> Any:
        return self.assistant.store

    @property
    def plan(self) -> render.Plan:
        """The code's plan of the corpus in service (rebuilt once after an update)."""
        store, cached = self.store, self._plan_of
        if cached is None or cached[0] is not store:
            cached = self._plan_of = (store, render.Plan(store.in_force))
        return cached[1]

    # --- layout ----------------------------------------------------------------------------------
    def build(self) -> gr.Blocks:
        with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
            self.header = gr.HTML(self._header, elem_id="cdt-header", js_on_load=_LINKS_JS)  # read at each load
            with gr.Tabs(selected="discussion", elem_id="cdt-tabs") as self.tabs:
                with gr.Tab("Discussion", id="discussion", elem_id="cdt-tab-discussion"):
                    self._discussion()
                with gr.Tab("Consulter un article", id="consulter", elem_id="cdt-tab-consulter"):
                    self._lookup()
                with gr.Tab("Conventions collectives", id="conventions", elem_id="cdt-tab-conventions"):
                    self._conventions()
                with gr.Tab("Calculateurs", id="calculateurs", elem_id="cdt-tab-calculateurs"):
                    self._calculators()
                with gr.Tab("État", id="etat", elem_id="cdt-tab-etat"):
                    self._status()
            self._wire()
        return app

    def _header(self) -> str:
        assistant = self.assistant
        return (f"<h1>{render.esc(TITLE)}</h1>{render.corpus_line(assistant.store, assistant.mode)}"
                '<p class="cdt-disclaimer">Information juridique générale tirée du texte du Code du travail : '
                "elle ne remplace ni le conseil d'un professionnel ni une position de l'administration.</p>")

    def _discussion(self) -> None:
        self.messages = gr.State([])
        self.turns = gr.State([])
        self.records = gr.State([])
        self.convention = gr.State(None)  # the IDCC chosen for this conversation
        with gr.Row(equal_height=True):
            self.convention_input = gr.Textbox(
                label="Votre convention collective (facultatif)", elem_id="cdt-convention-input", scale=4,
                min_width=200, max_lines=1,
                placeholder="IDCC (il figure sur le bulletin de paie) ou nom : 1486, Syntec, hôtels cafés restaurants…")
            self.convention_button = gr.Button("Choisir", elem_id="cdt-convention-choose", scale=1, min_width=100)
        self.convention_status = gr.HTML("", elem_id="cdt-convention-status", js_on_load=_LIVE_JS)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                self.chatbot = gr.Chatbot(
                    label="Conversation", elem_id="cdt-chat", height=520, layout="bubble",
                    placeholder="**Posez votre question sur le Code du travail.** Chaque réponse cite les articles "
                                "dont elle est tirée ; cliquez sur un numéro d'article pour le lire.",
                    examples=[{"text": text, "display_text": f"{who} — {text}"} for who, text in EXAMPLES],
                    feedback_options=("Like", "Dislike"), buttons=["copy"], sanitize_html=True, allow_tags=False,
                    latex_delimiters=[], render_markdown=True,
                )
                self.chips = gr.HTML("", elem_id="cdt-citations", js_on_load=None)
                with gr.Row(equal_height=True):
                    self.question = gr.Textbox(
                        label="Votre question", elem_id="cdt-question", lines=1, max_lines=6, scale=4, min_width=200,
                        placeholder="Ex. : Quelle est la durée de la période d'essai d'un CDI ? (Entrée pour envoyer, "
                                    "Maj+Entrée pour aller à la ligne)",
                    )
                    self.send = gr.Button("Envoyer", variant="primary", elem_id="cdt-send", scale=1, min_width=100)
                self.notice = gr.HTML("", elem_id="cdt-chat-notice", js_on_load=_LIVE_JS)
                with gr.Row():
                    self.copy = gr.Button("Copier la réponse", elem_id="cdt-copy", size="sm")
                    self.rescrit = gr.DownloadButton("Télécharger le brouillon de rescrit (.md)", visible=False,
                                                     elem_id="cdt-rescrit", size="sm")
                    self.reset = gr.Button("Nouvelle conversation", elem_id="cdt-new", size="sm")
                gr.HTML('<p id="cdt-copy-status" class="cdt-hint" role="status" aria-live="polite"></p>',
                        js_on_load=None)
                self.last_answer = gr.Textbox(visible=False, label="Texte de la dernière réponse")
            with gr.Column(scale=2, min_width=300):
                self.panel = gr.HTML(PANEL_HINT, elem_id="cdt-article-panel",
                                     js_on_load=_ARTICLE_JS)

    def _lookup(self) -> None:
        with gr.Row(equal_height=True):
            self.lookup_input = gr.Textbox(label="Numéro d'article ou mots", elem_id="cdt-lookup-input", scale=4,
                                           min_width=200, placeholder="L5212-2, l. 5212-2, R5122-18 ou « période d'essai »")
            self.lookup_button = gr.Button("Chercher", variant="primary", elem_id="cdt-lookup-button", scale=1,
                                           min_width=100)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                self.lookup_view = gr.HTML(LOOKUP_HINT, elem_id="cdt-lookup-view",
                                           js_on_load=_ARTICLE_JS)
            with gr.Column(scale=2, min_width=300):
                gr.HTML("<h2 class=\"cdt-plan-heading\">Plan du code</h2>", js_on_load=None)
                self.plan_view = gr.HTML(self.plan.html(0), elem_id="cdt-plan", js_on_load=_PLAN_JS)

    def _conventions(self) -> None:
        with gr.Row(equal_height=True):
            self.conv_input = gr.Textbox(label="Convention collective (IDCC ou nom)", elem_id="cdt-conv-input", scale=4,
                                         min_width=200, max_lines=1, placeholder="1486, Syntec, HCR, métallurgie…")
            self.conv_button = gr.Button("Afficher", variant="primary", elem_id="cdt-conv-button", scale=1,
                                         min_width=100)
        with gr.Row(equal_height=False):
            with gr.Column(scale=2, min_width=300):
                self.conv_plan = gr.HTML(CONVENTIONS_HINT, elem_id="cdt-conv-plan", js_on_load=_PLAN_JS)
            with gr.Column(scale=3, min_width=320):
                self.conv_article = gr.HTML("", elem_id="cdt-conv-article", js_on_load=_ARTICLE_JS)

    def _calculators(self) -> None:
        gr.Markdown("Chaque calculateur applique le Code du travail pas à pas et donne sa formule et ses sources. "
                    "Les montants s'écrivent en euros (« 2 500,50 »), les dates JJ/MM/AAAA ou AAAA-MM-JJ.")
        self.calc_forms: list[_CalcForm] = []
        for position, calculator in enumerate(CALCULATORS.values()):
            with gr.Accordion(calculator.title, open=position == 0, elem_id=f"cdt-calc-{calculator.name}"):
                gr.Markdown(render.safe_markdown(calculator.description))
                fields: list[tuple[str, gr.components.Component]] = []
                for name, kind, spec in calculator.inputs.fields():
                    if name == "smic" and not calculator.uses_smic:
                        continue
                    label = spec.label + (" (obligatoire)" if spec.required else "")
                    elem_id = f"cdt-calc-{calculator.name}-{option_name(name)}"
                    if kind is bool:
                        component = gr.Radio([_UNSET, "Oui", "Non"], value=_UNSET, label=label, info=spec.question,
                                             elem_id=elem_id)
                    else:
                        placeholder = "JJ/MM/AAAA" if kind.__name__ == "date" else "nombre"
                        component = gr.Textbox(label=label, info=spec.question, placeholder=placeholder,
                                               elem_id=elem_id, max_lines=1)
                    fields.append((name, component))
                with gr.Row():
                    run = gr.Button("Calculer", variant="primary", elem_id=f"cdt-calc-{calculator.name}-run")
                    ask = gr.Button("Poser la question dans la discussion", elem_id=f"cdt-calc-{calculator.name}-ask",
                                    visible=False)
                result = gr.Markdown("", elem_id=f"cdt-calc-{calculator.name}-result")
                prefill = gr.State("")
                self.calc_forms.append(_CalcForm(calculator, fields, run, ask, result, prefill))

    def _status(self) -> None:
        self.status_view = gr.Markdown(self.status_markdown, elem_id="cdt-status")
        with gr.Row():
            self.refresh = gr.Button("Actualiser", size="sm", elem_id="cdt-status-refresh")
            self.export = gr.Button("Exporter les avis (JSONL et CSV)", size="sm", elem_id="cdt-feedback-export")
        self.export_files = gr.File(label="Avis exportés", file_count="multiple", interactive=False,
                                    elem_id="cdt-feedback-files")

    # --- events ----------------------------------------------------------------------------------
    def _wire(self) -> None:
        chat_outputs = [self.chatbot, self.messages, self.turns, self.records, self.question, self.chips,
                        self.notice, self.rescrit, self.last_answer]
        chat_inputs = [self.question, self.messages, self.turns, self.records, self.convention]
        heavy = {"concurrency_id": "assistant", "concurrency_limit": ASSISTANT_CONCURRENCY}
        self.send.click(self.respond, chat_inputs, chat_outputs, api_name="ask", **heavy)
        self.question.submit(self.respond, chat_inputs, chat_outputs, api_visibility="private", **heavy)
        self.chatbot.example_select(_example_text, None, self.question, queue=False,
                                    api_visibility="private").then(
            self.respond, chat_inputs, chat_outputs, api_visibility="private", **heavy)
        self.chatbot.like(self.on_feedback, [self.records], [self.notice], api_visibility="private")
        self.reset.click(self.new_conversation, None,
                         [*chat_outputs, self.panel], queue=False, api_visibility="private")
        self.chatbot.clear(self.new_conversation, None, [*chat_outputs, self.panel], queue=False,
                           api_visibility="private")  # the chat's own trash button
        self.copy.click(None, [self.last_answer], None, js=_COPY_JS, api_visibility="private")
        self.header.click(self.on_link, None, [self.panel, self.lookup_view, self.plan_view, self.tabs, self.conv_article],
                          api_visibility="private")
        choose = {"fn": self.choose_convention, "inputs": [self.convention_input],
                  "outputs": [self.convention, self.convention_status]}  # a lookup in the directory: fast
        self.convention_button.click(api_name="choose_convention", **choose)
        self.convention_input.submit(api_visibility="private", **choose)
        show = {"fn": self.show_convention, "inputs": [self.conv_input], "outputs": [self.conv_plan, self.conv_article],
                **heavy}
        self.conv_button.click(api_name="convention_plan", **show)
        self.conv_input.submit(api_visibility="private", **show)

        lookup = {"fn": self.lookup, "inputs": [self.lookup_input],
                  "outputs": [self.lookup_view, self.plan_view], **heavy}
        self.lookup_button.click(api_name="lookup", **lookup)
        self.lookup_input.submit(api_visibility="private", **lookup)

        for form in self.calc_forms:
            components = [c for _, c in form.fields]
            form.run.click(form.compute(self), components, [form.result, form.prefill, form.ask],
                           validator=form.validate, api_name=f"calc_{form.calculator.name.replace('-', '_')}")
            form.ask.click(_to_chat, [form.prefill], [self.question, self.tabs], queue=False,
                           api_visibility="private")

        self.refresh.click(self.status_markdown, None, self.status_view, queue=False, api_visibility="private")
        self.export.click(self.export_feedback, None, self.export_files, api_visibility="private")

    # --- discussion ------------------------------------------------------------------------------
    def respond(self, question: str, messages: list[dict[str, Any]], turns: list[Turn],
                records: list[dict[str, Any] | None], idcc: int | None = None,
                ) -> Iterator[dict[gr.components.Component, Any]]:
        question = mend_surrogates(question or "")[0].strip()  # broken pasted text would break the session's stream
        if not question:
            yield {self.notice: render.notice_html(EMPTY_QUESTION, "warning"), self.question: ""}
            return
        messages = [*messages, {"role": "user", "content": render.user_markdown(question)},
                    {"role": "assistant", "content": "*Recherche dans le Code du travail…*"}]
        records = [*records, None, None]
        yield {self.chatbot: messages, self.messages: messages, self.records: records, self.question: "",
               self.notice: "", self.chips: "", self.rescrit: gr.DownloadButton(visible=False)}
        draft = ""
        try:
            chosen = self._chosen(idcc)
            for item in within(self.assistant.stream(question, list(turns), convention=chosen),
                               self.config.request_timeout_s, self.workers):
                if isinstance(item, str):
                    draft += item
                    messages = [*messages[:-1], {"role": "assistant", "content": render.draft_markdown(draft)}]
                    yield {self.chatbot: messages}
                    continue
                answer, turn = item
                shown = convention_render.link_citations(render.answer_markdown(answer), answer)
                messages = [*messages[:-1], {"role": "assistant", "content": shown}]
                records = [*records[:-1], self._record(answer)]
                yield {self.chatbot: messages, self.messages: messages, self.records: records,
                       self.turns: [*turns, turn], self.chips: render.citation_chips(render.cited_articles(answer)),
                       self.rescrit: self._rescrit_button(answer), self.last_answer: answer.text}
        except CorpusError as error:
            messages = [*messages[:-1], {"role": "assistant",
                                         "content": f"**Erreur** : {render.safe_markdown(str(error))}"}]
            yield {self.chatbot: messages, self.messages: messages}
        except RequestTimeout as error:
            log.warning("question abandonnée après %g s : %r", error.seconds, question[:200])
            messages = [*messages[:-1], {"role": "assistant", "content": (
                f"**Délai dépassé** : {error}. La réponse est abandonnée ; reformulez ou réessayez plus tard "
                "(le service est peut-être très sollicité).")}]
            yield {self.chatbot: messages, self.messages: messages}
        except Exception:  # never a stack trace in the page: the log keeps it
            log.exception("question en échec : %r", question)
            messages = [*messages[:-1], {"role": "assistant", "content": (
                "**Erreur inattendue** : la réponse n'a pas pu être produite. Réessayez ; si l'erreur persiste, "
                "signalez-la avec votre question.")}]
            yield {self.chatbot: messages, self.messages: messages}

    def _record(self, answer: Answer) -> dict[str, Any]:
        return {"question": answer.question, "standalone_question": answer.standalone, "answer": answer.text,
                "articles": render.cited_articles(answer), "mode": answer.mode,
                "corpus_date": answer.corpus_date.isoformat() if answer.corpus_date else None}

    def _rescrit_button(self, answer: Answer) -> Any:
        if not answer.rescrit:
            return gr.DownloadButton(visible=False)
        target = self.files / f"brouillon-rescrit-{uuid.uuid4().hex[:8]}.md"
        target.write_text(answer.rescrit, encoding="utf-8")
        return gr.DownloadButton(value=str(target), visible=True)

    def new_conversation(self) -> dict[gr.components.Component, Any]:
        return {self.chatbot: [], self.messages: [], self.turns: [], self.records: [], self.question: "",
                self.chips: "", self.notice: render.notice_html("Nouvelle conversation : posez votre question.", "ok"),
                self.rescrit: gr.DownloadButton(visible=False), self.last_answer: "", self.panel: PANEL_HINT}

    def on_feedback(self, records: list[dict[str, Any] | None], like: gr.LikeData,
                    request: gr.Request) -> str:
        index = like.index if isinstance(like.index, int) else like.index[0]
        record = records[index] if 0 <= index < len(records) else None
        if record is None:
            return render.notice_html("Cette réponse ne peut pas être évaluée.", "warning")
        session = getattr(request, "session_hash", None) or "inconnue"
        if like.liked is True or like.liked is False:
            self.feedback.record(session=session, message_index=index, rating=1 if like.liked else -1, **record)
            return render.notice_html("Merci : votre avis sur cette réponse est enregistré.", "ok")
        self.feedback.withdraw(session, index)
        return render.notice_html("Votre avis sur cette réponse est retiré.", "ok")

    def on_link(self, event: gr.EventData) -> tuple[Any, Any, Any, Any, Any]:
        """A link of the page: an article opens beside the chat (Discussion) or in the lookup (elsewhere); a
        convention's article beside the chat, or in « Conventions collectives »."""
        data = getattr(event, "_data", None) or {}
        link = render.parse_link(data)
        if link is None:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        kind, target = link
        consulter = gr.Tabs(selected="consulter")
        if kind == "convention":
            shown = self._convention_article(target)
            if data.get("scope") == "discussion":
                return shown, gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return gr.skip(), gr.skip(), gr.skip(), gr.Tabs(selected="conventions"), shown
        if kind == "node":
            return gr.skip(), gr.skip(), self.plan.html(target), consulter, gr.skip()
        if data.get("scope") == "discussion":
            return self._article(target), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        try:
            article = self.store.get(target)
        except CorpusError as error:
            return gr.skip(), render.message_html(str(error), "alert"), gr.skip(), consulter, gr.skip()
        return (gr.skip(), render.article_html(self.store, article, self.plan), self._plan_at(article.key), consulter,
                gr.skip())

    # --- conventions collectives -----------------------------------------------------------------
    def choose_convention(self, words: str) -> tuple[Any, str]:
        """The convention for this conversation (kept when the words designate none: the user is told why)."""
        words = mend_surrogates(words or "")[0].strip()
        library = self.assistant.conventions
        if library is None:
            return gr.skip(), render.notice_html("Les conventions collectives ne sont pas disponibles ici.", "warning")
        if not words:
            return None, render.notice_html("Aucune convention collective : les réponses viennent du seul Code du "
                                            "travail.", "ok")
        choice = library.directory.choose(words)
        return (choice.convention.idcc if choice.convention else gr.skip()), convention_render.choice_html(choice)

    def show_convention(self, words: str) -> tuple[str, str]:
        """« Conventions collectives »: the plan of the convention the words designate, or the candidates."""
        words = mend_surrogates(words or "")[0].strip()
        library = self.assistant.conventions
        if library is None:
            return render.message_html("Les conventions collectives ne sont pas disponibles ici.", "alert"), ""
        if not words:
            return CONVENTIONS_HINT, ""
        choice = library.directory.choose(words)
        if choice.convention is None:
            return convention_render.choice_html(choice), ""
        if not choice.convention.has_text:
            return convention_render.missing_text_html(choice.convention), ""
        try:
            convention = library.searcher(choice.convention).convention
        except CorpusError as error:
            return render.message_html(str(error), "alert"), ""
        notice = f'<p class="cdt-hint">{render.esc(choice.message)}</p>' if choice.message else ""
        return notice + convention_render.plan_html(convention), ""

    def _chosen(self, idcc: int | None) -> ConventionInfo | None:
        library = self.assistant.conventions
        return library.by_idcc(idcc) if library is not None and idcc is not None else None

    def _convention_article(self, target: str) -> str:
        found = convention_render.parse_target(target)
        info = self._chosen(found[0]) if found else None
        if found is None or info is None or not info.has_text:
            return render.message_html("Article de convention collective introuvable.", "alert")
        library = self.assistant.conventions
        assert library is not None
        convention = library.searcher(info).convention
        article = next((a for a in convention.articles if a.id == found[1]), None)
        if article is None:
            return render.message_html(f"Article {found[1]} introuvable dans l'IDCC {info.idcc}.", "alert")
        return convention_render.article_html(convention, article, library.source)

    # --- lookup ----------------------------------------------------------------------------------
    def lookup(self, text: str) -> tuple[str, Any]:
        text = mend_surrogates(text or "")[0].strip()  # the text is shown again with the results
        if not text:
            return render.message_html("Tapez un numéro d'article (L5212-2, l. 5212-2, R5122-18…) ou des mots."), gr.skip()
        number = try_normalize_number(text)
        try:  # a number in any spelling, else a key or an annex's label; other words are searched
            article = self.store.get(number) if number is not None else self.store.find(text)
        except UnknownArticle as error:
            return render.unknown_article_html(self.store, str(number), str(error)), gr.skip()
        if article is not None:
            return render.article_html(self.store, article, self.plan), self._plan_at(article.key)
        try:
            result = self.assistant.searcher.search(text, k=10)
        except CorpusError as error:
            return render.message_html(str(error), "alert"), gr.skip()
        return render.search_results_html(text, result.hits, result.notices), gr.skip()

    def _article(self, key: str) -> str:
        try:
            return render.article_html(self.store, self.store.get(key), self.plan)
        except CorpusError as error:
            return render.message_html(str(error), "alert")

    def _plan_at(self, key: str | None) -> Any:
        node = self.plan.node_of_article(key) if key else None
        return self.plan.html(node.id, current_article=key) if node else gr.skip()

    # --- status and feedback export ---------------------------------------------------------------
    def status_markdown(self) -> str:
        assistant = self.assistant
        store, searcher = assistant.store, assistant.searcher
        date = store.consolidation_date.strftime("%d/%m/%Y") if store.consolidation_date else "inconnue"
        counts = store.counts()
        parts = ", ".join(f"{name} : {count}" for name, count in counts["in_force_by_part"].items())
        statuses = status_counts(counts["by_status"])
        settings = self.config.index_settings or IndexSettings.from_env()
        try:
            manifest = check_index(store, settings)
            index = f"à jour (construit le {manifest.get('built_at', '?')}, {manifest.get('chunks', '?')} segments)"
        except CorpusError as error:
            manifest = {}
            index = f"à reconstruire : {error}"
        dense = getattr(searcher, "dense", None)
        embedder = getattr(dense, "embedder", None)
        runtime = getattr(embedder, "runtime", None)
        search_mode = ("hybride (lexicale BM25 + vectorielle)" if searcher.mode == "hybrid"
                       else "lexicale seule (modèle d'embeddings indisponible)")
        mode = assistant.mode
        answering = ("extractif, hors ligne : citations verbatim des articles, sans modèle de langue"
                     if mode == "extractif" else f"modèle de langue configuré ({mode[len('llm:'):]}), citations vérifiées")
        votes = self.feedback.counts()
        lines = [
            "### Corpus",
            f"- Source : {render.safe_markdown(store.source)}",
            f"- Consolidé au : **{date}**",
            f"- Fichier : `{store.official_path.name}`",
            f"- Articles en vigueur par partie : {parts}",
            f"- Articles par statut : {statuses}",
            f"- Exports importés : {len(store.exports)}",
            "### Index de recherche",
            f"- Dossier : `{settings.index_dir}`",
            f"- État : {render.safe_markdown(index)}",
            f"- Génération en service : `{searcher.generation or '?'}`{self._switch_line()}",
            f"- Recherche : {search_mode}",
            f"- Modèle d'embeddings : {render.safe_markdown(str(manifest.get('model') or model_name(settings)))}",
            f"- Encodage (questions, documents) : {runtime or 'sans objet'}",
            "### Réponses",
            f"- Mode : **{render.safe_markdown(answering)}**",
            f"- Questions traitées en même temps : {ASSISTANT_CONCURRENCY} au plus ; file d'attente : "
            f"{QUEUE_MAX_SIZE} au plus",
            "### Avis des utilisateurs",
            f"- Utile : {votes['utile']} · Pas utile : {votes['pas_utile']}",
            f"- Base : `{self.feedback.path}`",
        ]
        warnings = self.live.warnings if self.live.last_switch else self.config.warnings
        if searcher.index_slice is not None:  # of the index answering now (a switch to a whole one clears it)
            warnings = [searcher.index_slice.notice, *warnings]
        if warnings:
            lines += ["### Avertissements", *(f"- {render.safe_markdown(w)}" for w in warnings)]
        return "\n".join(lines)

    def _switch_line(self) -> str:
        switch = self.live.last_switch
        if switch is None:
            return ""
        at = dt.datetime.fromtimestamp(switch.at).strftime("%d/%m/%Y %H:%M:%S")
        if switch.error:
            return (f" (nouvel index `{switch.generation}` refusé le {at}, l'ancien reste en service : "
                    f"{render.safe_markdown(switch.error)})")
        return f" (mise en service le {at}, sans interruption)"

    def export_feedback(self) -> list[str]:
        stamp = uuid.uuid4().hex[:8]
        jsonl = self.feedback.export_jsonl(self.files / f"avis-{stamp}.jsonl")
        csv_file = self.feedback.export_csv(self.files / f"avis-{stamp}.csv")
        return [str(jsonl), str(csv_file)]


@dataclass
class _CalcForm:
    calculator: Calculator
    fields: list[tuple[str, Any]]
    run: Any
    ask: Any
    result: Any
    prefill: Any

    def values(self, raw: tuple[Any, ...]) -> dict[str, object]:
        values: dict[str, object] = {}
        for (name, _), value in zip(self.fields, raw):
            if value in (None, "", _UNSET) or (isinstance(value, str) and not value.strip()):
                continue
            values[name] = {"Oui": True, "Non": False}.get(value, value)
        return values

    def validate(self, *raw: Any) -> list[dict[str, Any]]:
        """Each field's own message: the calculator's InputError, or the question of a missing required input."""
        problems: dict[str, str] = {}
        values = self.values(raw)
        try:
            self.calculator.inputs.from_values(values, dt.date.today())
        except InputError as error:
            problems[error.field] = str(error)
        for name, _, spec in self.calculator.inputs.fields():
            if spec.required and name not in values and name not in problems:
                problems[name] = f"Champ obligatoire : {spec.question}"
        return [gr.validate(name not in problems, problems.get(name, "")) for name, _ in self.fields]

    def compute(self, page: Page) -> Any:
        def run(*raw: Any) -> tuple[str, str, Any]:
            values = self.values(raw)
            try:
                result = self.calculator.run(values, page.store, dt.date.today())  # the page is an edge
            except InputError as error:
                return render.input_error_markdown(str(error)), "", gr.Button(visible=False)
            except CorpusError as error:
                return f"**Calcul impossible** — {render.safe_markdown(str(error))}", "", gr.Button(visible=False)
            text = render.calculation_markdown(result, self.calculator.title, page.store.consolidation_date)
            return text, self._question(values), gr.Button(visible=True)
        return run

    def _question(self, values: dict[str, object]) -> str:
        given = [(self.calculator.inputs.spec_of(name).label, value) for name, value in values.items()]
        facts = " ; ".join(f"{label} : {render.form_value(value)}" for label, value in given)
        return f"{self.calculator.title} — {facts}. Que prévoit le Code du travail dans cette situation ?"


def _example_text(example: gr.SelectData) -> str:
    value = example.value
    return value.get("text", "") if isinstance(value, dict) else str(value)


def _to_chat(question: str) -> tuple[str, Any]:
    return question, gr.Tabs(selected="discussion")
