"""Issue 14 body rules (session 7) on small hand-made lines and pages: reader calls and house notices,
teaser-block headers, metadata rows, captions with a bracketed credit, paginated listing URLs."""

from __future__ import annotations

import pytest

from ingest.extract import Extracted, extract_article
from ingest.text_cleanup import clean_paragraphs

STORY = [
    "The council met on Monday and agreed on a plan for the river banks after a long debate.",
    "Work starts in May, the mayor said, and the first section should be finished by the autumn.",
]


@pytest.mark.parametrize(
    "furniture",
    [
        # reader calls: contact, follow, app, newsletter, support, subscription
        "Got a story? Get in touch with our news team by emailing us at news@times.example.",
        "For more stories like this, check our news page.",
        "Follow Example Times on Twitter and Facebook for the latest news updates.",
        "¿Ya sabías que tenemos canal de Telegram? Únete desde tu celular en este enlace.",
        "For the latest stories download the Example Times apps for iOS and Android.",
        "Aktuelle Nachrichten aufs Handy? Hier geht es zur neuen News-App – für Android und iOS.",
        "Lust auf mehr? Melde dich hier für unseren Newsletter an und lies die besten Geschichten!",
        "If you enjoyed reading this post – would you consider supporting our work? Just click here.",
        "Subscribe now to our e-paper edition for the full story.",
        "Ihre Meinung ist uns wichtig. Senden Sie uns Ihr Feedback zu diesem Artikel an: post@z.example",
        "Klicken Sie auf den unteren Button, um den Inhalt von www.karten.example zu laden.",
        "This article is the copyrighted property of Example Times. Written permission must be obtained.",
        # teaser-block headers and teaser prefixes
        "NOTAS RELACIONADAS",
        "Weitere Artikel zum Thema",
        "MORE: Mayor opens the new bridge over the river",
        "LE PUEDE INTERESAR: El alcalde inaugura el nuevo puente",
        ">> Hier finden Sie alle Termine im Überblick",
        # metadata rows
        "Kategorie: Nachrichten",
        "Letzte Änderung 14.02.2019",
        "Ten tekst przeczytasz w mniej niż minutę",
        "Sie sind aktuell nicht eingeloggt.",
        # a caption whose credit is in brackets, and an agency signature
        "The mayor at the river bank on Monday (Foto: Jane Roe/Pool via Reuters).",
        "aja/PAP",
        # session 7, second batch: contact rows, script state, separators, credits and notices
        "Telefon: +49 (40) 300 30 - 1141",
        "Pressesprecher*in Jane Roe",
        "ANZEIGE - Heute mal ausgehen? Wie wäre es mit:",
        "- showPaywall:",
        "- false",
        "___",
        "Kilde: Helsenorge.no",
        "Abbildung 4: Der Querschnitt der alten Uferbefestigung.",
        "Logo des Stadtpreises | © Example Times",
        "| Weitere aktuelle Themen aus der Region |",
        "Do you want to be informed of our actions? Sign up here",
        "If you’re seeing this message but you’re already a subscriber, you can log in for access.",
        "Bitte markieren Sie die Wörter im Text. Mit zwei Klicks melden Sie den Fehler der Redaktion.",
        "This is a breaking news story - more to follow",
        "Reporting by Jane Roe; Editing by John Doe",
        "With reports from Reforma and El Economista",
        # third batch: list-marked meta rows, skip links, share toasts, syndication and copyright notices
        "- Veröffentlicht am 13. Mai 2026 um 15:44",
        "- 3 Minuten Lesezeit",
        "Hauptinhalt",
        "Link copied",
        "Copyright © Example Agency 2017-2026. Für die kommerzielle Nutzung ist ein Abonnement erforderlich.",
        'Dieser Artikel ist zuerst bei "Example Capital" erschienen.',
        "This story was originally published by Example Times.",
        # fourth batch: appeals and comment prompts further into a line
        "Du möchtest mitmachen? Dann hinterlasse einfach einen Kommentar unter diesem Beitrag.",
        "| We need your help Help us continue to bring the news to readers everywhere Donate |",
        "Online-Pressemappe - alle Pressemitteilungen der Example AG | RSS-Feed abonnieren",
    ],
)
def test_reader_calls_and_house_notices_are_dropped(furniture: str) -> None:
    assert clean_paragraphs([STORY[0], furniture, STORY[1]], ()) == STORY


@pytest.mark.parametrize(
    "sentence",
    [
        # running text that reports on subscriptions, apps, comments or code keeps its place
        "The service, which says it has two million people who subscribe to its newsletter, was sold.",
        "The app is popular with teenagers, who use it for hours every day, the study found.",
        "More than 40 people attended the meeting on Monday, the organisers said.",
        ">>> print(river.length)",
        "Kategorien wie Alter und Einkommen spielten bei der Auswertung keine Rolle: Das Ergebnis war klar.",
        "Fazit:",
        "Pressesprecher John Doe bestätigte den Vorfall.",
        "Kontakt zur Polizei hatte der Mann nicht.",
    ],
)
def test_running_text_about_the_same_things_is_kept(sentence: str) -> None:
    assert clean_paragraphs([STORY[0], sentence, STORY[1]], ()) == [STORY[0], sentence, STORY[1]]


def test_a_page_named_page_is_not_taken_for_a_numbered_archive_page() -> None:
    # short paragraphs (a company profile) on a ".../page/..." URL: only ".../page/<n>" is an archive
    lines = [
        "The studio makes films for cinema, television and the web since 1998.",
        "It has grown over the years into a team of twenty people in two cities.",
        "Its work covers adverts, documentaries and live entertainment shows.",
        "Clients include broadcasters, museums and several large companies.",
    ]
    body = "".join(f"<p>{line}</p>" for line in lines)
    html = f"<html><head><title>About us</title></head><body><article>{body}</article></body></html>"
    result = extract_article(html, "https://studio.example/page/index.php?scroll=about")
    assert isinstance(result, Extracted), result
    assert "live entertainment" in result.text
    archive = extract_article(html, "https://studio.example/news/page/3/")
    assert not isinstance(archive, Extracted)


def test_a_closing_note_about_the_author_is_dropped_but_a_quote_by_the_author_is_kept() -> None:
    note = "Jane Roe is a reporter at Example Times covering city hall and the river projects."
    quote = "Jane Roe said the plan was the largest the town had seen in a decade, and would pay off."
    assert clean_paragraphs([*STORY, note], ["Jane Roe"]) == STORY
    assert clean_paragraphs([*STORY, quote], ["Jane Roe"]) == [*STORY, quote]
    assert clean_paragraphs([note, *STORY], ["Jane Roe"]) == [note, *STORY]  # only at the end


def test_a_teaser_headline_rendered_twice_in_one_line_is_dropped() -> None:
    doubled = "Mayor opens the new bridge Mayor opens the new bridge"
    assert clean_paragraphs([STORY[0], doubled, STORY[1]], ()) == STORY
    assert clean_paragraphs([STORY[0], "Bora Bora", STORY[1]], ()) == [STORY[0], "Bora Bora", STORY[1]]


def _standfirst_page(header: str, after: str = "") -> str:
    body = "".join(f"<p>{STORY[i % 2]} Part {i}.</p>" for i in range(8))  # over the recall-rerun length
    return (
        '<html lang="en"><head><title>River plan</title>'
        '<meta name="description" content="A different summary written for search engines and feeds.">'
        "</head><body><div class='container'><article><h1>River plan</h1>"
        f"{header}<div class='text'>{body}</div>{after}</article></div>"
        "</body></html>"
    )


def test_a_standfirst_marked_by_class_is_the_first_paragraph() -> None:
    standfirst = "The town will rebuild its river banks over three years, the council decided on Monday."
    header = f'<p class="article-teaser">{standfirst}</p>'  # a "teaser" class: trafilatura leaves it out
    result = extract_article(_standfirst_page(header), "https://times.example/news/river-plan")
    assert isinstance(result, Extracted), result
    assert result.text.split("\n\n")[0] == standfirst


@pytest.mark.parametrize(
    ("header", "after"),
    [
        # a caption with a credit and a breadcrumb of links are not standfirsts
        (
            '<div class="lead-image">The river bank at dawn on Monday, from the bridge. Foto: Jane Roe</div>',
            "",
        ),
        (
            '<div class="teaser"><a href="/">Home</a> / <a href="/news">News</a> / '
            '<a href="/news/town">Town and river news from the council and the mayor.</a></div>',
            "",
        ),
        # a "teaser" after the body start is a related-article teaser
        ("", '<div class="teaser">Another story: the mayor opens the new bridge over the river.</div>'),
    ],
)
def test_captions_breadcrumbs_and_later_teasers_are_not_standfirsts(header: str, after: str) -> None:
    result = extract_article(_standfirst_page(header, after), "https://times.example/news/river-plan")
    assert isinstance(result, Extracted), result
    assert result.text.startswith(STORY[0])
