"""The web page as a person uses it, in headless Chromium, on the whole code (offline answers).

Each test leaves a screenshot of what it checked in build/screenshots/. The `page` fixture also
fails a test whose page tried to reach anything but 127.0.0.1 or opened a script dialog.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

from tests.e2e.conftest import Served, open_page, shot

OETH = "Nous avons 120 salariés depuis plus de cinq ans et employons 4 travailleurs handicapés. Sommes-nous en règle ?"
CORPUS_DATE = "27/03/2026"
PAYSLIP = "Que doit indiquer un bulletin de salaire ?"  # the sheets answer it
OVERTIME = "Comment sont payées les heures supplémentaires ?"  # an article close to it is only linked


def ask(page: Any, question: str, *, keyboard: bool = False) -> Any:
    """Type a question, send it, wait for the checked answer (it ends with the corpus date); return it."""
    answers = page.locator("#cdt-chat [data-testid='bot']")
    before = answers.count()
    box = page.locator("#cdt-question textarea")
    box.fill(question)
    if keyboard:
        box.press("Enter")
    else:
        page.locator("#cdt-send").click()
    answer = answers.nth(before)
    answer.get_by_text("consolidé au", exact=False).wait_for()
    return answer


def test_a_question_gets_a_cited_answer_with_the_corpus_date(page: Any) -> None:
    for audience in ("Salarié·e", "Employeur", "Agent France Travail"):  # one example per audience
        assert page.locator("#cdt-chat").get_by_text(audience, exact=False).is_visible()
    assert CORPUS_DATE in page.locator("#cdt-header").inner_text()  # visible before any question
    shot(page, "01-discussion-vide")
    answer = ask(page, OETH)
    text = answer.inner_text()
    assert "14 772,00 €" in text and f"consolidé au {CORPUS_DATE}" in text
    assert answer.locator("a[href='#cdt-article-L5212-2']").count() >= 1  # the citation is a link
    chips = page.locator("#cdt-citations a.cdt-chip")
    assert "L5212-2" in chips.all_inner_texts()
    assert CORPUS_DATE in page.locator("#cdt-header").inner_text()
    rescrit = page.locator("#cdt-rescrit")
    assert rescrit.is_visible()
    with page.expect_download() as download:
        rescrit.click()
    draft = Path(download.value.path()).read_text(encoding="utf-8")
    assert "## Exposé de la situation de fait" in draft and "L5112-1-1" in draft
    shot(page, "02-reponse-citee")


def test_a_citation_opens_the_article_beside_the_conversation(page: Any) -> None:
    ask(page, OETH)
    page.locator("#cdt-citations a.cdt-chip", has_text="L5212-2").click()
    panel = page.locator("#cdt-article-panel")
    panel.get_by_role("heading", name=re.compile("Article L5212-2")).wait_for()
    text = panel.inner_text()
    assert "proportion minimale de 6 %" in text  # the article's text
    assert "Obligation d'emploi" in text and "Version en vigueur depuis le" in text  # place, dates
    assert "Cité par" in text and "Article suivant" in text and "Cite :" in text
    assert CORPUS_DATE in text
    legifrance = panel.get_by_role("link", name=re.compile("Légifrance"))
    assert legifrance.get_attribute("href").startswith("https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI")
    assert legifrance.get_attribute("target") == "_blank"
    focused = page.evaluate("document.activeElement && document.activeElement.textContent")
    assert focused.startswith("Article L5212-2")  # keyboard users land on the opened article
    shot(page, "03-article-cite")
    # a citation inside the answer's text, then a link inside the panel (the next article)
    page.locator("#cdt-chat a[href='#cdt-article-D5212-20']").first.click()
    panel.get_by_role("heading", name=re.compile("Article D5212-20")).wait_for()
    panel.locator(".cdt-neighbours a.cdt-chip").last.click()
    panel.get_by_role("heading", name=re.compile("Article D5212-21")).wait_for()


def test_an_answer_opens_with_its_lead_shows_the_ministry_sheet_and_links_more_articles(page: Any) -> None:
    answer = ask(page, PAYSLIP)
    text = answer.inner_text()
    assert text.startswith("En bref") and text.index("En bref") < text.index("Ce que prévoit le Code du travail")
    card = answer.locator("a[href^='https://travail-emploi.gouv.fr/']")
    assert card.count() == 1 and card.inner_text().startswith("Fiche pratique du ministère du Travail : ")
    assert "mise à jour le" in text
    shot(page, "12-en-bref-et-fiche")
    answer = ask(page, OVERTIME)
    text = answer.inner_text()
    see_also = answer.locator("a[href^='#cdt-article-']").last  # « Voir aussi » comes after every citation
    key = see_also.get_attribute("href").removeprefix("#cdt-article-")
    assert "Voir aussi : " in text and key in text.split("Voir aussi : ", 1)[1]
    see_also.click()
    page.locator("#cdt-article-panel").get_by_role("heading", name=re.compile(f"Article {key}")).wait_for()
    shot(page, "13-voir-aussi-ouvre-l-article")


def test_lookup_of_r5122_18_and_its_place_in_the_plan(page: Any) -> None:
    page.get_by_role("tab", name="Consulter un article").click()
    box = page.locator("#cdt-lookup-input input, #cdt-lookup-input textarea").first
    view, plan = page.locator("#cdt-lookup-view"), page.locator("#cdt-plan")
    box.fill("R5122-18")
    page.locator("#cdt-lookup-button").click()
    view.get_by_role("heading", name=re.compile("Article R5122-18")).wait_for()
    assert "60 %" in view.inner_text() and "Cité par" in view.inner_text()
    # the plan opens on its section, the article marked as the current one
    section = "Chapitre II : Aide aux salariés placés en activité partielle"
    assert plan.locator("h3").inner_text() == section
    assert plan.locator("a[aria-current='true']").inner_text() == "R5122-18"
    shot(page, "04-consultation-R5122-18")
    # up the plan to the Partie, then down again level by level to the section
    plan.locator("nav a", has_text="Code du travail").click()
    for level in ("Partie réglementaire", "Cinquième partie : L'emploi", "Livre Ier : Les dispositifs en faveur de l'emploi",
                  "Titre II : Aides au maintien et à la sauvegarde de l'emploi", section):
        plan.locator("ul.cdt-plan-children").get_by_role("link", name=level, exact=True).click()
        plan.get_by_role("heading", name=level).wait_for()
    plan.locator("a.cdt-chip", has_text="R5122-19").click()
    view.get_by_role("heading", name=re.compile("Article R5122-19")).wait_for()
    shot(page, "05-plan-section")
    # other spellings, and an unknown number with its nearest neighbours
    box.fill("l. 5212-2")
    box.press("Enter")
    view.get_by_role("heading", name=re.compile("Article L5212-2")).wait_for()
    box.fill("L5212-99")
    box.press("Enter")
    view.get_by_text("n'existe pas dans le corpus").wait_for()
    assert view.locator("a.cdt-chip").count() >= 1
    box.fill("période d'essai")
    box.press("Enter")
    view.get_by_text("Articles trouvés pour").wait_for()


def test_a_convention_chosen_by_name_is_quoted_beside_the_code_and_its_article_opens(page: Any) -> None:
    page.locator("#cdt-convention-input input, #cdt-convention-input textarea").first.fill(
        "bureaux d'études techniques")
    page.locator("#cdt-convention-choose").click()
    page.locator("#cdt-convention-status").get_by_text("IDCC 1486", exact=False).wait_for()
    answer = ask(page, "Quelle est la durée de la période d'essai d'un cadre ?")
    text = answer.inner_text()
    assert text.index("Ce que prévoit le Code du travail") < text.index("Votre convention collective (IDCC 1486")
    assert "4 mois maximum" in text and "texte étendu" in text and "kali-data" in text
    shot(page, "14-convention-dans-la-reponse")
    answer.locator("a[href^='#cdt-convention-1486-']").first.click()
    panel = page.locator("#cdt-article-panel")
    panel.get_by_role("heading", name="IDCC 1486 — Texte de base, article 3.4").wait_for()
    assert "étendu" in panel.inner_text() and "coefficient 95 au coefficient 270" in panel.inner_text()
    legifrance = panel.get_by_role("link", name=re.compile("Légifrance"))
    assert legifrance.get_attribute("href").startswith("https://www.legifrance.gouv.fr/conv_coll/id/KALIARTI")
    shot(page, "15-article-de-convention")
    # staff browse a convention in its own tab: find it, open a text of its plan, read an article
    page.get_by_role("tab", name="Conventions collectives").click()
    page.locator("#cdt-conv-input input, #cdt-conv-input textarea").first.fill("HCR")
    page.locator("#cdt-conv-button").click()
    plan = page.locator("#cdt-conv-plan")
    plan.get_by_role("heading", name="IDCC 1979 — Hôtels, cafés, restaurants").wait_for()
    plan.locator("details summary").first.click()
    plan.locator("details a").first.click()
    page.locator("#cdt-conv-article").get_by_role("heading", name=re.compile("IDCC 1979 — ")).wait_for()
    shot(page, "16-convention-plan-et-article")


def test_oeth_form_gives_14_772_euros_with_its_sources(page: Any) -> None:
    page.get_by_role("tab", name="Calculateurs").click()
    form = page.locator("#cdt-calc-oeth")
    effectif = page.locator("#cdt-calc-oeth-effectif input, #cdt-calc-oeth-effectif textarea").first
    beneficiaires = page.locator("#cdt-calc-oeth-beneficiaires input, #cdt-calc-oeth-beneficiaires textarea").first
    years = page.locator("#cdt-calc-oeth-annees-seuil input, #cdt-calc-oeth-annees-seuil textarea").first
    effectif.fill("cent vingt")
    beneficiaires.fill("4")
    years.fill("5")  # at 20 employees or more for five consecutive years (L130-1 CSS): subject
    page.locator("#cdt-calc-oeth-run").click()
    form.get_by_text("nombre attendu, « cent vingt » reçu").wait_for()  # the calculator's own message, on the field
    shot(page, "06-calculateur-saisie-invalide")
    effectif.fill("120")
    page.locator("#cdt-calc-oeth-run").click()
    result = page.locator("#cdt-calc-oeth-result")
    result.get_by_text("14 772,00 €").first.wait_for()
    text = result.inner_text()
    assert "Calcul" in text and "Sources" in text and "L5212-2" in text
    shot(page, "07-calculateur-oeth")
    result.locator("a[href='#cdt-article-D5212-20']").first.click()  # a parameter's article, in the lookup tab
    page.locator("#cdt-lookup-view").get_by_role("heading", name=re.compile("Article D5212-20")).wait_for()
    page.get_by_role("tab", name="Calculateurs").click()
    page.locator("#cdt-calc-oeth-ask").click()  # back into the chat, the question prefilled
    question = page.locator("#cdt-question textarea")
    question.wait_for()
    assert "120" in question.input_value() and "obligation d'emploi" in question.input_value()
    assert page.get_by_role("tab", name="Discussion").get_attribute("aria-selected") == "true"


def test_an_empty_question_gets_a_helpful_message(page: Any) -> None:
    page.locator("#cdt-send").click()
    notice = page.locator("#cdt-chat-notice")
    notice.get_by_text("Écrivez d'abord votre question").wait_for()
    assert page.locator("#cdt-chat-notice[aria-live='polite'], #cdt-chat-notice [aria-live='polite']").count() == 1
    assert page.locator("#cdt-chat [data-testid='bot']").count() == 0
    shot(page, "08-question-vide")


def test_thumbs_up_stores_the_answer_in_sqlite(page: Any, served: Served) -> None:
    answer = ask(page, "Combien de jours de congés payés un salarié acquiert-il par mois ?")
    page.locator("#cdt-chat").get_by_role("button", name="J'aime").last.click()
    page.locator("#cdt-chat-notice").get_by_text("votre avis sur cette réponse est enregistré").wait_for()
    with sqlite3.connect(served.feedback_db) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        rows = db.execute("SELECT rating, question, answer, articles, corpus_date FROM feedback "
                          "WHERE question LIKE 'Combien de jours de congés payés%'").fetchall()
    assert len(rows) == 1
    rating, question, text, articles, corpus_date = rows[0]
    assert rating == 1 and "consolidé au" in text and corpus_date == "2026-03-27"
    assert "L3141-3" in json.loads(articles) and "L3141-3" in answer.inner_text()
    shot(page, "09-avis-enregistre")
    page.get_by_role("tab", name="État").click()
    page.locator("#cdt-status").get_by_text("Utile :", exact=False).wait_for()
    page.locator("#cdt-feedback-export").click()
    page.locator("#cdt-feedback-files").get_by_text(".jsonl").wait_for()
    shot(page, "10-etat")


def test_html_typed_in_a_question_is_shown_as_text_never_run(page: Any) -> None:
    typed = ('<img src=x onerror="window.cdtXss=1;alert(1)"> <script>window.cdtXss=2;alert(2)</script> '
             "congés payés")
    answer = ask(page, typed, keyboard=True)
    user = page.locator("#cdt-chat [data-testid='user']").last
    assert '<img src=x onerror="window.cdtXss=1;alert(1)">' in user.inner_text()
    assert "<script>window.cdtXss=2;alert(2)</script>" in user.inner_text()
    assert page.locator("#cdt-chat img[src='x']").count() == 0 and page.locator("#cdt-chat script").count() == 0
    assert page.evaluate("window.cdtXss") is None
    assert answer.is_visible()
    page.wait_for_timeout(500)  # an onerror handler would have fired by now
    assert page.watched.dialogs == []
    user.scroll_into_view_if_needed()
    shot(page, "11-html-affiche-comme-texte")


def test_phone_width_screen(browser: Any, served: Served) -> None:
    context, page, watched = open_page(browser, served, width=390, height=844)
    try:
        ask(page, OETH)
        page.locator("#cdt-citations a.cdt-chip", has_text="L5212-2").click()
        page.locator("#cdt-article-panel").get_by_role("heading", name=re.compile("Article L5212-2")).wait_for()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"la page déborde en largeur : {width} px pour un écran de 390 px"
        shot(page, "12-telephone-390px")
        assert watched.outside == [] and watched.dialogs == []
    finally:
        context.close()


def test_new_conversation_and_copy(browser: Any, served: Served) -> None:
    context, page, watched = open_page(browser, served)
    try:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.url.rstrip("/"))
        ask(page, OETH)
        page.locator("#cdt-copy").click()
        page.locator("#cdt-copy-status").get_by_text("Réponse copiée").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("**En bref**") and "**Votre situation**" in copied and f"consolidé au {CORPUS_DATE}" in copied
        follow_up = ask(page, "Et si nous avions 300 salariés ?")  # the conversation carries the facts
        assert "86 170,00 €" in follow_up.inner_text()
        page.locator("#cdt-new").click()
        page.locator("#cdt-chat").get_by_text("Employeur —", exact=False).wait_for()  # the examples are back
        assert page.locator("#cdt-chat [data-testid='bot']").count() == 0
        assert not page.locator("#cdt-rescrit").is_visible()
        answer = ask(page, "Et si nous avions 300 salariés ?")  # no longer a follow-up: no OETH facts
        assert "86 170,00 €" not in answer.inner_text()
    finally:
        context.close()


_UNLABELLED = """() => [...document.querySelectorAll('input, textarea, select, button')]
  .filter((e) => e.offsetParent !== null && e.type !== 'hidden')
  .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')
                 && !(e.tagName === 'BUTTON' && e.innerText.trim()))
  .map((e) => e.outerHTML.slice(0, 120))"""


def _tab_to(page: Any, target: Any, presses: int = 150) -> None:
    """Press Tab, as a keyboard user does, until the focus is on `target` (a locator); fail if it never gets there."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("(element) => element === document.activeElement"):
            return
    raise AssertionError(f"{target} jamais atteint en {presses} appuis sur Tab")


def test_every_field_and_button_has_a_name_and_tabs_work_from_the_keyboard(page: Any) -> None:
    for tab in ("Discussion", "Consulter un article", "Conventions collectives", "Calculateurs", "État"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(300)
        assert page.evaluate(_UNLABELLED) == [], tab
    page.get_by_role("tab", name="Discussion").click()  # from here on, the keyboard only
    lookup_tab = page.get_by_role("tab", name="Consulter un article")
    _tab_to(page, lookup_tab)
    page.keyboard.press("Enter")
    assert lookup_tab.get_attribute("aria-selected") == "true"
    _tab_to(page, page.locator("#cdt-lookup-input input, #cdt-lookup-input textarea").first)
    page.keyboard.type("R5122-18")
    page.keyboard.press("Enter")
    page.locator("#cdt-lookup-view").get_by_role("heading", name=re.compile("Article R5122-18")).wait_for()
    _tab_to(page, page.locator("#cdt-lookup-view .cdt-neighbours a.cdt-chip").last)
    page.keyboard.press("Enter")  # a link of the page, followed from the keyboard
    page.locator("#cdt-lookup-view").get_by_role("heading", name=re.compile("Article R5122-19")).wait_for()
