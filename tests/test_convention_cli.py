"""`cdt convention` as staff use it: list, the plan of a convention, one article with its text's status
and link, search within a convention (JSON contract); ambiguous or unavailable choices exit 1 and say why."""

from __future__ import annotations

import json

from click.testing import CliRunner

from ui.cli import cdt


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cdt, ["convention", *args])
    return result.exit_code, result.stdout, result.stderr


def test_list_gives_the_conventions_with_text_or_every_known_one() -> None:
    code, out, _ = run("list")
    assert code == 0 and len(out.splitlines()) == 50
    assert any(line.split()[0] == "1979" and "Hôtels, cafés, restaurants" in line and "580 085 salariés" in line
               for line in out.splitlines())
    code, out, _ = run("list", "--all", "--json")
    known = json.loads(out)
    assert code == 0 and len(known) == 393 and {"idcc", "id", "title", "short_title", "employees", "has_text"} == set(known[0])


def test_show_gives_the_plan_with_each_texts_status() -> None:
    code, out, _ = run("show", "Syntec")
    assert code == 0 and out.startswith("IDCC 1486 — Convention collective nationale des bureaux d'études")
    assert "Avenant n° 11 du 8 juillet 1993 relatif aux fins de chantier dans l'ingénierie [non étendu : ne s'applique " \
           "qu'aux employeurs adhérents d'une organisation signataire] — 5 articles" in out
    assert "\nTextes Salaires\n" in out


def test_show_opens_an_article_by_its_id_with_status_and_link() -> None:
    code, out, _ = run("show", "1486", "KALIARTI000005851848", "--json")
    article = json.loads(out)
    assert code == 0 and article["article"] == "Avenant n° 32 du 15 décembre 2005 relatif aux salaires (ETAM), article 1er"
    assert article["source"] == "convention" and article["idcc"] == 1486 and article["text_status"] == "étendu"
    assert article["url"] == ("https://www.legifrance.gouv.fr/conv_coll/id/KALIARTI000005851848/"
                              "?idConteneur=KALICONT000005635173")
    assert any("la valeur du point est fixée à 2,96 Euros" in p for p in article["paragraphs"])


def test_a_number_that_repeats_lists_the_articles_to_choose_from() -> None:
    code, _, err = run("show", "1486", "1er")
    assert code == 1 and "91 articles portent ce numéro dans l'IDCC 1486" in err
    assert "KALIARTI000044253023  Texte de base, article 1er" in err and "… et 71 autres" in err


def test_search_returns_the_contract_of_convention_results() -> None:
    code, out, _ = run("search", "hôtels cafés restaurants", "avantage en nature nourriture", "-k", "3", "--json")
    found = json.loads(out)
    assert code == 0 and found["idcc"] == 1979 and len(found["results"]) == 3
    first = found["results"][0]
    assert {"article", "source", "idcc", "id", "cid", "url", "text_status", "score", "snippet", "via"} == set(first)
    assert first["source"] == "convention" and first["id"].startswith("KALIARTI")
    scores = [r["score"] for r in found["results"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= score <= 1 for score in scores)
    # the rule on meals taken at work (Avenant n° 1 of 2004, article 17), found by BM25 and by the hybrid search
    meals = next(r for r in found["results"] if r["id"] == "KALIARTI000005826359")
    assert "repas" in meals["snippet"]


def test_an_ambiguous_or_unavailable_convention_exits_1_and_says_why() -> None:
    code, _, err = run("search", "BTP", "congés")
    assert code == 1 and "précisez laquelle" in err and "IDCC 2609 — Bâtiment ETAM" in err
    code, out, _ = run("show", "BTP", "--json")
    assert code == 1 and {c["idcc"] for c in json.loads(out)["candidates"]} >= {1596, 1597, 2420, 2609}
    code, _, err = run("search", "1747", "congés")
    assert code == 1 and "n'est pas disponible ici" in err
    code, _, err = run("show", "9999")
    assert code == 1 and "Aucune convention collective connue sous l'IDCC 9999" in err
