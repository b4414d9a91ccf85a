"""Issue 14 body rules (session 8) on small hand-made lines and pages: comment prompts, credits and
subscription offers, metadata rows, teaser cards and kicker teasers, lead probes across no-break spaces."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from ingest.extract import _lead_paragraph
from ingest.text_cleanup import clean_paragraphs, line_keys, link_only_texts

STORY = [
    "The council met on Monday and agreed on a plan for the river banks after a long debate.",
    "Work starts in May, the mayor said, and the first section should be finished by the autumn.",
]


@pytest.mark.parametrize(
    "furniture",
    [
        # comment prompts
        "Would you like to comment on this article?",
        "Sign up (it's quick and free) or sign in now.",
        "Please read our Comment Policy before commenting.",
        # agency credits, newsletter and subscription offers, account dialogs, labels
        "With files from The Associated Press and Jane Roe",
        "Please bookmark times.example and sign up for our daily newsletter, Posted, here.",
        "Get the latest news from times.example in your inbox.",
        "Tú también puedes hacer periodismo incómodo. Cancela cuando quieras.",
        "Our members get special offers from us and our partners. You can check out at any time.",
        "Tu suscripción se está usando en otro dispositivo",
        "Article content",
        "EXAMPLETIMES.COM",
        # metadata rows: a date with pipe-split or labelled fields; a date-only line
        "Dieses Thema im Programm: Das Radio | Nachrichten | 28. April 2023 | 10:00 Uhr",
        "News date : 04/21/2022 Category : Press Releases",
        "2021-10-16 | Botschaft",
        "27.01.2022Mineralölabsatz im November 2021",
        "Jueves 21 abril, 2022",
        "21 de abril de 2022",
        # a caption with its credit written out in brackets
        "The mayor at the new bridge on Friday. (Picture by Jane Roe)",
        # an embed's consent notice longer than 300 chars
        "Ich bin damit einverstanden, dass mir der externe Inhalt angezeigt wird. Damit können "
        "personenbezogene Daten an Drittplattformen übermittelt werden. Mehr Informationen dazu erhalten "
        "Sie in den Datenschutz-Einstellungen. Diese finden Sie ganz unten auf unserer Seite im Footer, "
        "sodass Sie Ihre Einstellungen jederzeit verwalten oder widerrufen können.",
    ],
)
def test_session8_furniture_lines_are_dropped(furniture: str) -> None:
    assert clean_paragraphs([STORY[0], furniture, STORY[1]], ()) == STORY


@pytest.mark.parametrize(
    "line",
    [
        # running text, tables, practical information and references keep their place
        "Readers who want to comment can do so on the council's own website, the mayor said.",
        "The paper said 40,000 readers had cancelled their subscription since the price rose.",
        "| 2021 | Jane Roe | 69 |",
        "Öffnungszeiten: Mo-Fr: 09:30-18:00 Uhr; Sa: 09:30-14:00 Uhr.",
        "Jane Roe: Kleinwindkraft für Gewerbe, Selbstverlag: www.example.com, 2. Auflage 2020",
        "ALLGEMEIN:",
        "27.01.2022 stieg die Zahl der Anträge auf über 40.000.",
        "Node.js",
    ],
)
def test_session8_text_lines_are_kept(line: str) -> None:
    assert clean_paragraphs([STORY[0], line, STORY[1]], ()) == [STORY[0], line, STORY[1]]


def _cleaned(body: str, lines: list[str], title: str = "River plan") -> list[str]:
    tree = lxml_html.document_fromstring(f"<html><body>{body}</body></html>")
    link_texts = link_only_texts(tree, among=line_keys(lines), titles=[title])
    return clean_paragraphs(lines, (), [title], link_texts)


def test_a_teaser_card_whose_link_wraps_headline_and_summary_is_dropped() -> None:
    card = (
        '<a href="/news/bridge"><div><h3>Bridge opens</h3><p>RISK REMAINS: The mayor opened the bridge '
        "on Friday, a year late.</p></div></a>"
    )
    body = f"<article><p>{STORY[0]}</p><p>{STORY[1]}</p></article><aside>{card}</aside>"
    lines = [*STORY, "RISK REMAINS: The mayor opened the bridge on Friday, a year late."]
    assert _cleaned(body, lines) == STORY


def test_the_page_s_own_teaser_card_does_not_remove_its_standfirst() -> None:
    standfirst = "Activists call for a rent freeze and warn landlords."
    own_card = f'<a href="/news/river-plan?similar"><h5>River plan</h5><p>{standfirst}</p></a>'
    body = f"<article><h2>{standfirst}</h2><p>{STORY[0]}</p><p>{STORY[1]}</p></article>{own_card}"
    assert _cleaned(body, [standfirst, *STORY]) == [standfirst, *STORY]


def test_kicker_and_headline_list_items_are_teasers_but_ingredient_links_are_not() -> None:
    teasers = (
        "<ul><li><strong>Health:</strong> <a href='/a'>What really helps against back pain</a></li>"
        "<li><span>World Cup 2024</span><a href='/b'>The duel between the two leaders</a></li></ul>"
    )
    ingredients = (
        "<ul><li>6 eggs</li><li>200 grams <a href='/shop'>sugar</a></li>"
        "<li>50 grams <a href='/s'>flour</a></li></ul>"
    )
    body = f"<article><p>{STORY[0]}</p>{ingredients}<p>{STORY[1]}</p>{teasers}</article>"
    lines = [
        STORY[0],
        "- 6 eggs",
        "- 200 grams sugar",
        "- 50 grams flour",
        STORY[1],
        "- Health: What really helps against back pain",
        "- World Cup 2024 The duel between the two leaders",
    ]
    assert _cleaned(body, lines) == lines[:5]


def test_the_lead_is_found_across_no_break_spaces() -> None:
    lead = "Die Abgeordnete Jane Roe ist zur stellvertretenden Präsidentin des Parlaments gewählt worden."
    tree = lxml_html.document_fromstring(
        f'<html><head><meta name="description" content="{lead}"></head><body>'
        f"<div class='intro'>{lead.replace('Jane Roe', 'Jane&nbsp;Roe')}</div><p>{STORY[0]}</p></body></html>"
    )
    assert _lead_paragraph(tree) == lead
