"""Chat extraction: questions as users write them, the calculator recognised and the inputs read;
follow-ups across turns; and the extracted inputs computing the expected figure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assistant.calculators.extraction import (
    Extraction, asks_for_result, calls_for_calculation, detect_calculator, extract, extract_retold, to_number,
)
from assistant.calculators.registry import CALCULATORS, get_calculator
from corpus.store import ArticleStore
from tests.conftest import TODAY

D = dt.date

PHRASINGS = [
    # --- OETH
    ("120 salariés, 4 travailleurs handicapés dont 2 de plus de 50 ans : combien devons-nous au titre de l'OETH ?",
     "oeth", {"effectif": 120, "beneficiaires": 4, "beneficiaires_50_ans": 2}),
    ("Nous sommes une PME de 120 salariés avec 4 travailleurs handicapés, combien va-t-on payer à l'Agefiph ?",
     "oeth", {"effectif": 120, "beneficiaires": 4}),
    ("Effectif de 250, on emploie 3 salariés RQTH. Quelle contribution OETH pour 2025 ?",
     "oeth", {"effectif": 250, "beneficiaires": 3, "date": D(2025, 12, 31)}),
    ("On a 45 salariés et aucun travailleur handicapé, combien on doit pour l'obligation d'emploi ?",
     "oeth", {"effectif": 45, "beneficiaires": 0}),
    ("Entreprise de 800 personnes, 20 bénéficiaires de l'obligation d'emploi dont 5 ont plus de 50 ans, contribution ?",
     "oeth", {"effectif": 800, "beneficiaires": 20, "beneficiaires_50_ans": 5}),
    ("19 salariés et deux personnes en situation de handicap, sommes-nous concernés par l'OETH ?",
     "oeth", {"effectif": 19, "beneficiaires": 2}),
    ("Aucune embauche de travailleur handicapé depuis plus de 3 ans, 60 salariés, 0 BOETH : combien pour l'OETH ?",
     "oeth", {"effectif": 60, "beneficiaires": 0, "aucune_action_3_ans": True}),
    ("Contribution handicap : 130 salariés, 5 travailleurs handicapés, tous ont plus de 50 ans",
     "oeth", {"effectif": 130, "beneficiaires": 5, "beneficiaires_50_ans": 5}),
    ("OETH au titre de 2024 : 300 salariés, 10 travailleurs handicapés, 20 000 € de contrats avec un ESAT",
     "oeth", {"effectif": 300, "beneficiaires": 10, "date": D(2024, 12, 31), "contrats_sous_traitance": 20000}),
    ("Nous avons 85 salariés et nous employons 2 travailleurs handicapés dont un de 55 ans, combien devons-nous "
     "payer au titre de l'OETH ?", "oeth", {"effectif": 85, "beneficiaires": 2, "beneficiaires_50_ans": 1}),
    ("Nous avons 120 salariés depuis plus de cinq ans et employons 4 travailleurs handicapés. Sommes-nous en règle ?",
     "oeth", {"effectif": 120, "beneficiaires": 4, "annees_seuil": 6}),
    ("OETH : 25 salariés, trois ans consécutifs au-dessus de 20, aucun travailleur handicapé",
     "oeth", {"effectif": 25, "beneficiaires": 0, "annees_seuil": 3}),
    ("OETH : 85 salariés, deux travailleurs handicapés dont un de cinquante-deux ans",
     "oeth", {"effectif": 85, "beneficiaires": 2, "beneficiaires_50_ans": 1}),
    ("OETH : 85 salariés, 2 travailleurs handicapés ; l'un d'eux a 57 ans",
     "oeth", {"effectif": 85, "beneficiaires": 2, "beneficiaires_50_ans": 1}),
    # a younger age says nothing of the other beneficiaries: not read, so the calculator asks
    ("OETH : 85 salariés, 2 travailleurs handicapés dont un de 45 ans",
     "oeth", {"effectif": 85, "beneficiaires": 2}),
    ("quelle contribution agefiph pour une boite de 75 salariés avec un seul salarié handicapé ?",
     "oeth", {"effectif": 75}),
    # --- Activité partielle
    ("Un salarié en activité partielle a une rémunération horaire brute de référence de 20 euros. Combien doit-il "
     "toucher par heure chômée ?", "activite-partielle", {"remuneration_horaire": 20}),
    ("Nous sommes en APLD, taux horaire de 18 €, combien verser pour 20 heures chômées ?",
     "activite-partielle", {"longue_duree": True, "remuneration_horaire": 18, "heures": 20}),
    # --- Indemnité de fin de mission (intérim)
    ("Quelle indemnité de fin de mission pour un intérimaire payé 3 000 € au total ?",
     "indemnite-fin-mission", {"remuneration_totale": 3000}),
    ("Fin de mon intérim : j'ai touché 2 000 € en tout, l'entreprise utilisatrice m'embauche en CDI",
     "indemnite-fin-mission", {"remuneration_totale": 2000, "cdi_entreprise_utilisatrice": True}),
    ("Activité partielle : le salarié touche 20 € de l'heure, pour 35 heures chômées, combien lui verser ?",
     "activite-partielle", {"remuneration_horaire": 20, "heures": 35}),
    ("Combien l'Etat rembourse en chômage partiel pour un salarié payé 15,50 € brut de l'heure ?",
     "activite-partielle", {"remuneration_horaire": Decimal("15.50")}),
    ("chômage technique : taux horaire de 25 euros, 70h non travaillées ce mois-ci",
     "activite-partielle", {"remuneration_horaire": 25, "heures": 70}),
    ("Indemnité d'activité partielle d'un apprenti payé 9 €/h pour 20 heures ?",
     "activite-partielle", {"remuneration_horaire": 9, "heures": 20, "apprenti": True}),
    ("Demande d'activité partielle envoyée le 2 mars 2026, quand est-elle acceptée si la DDETS ne répond pas ?",
     "activite-partielle", {"demande": D(2026, 3, 2)}),
    ("Salarié à temps partiel en activité partielle, 14 € de l'heure, 10 heures le 15 mars 2026",
     "activite-partielle", {"remuneration_horaire": 14, "heures": 10, "interimaire_ou_temps_partiel": True,
                            "date": D(2026, 3, 15)}),
    ("APLD : 30 € bruts de l'heure, 40 heures dont 8 heures de formation, net 23 € nets de l'heure",
     "activite-partielle", {"longue_duree": True, "remuneration_horaire": 30, "heures": 40, "heures_formation": 8,
                            "remuneration_nette_horaire": 23}),
    ("Activité partielle : 30 € bruts de l'heure, 40 heures dont 8 heures de formation, net 23 € nets de l'heure",
     "activite-partielle", {"remuneration_horaire": 30, "heures": 40, "heures_formation": 8,
                            "remuneration_nette_horaire": 23}),
    # --- Indemnité de licenciement
    ("J'ai été embauché le 3 mars 2019 et licencié le 15 septembre 2025, je gagnais 2 500 € bruts par mois. "
     "Quelle indemnité ?",
     "indemnite-licenciement", {"entree": D(2019, 3, 3), "notification": D(2025, 9, 15), "salaire_reference": 2500}),
    ("Quelle indemnité de licenciement pour 3 ans d'ancienneté et un salaire de 2000 euros ?",
     "indemnite-licenciement", {"anciennete_mois": 36, "salaire_reference": 2000}),
    ("Je suis licenciée après 12 ans et 4 mois dans l'entreprise, salaire brut mensuel 3 200 €",
     "indemnite-licenciement", {"anciennete_mois": 148, "salaire_reference": 3200}),
    ("licenciement pour faute grave avec 10 ans d'ancienneté, ai-je droit à une indemnité ?",
     "indemnite-licenciement", {"anciennete_mois": 120, "faute_grave": True}),
    ("Licenciement pour inaptitude suite à un accident du travail, 5 ans d'ancienneté, 1 900 € par mois",
     "indemnite-licenciement", {"anciennete_mois": 60, "salaire_reference": 1900, "inaptitude_professionnelle": True}),
    ("Mon employeur veut me licencier, j'ai 8 mois d'ancienneté et je touche 1 801,80 € bruts mensuels",
     "indemnite-licenciement", {"anciennete_mois": 8, "salaire_reference": Decimal("1801.80")}),
    ("Licencié pour motif économique, entré le 1er janvier 2015, sortie le 31 mars 2026, moyenne des 12 derniers "
     "mois 2 400 €, des 3 derniers mois 2 650 €",
     "indemnite-licenciement", {"entree": D(2015, 1, 1), "sortie": D(2026, 3, 31), "moyenne_12_mois": 2400,
                                "moyenne_3_mois": 2650, "faute_grave": False}),
    ("Inapte d'origine non professionnelle, licencié avec un an et demi d'ancienneté, je gagne 2100 euros",
     "indemnite-licenciement", {"anciennete_mois": 18, "salaire_reference": 2100, "inaptitude_professionnelle": False}),
    ("Indemnité de licenciement : 5 ans d'ancienneté dont 12 mois d'arrêt suite à un accident du travail, salaire de "
     "référence 2 000 €",
     "indemnite-licenciement", {"anciennete_mois": 60, "arret_professionnel_mois": 12, "salaire_reference": 2000}),
    ("Quelle indemnité de licenciement pour 10 ans dont 12 mois de congé parental à temps plein, salaire de 2 500 € ?",
     "indemnite-licenciement", {"anciennete_mois": 120, "conge_parental_mois": 12, "salaire_reference": 2500}),
    ("Licencié pour inaptitude après huit mois d'arrêt suite à une maladie professionnelle, six ans d'ancienneté, "
     "1 900 € par mois", "indemnite-licenciement",
     {"arret_professionnel_mois": 8, "anciennete_mois": 72, "salaire_reference": 1900, "inaptitude_professionnelle": True}),
    ("Indemnité de licenciement : 10 ans d'ancienneté, 6 mois d'arrêt maladie, 2 000 € par mois",
     "indemnite-licenciement", {"anciennete_mois": 120, "absences_mois": 6, "salaire_reference": 2000}),
    ("Indemnité de licenciement : 10 ans d'ancienneté, d'abord à temps plein puis à temps partiel, 1 500 € par mois",
     "indemnite-licenciement", {"anciennete_mois": 120, "temps_complet_et_partiel": True, "salaire_reference": 1500}),
    ("Indemnité légale de licenciement : 42 ans d'ancienneté, 2 500 € brut par mois, dont 6 mois de congé parental",
     "indemnite-licenciement", {"anciennete_mois": 504, "salaire_reference": 2500, "conge_parental_mois": 6}),
    ("Je licencie un salarié avec 6 ans d'ancienneté et 3000 euros de salaire",
     "indemnite-licenciement", {"anciennete_mois": 72, "salaire_reference": 3000}),
    # An annual amount is not the monthly reference salary (it would make the indemnity 12 times too high)
    ("Indemnité de licenciement : 6 ans d'ancienneté, un salaire de 36 000 € par an",
     "indemnite-licenciement", {"anciennete_mois": 72}),
    ("Indemnité de licenciement : 6 ans d'ancienneté, je gagne 30 000 euros bruts annuels",
     "indemnite-licenciement", {"anciennete_mois": 72}),
    ("Indemnité de licenciement : 6 ans d'ancienneté, 36 000 € de salaire annuel",
     "indemnite-licenciement", {"anciennete_mois": 72}),
    # A net amount is not the gross reference salary (read as one, the indemnity came out about a fifth too low)
    ("Je suis licencié après 6 ans d'ancienneté, je gagne 2 000 euros nets par mois, quelle indemnité ?",
     "indemnite-licenciement", {"anciennete_mois": 72}),
    ("Indemnité de licenciement : 6 ans d'ancienneté, un salaire de 2 000 € net",
     "indemnite-licenciement", {"anciennete_mois": 72}),
    ("Indemnité de licenciement : 6 ans d'ancienneté, un salaire de 2 000 € nets, soit 2 560 € bruts par mois",
     "indemnite-licenciement", {"anciennete_mois": 72, "salaire_reference": 2560}),
    # --- Rupture conventionnelle
    ("Rupture conventionnelle signée le 10 mars 2026, 5 ans d'ancienneté, salaire de 3000 euros",
     "rupture-conventionnelle", {"anciennete_mois": 60, "signature": D(2026, 3, 10), "salaire_reference": 3000}),
    ("Quel montant minimum pour une rupture conventionnelle avec 6 mois d'ancienneté à 2 000 € bruts par mois ?",
     "rupture-conventionnelle", {"anciennete_mois": 6, "salaire_reference": 2000}),
    ("Jusqu'à quand puis-je me rétracter ? convention signée le 13/03/2026",
     "rupture-conventionnelle", {"signature": D(2026, 3, 13)}),
    ("rupture conventionnelle : embauchée le 1er septembre 2020, départ le 30 juin 2026, je gagne 2 800 €",
     "rupture-conventionnelle", {"entree": D(2020, 9, 1), "sortie": D(2026, 6, 30), "salaire_reference": 2800}),
    # --- Préavis
    ("Quel préavis pour un salarié avec 3 ans d'ancienneté reconnu travailleur handicapé ?",
     "preavis-licenciement", {"anciennete_mois": 36, "travailleur_handicape": True}),
    ("Je suis licencié, j'ai 5 mois d'ancienneté, combien de temps de préavis ?",
     "preavis-licenciement", {"anciennete_mois": 5}),
    ("Durée du préavis de licenciement après 18 mois dans l'entreprise ?",
     "preavis-licenciement", {"anciennete_mois": 18}),
    ("préavis : salarié RQTH, ancienneté de 1 an, licenciement pas pour faute grave",
     "preavis-licenciement", {"anciennete_mois": 12, "travailleur_handicape": True, "faute_grave": False}),
    ("Licenciement pour faute lourde après 4 ans de maison, y a-t-il un préavis ?",
     "preavis-licenciement", {"anciennete_mois": 48, "faute_grave": True}),
    # --- Indemnité de fin de contrat
    ("Mon CDD se termine, j'ai perçu 3 000 € bruts au total, j'ai droit à la prime de précarité ?",
     "indemnite-fin-contrat", {"remuneration_totale": 3000}),
    ("Fin de CDD : rémunération totale brute de 14 500 €, on me propose un CDI que je refuse",
     "indemnite-fin-contrat", {"remuneration_totale": 14500, "refus_cdi": True}),
    ("Job d'été en CDD pendant mes vacances scolaires, 1 800 € en tout, prime de précarité ?",
     "indemnite-fin-contrat", {"remuneration_totale": 1800, "jeune_vacances": True}),
    ("CDD saisonnier de 4 mois, 7 200 € bruts au total, indemnité de fin de contrat ?",
     "indemnite-fin-contrat", {"remuneration_totale": 7200, "saisonnier_ou_usage": True}),
    ("Mon CDD est suivi d'un CDI, ai-je droit à l'indemnité de précarité ?",
     "indemnite-fin-contrat", {"poursuite_cdi": True}),
    ("J'ai démissionné avant la fin de mon CDD, j'avais gagné 5 000 € au total, prime de précarité ?",
     "indemnite-fin-contrat", {"remuneration_totale": 5000, "rupture_anticipee": True}),
    # --- CEJ
    ("J'ai 22 ans, je ne suis ni étudiant ni en formation, puis-je avoir le contrat d'engagement jeune ?",
     "cej-eligibilite", {"age": 22, "etudiant": False, "en_formation": False}),
    ("Je suis né le 12 mai 1999, j'ai une RQTH, suis-je éligible au CEJ ?",
     "cej-eligibilite", {"naissance": D(1999, 5, 12), "rqth": True}),
    ("Mon fils de 17 ans est étudiant, peut-il signer un contrat d'engagement jeune ?",
     "cej-eligibilite", {"age": 17, "etudiant": True}),
    ("CEJ : née le 03/02/2001, j'ai arrêté mes études, pas en formation",
     "cej-eligibilite", {"naissance": D(2001, 2, 3), "etudiant": False, "en_formation": False}),
]


@pytest.mark.parametrize(("text", "calculator", "inputs"), PHRASINGS, ids=[str(i) for i in range(len(PHRASINGS))])
def test_phrasing(text: str, calculator: str, inputs: dict) -> None:
    found = extract(text)
    assert found.calculator == calculator
    assert found.inputs == inputs


def test_the_phrasings_cover_every_calculator_of_the_registry() -> None:
    """Against the registry, not a list of this file: with test_phrasing, every calculator is reachable from chat,
    and one added without phrasings fails here."""
    assert len(PHRASINGS) >= 40
    assert {name for _, name, _ in PHRASINGS} == set(CALCULATORS)


@pytest.mark.parametrize(("text", "asked"), [
    ("Mon employeur peut-il me licencier pendant un arrêt maladie ?", False),
    ("Quelle est la durée maximale d'un CDD ?", False),
    ("Un salarié handicapé peut-il demander un aménagement de poste ?", False),
    ("Quelle indemnité de licenciement pour 5 ans d'ancienneté ?", True),
    ("Combien toucherai-je à la fin de mon CDD ?", True),
    ("Quel est le préavis d'un licenciement ?", True),
    ("Combien de travailleurs handicapés doit-on employer ?", True),
    ("Quel taux d'indemnisation en activité partielle ?", True),
    # a delay or a count is not an amount
    ("J'ai combien de temps pour contester mon licenciement aux prud'hommes ?", False),
    ("Combien de jours minimum entre la convocation et l'entretien préalable au licenciement ?", False),
    ("Combien de mois de salaire touche-t-on pour un licenciement après 10 ans ?", True),
])
def test_a_calculation_is_asked_for_by_its_result_not_by_its_topic(text: str, asked: bool) -> None:
    calculator = detect_calculator(text)
    assert calculator is not None and asks_for_result(text, calculator) is asked


def test_every_calculator_says_what_asks_for_its_result() -> None:
    for name in CALCULATORS:
        asks_for_result("", name)  # a calculator without its phrasing raises KeyError here


@pytest.mark.parametrize(("text", "called"), [
    # a yes/no fact alone (no serious misconduct, an unfitness) does not call for a calculation
    ("Une baisse du chiffre d'affaires suffit-elle pour licencier pour motif économique ?", False),
    ("Un mois après mon avis d'inaptitude, je ne suis ni reclassé ni licencié : que doit faire mon employeur ?", False),
    # a quantity does, and so does a question asking for the result
    ("Licenciement pour motif économique après 5 ans d'ancienneté", True),
    ("Licencié pour motif économique, quelle indemnité ?", True),
])
def test_a_calculation_is_called_for_by_a_quantity_or_by_its_result(text: str, called: bool) -> None:
    assert calls_for_calculation(text, extract(text)) is called


@pytest.mark.parametrize("text", [
    "Bonjour, quels sont mes droits aux congés payés ?", "Qu'est-ce qu'un CSE ?", "",
    # the dismissal notice calculator computes neither a resignation's, a strike's nor an agreement's notice
    "Si je démissionne, est-ce que je dois faire un préavis et de combien ?",
    "Transport public : combien de jours avant une grève le préavis doit-il être déposé ?",
    "L'employeur veut dénoncer un accord d'entreprise : quel préavis doit-il respecter ?",
])
def test_questions_without_a_calculator(text: str) -> None:
    assert detect_calculator(text) is None and extract(text) == Extraction(None, {})


def test_follow_up_recomputes_oeth_with_the_new_headcount(store: ArticleStore) -> None:
    first = extract("120 salariés, 4 travailleurs handicapés : combien au titre de l'OETH ?")
    second = extract("et avec 300 salariés ?", first)
    assert second == Extraction("oeth", {"effectif": 300, "beneficiaires": 4})
    # ⌊300 × 6 %⌋ = 18 required, 4 employed, 14 missing; 14 × 500 × 12,31 = 86 170,00 (250–749 band)
    result = get_calculator("oeth").run({**second.inputs, "annees_seuil": 5, "date": "2026-12-31"}, store, TODAY)
    assert result.to_dict()["value"] == "86170.00"


def test_follow_ups_over_several_turns() -> None:
    turn = extract("Indemnité de licenciement pour 3 ans d'ancienneté ?")
    assert turn.inputs == {"anciennete_mois": 36}
    turn = extract("Je gagne 2 000 € bruts par mois", turn)
    assert turn == Extraction("indemnite-licenciement", {"anciennete_mois": 36, "salaire_reference": 2000})
    turn = extract("Et si j'avais 12 ans d'ancienneté ?", turn)
    assert turn.inputs == {"anciennete_mois": 144, "salaire_reference": 2000}
    # dates replace the seniority given in months (one fact, two ways of saying it)
    turn = extract("en fait embauché le 1er avril 2014, licencié le 30 avril 2026", turn)
    assert turn.inputs == {"entree": D(2014, 4, 1), "notification": D(2026, 4, 30), "salaire_reference": 2000}
    # the end of notice, asked next, joins the dates already given instead of replacing them
    turn = extract("Mon préavis se termine le 30 juin 2026", turn)
    assert turn == Extraction("indemnite-licenciement", {"entree": D(2014, 4, 1), "notification": D(2026, 4, 30),
                                                         "salaire_reference": 2000, "fin_preavis": D(2026, 6, 30)})


def test_follow_up_to_another_calculator_keeps_shared_facts() -> None:
    first = extract("Indemnité de licenciement avec 3 ans d'ancienneté et 2 000 € bruts par mois ?")
    second = extract("Et mon préavis ?", first)
    assert second == Extraction("preavis-licenciement", {"anciennete_mois": 36})


def test_a_follow_up_on_another_way_of_ending_leaves_the_calculator() -> None:
    """« Et si je démissionne ? » after a dismissal notice: the resignation's notice is left to the law, the
    agreement or usage (L1237-1), not computed as a dismissal's; its seniority does not start another one."""
    first = extract("Quel est le préavis de licenciement avec 3 ans d'ancienneté ?")
    assert first == Extraction("preavis-licenciement", {"anciennete_mois": 36})
    assert extract("Et si je démissionne ?", first) == Extraction(None, {})
    # Another way of ending that a calculator computes takes the shared facts along
    moved = extract("Et en cas de rupture conventionnelle ?", extract("Indemnité de licenciement, 3 ans d'ancienneté"))
    assert moved == Extraction("rupture-conventionnelle", {"anciennete_mois": 36})


def test_a_thread_retold_about_another_way_of_ending_is_computed_from_its_topic() -> None:
    """« Et pour un licenciement ? » after a resignation question: the retold topic's calculator and facts, not
    the dismissal allowance that the message alone names."""
    assert extract("Et pour un licenciement ?") == Extraction("indemnite-licenciement", {})
    back = extract_retold("Quel préavis de licenciement avec 3 ans d'ancienneté ?", "Et pour un licenciement ?", None)
    assert back == Extraction("preavis-licenciement", {"anciennete_mois": 36})
    # Topic, then the facts carried from the previous turn, then the message's: each over the one before.
    previous = Extraction("indemnite-licenciement", {"anciennete_mois": 36, "salaire_reference": 2000})
    moved = extract_retold("Indemnité de rupture conventionnelle, 3 ans d'ancienneté",
                           "Et si c'était une rupture conventionnelle, avec 5 ans d'ancienneté ?", previous)
    assert moved == Extraction("rupture-conventionnelle", {"anciennete_mois": 60, "salaire_reference": 2000})
    # No calculation where the retold topic has none, or only one for another way of ending.
    assert extract_retold("Quel préavis de démission avec 3 ans d'ancienneté ?", "Et si je démissionne ?",
                          Extraction("preavis-licenciement", {"anciennete_mois": 36})) == Extraction(None, {})
    assert extract_retold("Quel préavis de départ à la retraite avec 3 ans d'ancienneté ?",
                          "Et si je pars à la retraite ?", None) == Extraction(None, {})


def test_seniority_without_the_apostrophe() -> None:
    """« 3 ans d ancienneté », as typed on a phone, is the same seniority."""
    assert extract("Quel préavis de licenciement avec 3 ans d ancienneté ?").inputs == {"anciennete_mois": 36}


def test_a_follow_up_that_answers_the_calculator_stays_with_it(store: ArticleStore) -> None:
    first = extract("Quelle est la durée du préavis de licenciement pour un salarié avec 3 ans d'ancienneté ?")
    assert first == Extraction("preavis-licenciement", {"anciennete_mois": 36})
    # « handicapé » is an OETH keyword, but the message answers the notice calculator's own question.
    for answer in ("Et s'il est reconnu travailleur handicapé ?", "Oui, il est reconnu travailleur handicapé"):
        second = extract(answer, first)
        assert second == Extraction("preavis-licenciement", {"anciennete_mois": 36, "travailleur_handicape": True})
        # 3 years → 2 months (L1234-1), doubled for a beneficiary but at most 3 months (L5213-9): 3 months.
        assert get_calculator(second.calculator).run(second.inputs, store, TODAY).value == 3
    # A message with the OETH's own facts does move to it.
    moved = extract("Et combien pour l'OETH avec 120 salariés et 2 travailleurs handicapés ?", first)
    assert moved.calculator == "oeth"


def test_oeth_beneficiary_aged_55_counts_one_and_a_half(store: ArticleStore) -> None:
    found = extract("Nous avons 85 salariés depuis dix ans et nous employons 2 travailleurs handicapés dont un de 55 "
                    "ans. Combien devons-nous pour 2026 ?")
    assert found.inputs["annees_seuil"] == 10
    result = get_calculator("oeth").run(found.inputs, store, TODAY)
    # ⌊85 × 6 %⌋ = 5 required; 1 + 1 × 1,5 = 2,5 counted; 2,5 missing × 400 × 12,31 (SMIC of 31/12/2026)
    # = 12 310,00 — not 3 × 400 × 12,31 = 14 772,00, the figure of the 55-year-old counted as one.
    assert result.to_dict()["value"] == "12310.00"
    assert not any(q.field == "beneficiaires_50_ans" for q in result.missing)


def test_activite_partielle_per_hour_and_per_month_questions(store: ArticleStore) -> None:
    hourly = extract("Un salarié en activité partielle a une rémunération horaire brute de référence de 20 euros. "
                     "Combien doit-il toucher par heure chômée ?")
    result = get_calculator(hourly.calculator).run({**hourly.inputs, "date": "2026-03-02"}, store, TODAY)
    # Per hour: 60 % × 20,00 = 12,00 € per hour chômée (no hours: the hourly indemnity is the answer).
    assert result.to_dict()["value"] == "12.00" and "par heure chômée" in result.summary
    monthly = extract("Activité partielle : salarié à temps plein payé 15 € brut de l'heure, 40 heures chômées ce "
                      "mois-ci, combien touchera-t-il sur le mois ?")
    assert monthly.inputs == {"remuneration_horaire": 15, "heures": 40, "interimaire_ou_temps_partiel": False}
    month = get_calculator(monthly.calculator).run({**monthly.inputs, "date": "2026-03-02"}, store, TODAY)
    # 40 h × 60 % × 15,00 = 360,00 €; 9,00 €/h is under the SMIC (12,02 €): the monthly minimum is mentioned.
    assert month.to_dict()["value"] == "360.00"
    assert any("L3232-5" in c for c in month.conditions_unchecked)


def test_a_new_question_does_not_inherit_the_previous_one() -> None:
    first = extract("120 salariés, 4 travailleurs handicapés, combien pour l'OETH ?")
    second = extract("Quel préavis pour 18 mois d'ancienneté ?", first)
    assert second == Extraction("preavis-licenciement", {"anciennete_mois": 18})


def test_extracted_inputs_compute_the_expected_figures(store: ArticleStore) -> None:
    oeth = extract(PHRASINGS[0][0])
    # 7 required; 2 + 2 × 1,5 = 5 counted; 2 missing × 400 × 12,31 = 9 848,00
    assert get_calculator("oeth").run({**oeth.inputs, "annees_seuil": 5, "date": "2026-12-31"}, store,
                                      TODAY).to_dict()["value"] == "9848.00"
    severance = extract("Indemnité légale de licenciement : 42 ans d'ancienneté, 2 500 € brut par mois")
    assert get_calculator(severance.calculator).run(severance.inputs, store, TODAY).to_dict()["value"] == "32916.67"


@pytest.mark.parametrize(("token", "value"), [("2 500,50", "2500.50"), ("2.500", "2500"), ("12.02", "12.02"),
                                              ("vingt-cinq", "25"), ("quatre", "4"), ("soixante-et-un", "61")])
def test_numbers_as_written(token: str, value: str) -> None:
    assert to_number(token) == Decimal(value)
