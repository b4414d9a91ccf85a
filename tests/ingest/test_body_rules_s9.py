"""Issue 14 body rules (session 9) on small hand-made lines: reader-support appeals and other furniture
kinds found on both benchmark halves (docs/extraction-log.md, "Session 9: body text")."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from ingest.text_cleanup import clean_paragraphs, later_story_keys

STORY = [
    "The council met on Monday and agreed on a plan for the river banks after a long debate.",
    "Work starts in May, the mayor said, and the first section should be finished by the autumn.",
]


@pytest.mark.parametrize(
    "furniture",
    [
        # reader-support appeals: journalism that needs the reader's support, "no paywall" pledges
        "Independent journalism needs your support.",
        "Unabhängiger Journalismus braucht deine Unterstützung.",
        "Stay informed with the Valley Times. Invest in journalism, invest in democracy.",
        "Helfen Sie mit, unseren Journalismus auch in Zukunft möglich zu machen! Jetzt unterstützen!",
        "Apoya el periodismo independiente con una suscripción.",
        "Wir haben uns entschieden, keine Bezahlschranke einzuführen. Das soll auch so bleiben.",
        "Um dir noch bessere Inhalte zu liefern, brauchen wir deine Unterstützung.",
    ],
)
def test_session9_furniture_lines_are_dropped(furniture: str) -> None:
    assert clean_paragraphs([STORY[0], furniture, STORY[1]], ()) == STORY


@pytest.mark.parametrize(
    "line",
    [
        # running text about journalism, support and paywalls keeps its place
        "The foundation has funded investigative journalism in the region since 2015, its director said.",
        "The paper introduced a paywall in 2019 and has since gained 40,000 subscribers.",
        "The grant will support local journalism in the region, the minister said.",
        "Die Feuerwehr bekam Unterstützung aus den Nachbargemeinden.",
    ],
)
def test_session9_text_lines_are_kept(line: str) -> None:
    assert clean_paragraphs([STORY[0], line, STORY[1]], ()) == [STORY[0], line, STORY[1]]


@pytest.mark.parametrize(
    "furniture",
    [
        # feedback, error-report and rating prompts
        "We want to hear what you think about this article. Submit a letter to the editor.",
        "Do you have a story to tell? Email: news@example.com",
        "Are protests breaking out in your area? Get in touch at news@example.com",
        "Fehler gefunden? Jetzt melden.",
        "Fehler gefunden?Jetzt melden.",
        "Wie hat Ihnen dieser Artikel gefallen?",
        "Did you enjoy this article? Rate it below.",
        "Spotted a typo? Let us know.",
    ],
)
def test_feedback_and_error_report_prompts_are_dropped(furniture: str) -> None:
    assert clean_paragraphs([STORY[0], furniture, STORY[1]], ()) == STORY


def test_a_sentence_about_an_error_is_kept() -> None:
    line = "The minister said she had found an error in the report and asked for a correction."
    assert clean_paragraphs([STORY[0], line, STORY[1]], ()) == [STORY[0], line, STORY[1]]


@pytest.mark.parametrize(
    "furniture",
    [
        # comment-login prompts and empty comment counts
        "Du musst dich EINLOGGEN um einen Kommentar abzugeben.",
        "Du musst Eingeloggt sein um Kommentare zu schreiben! oder noch gar nicht Registriert?",
        "You must be logged in to post a comment.",
        "Keine Kommentare",
        "No comments yet",
    ],
)
def test_comment_login_prompts_and_empty_counts_are_dropped(furniture: str) -> None:
    assert clean_paragraphs([STORY[0], furniture, STORY[1]], ()) == STORY


@pytest.mark.parametrize(
    "furniture",
    [
        "Ähnliche Artikel",
        "Ähnliche:",
        "Noticia relacionada",
        "Schon gelesen?",
        "Recommended Videos",
        "Most read in Sport",
    ],
)
def test_teaser_block_headers_are_dropped(furniture: str) -> None:
    assert clean_paragraphs([STORY[0], furniture, STORY[1]], ()) == STORY


@pytest.mark.parametrize(
    "furniture",
    [
        "Copyright: Project Example, 2025",
        "Copyright: Jane Roe",
        "Materiał chroniony prawem autorskim - zasady przedruków określa regulamin.",
    ],
)
def test_copyright_lines_are_dropped(furniture: str) -> None:
    assert clean_paragraphs([STORY[0], furniture, STORY[1]], ()) == STORY


@pytest.mark.parametrize(
    "furniture",
    [
        "We independently select everything we recommend. Buying through us may earn us a commission.",
        "Reviews are unbiased. The Daily Example may earn an affiliate commission from purchases made here.",
        "We may receive compensation if you visit partners we recommend.",
    ],
)
def test_commission_disclosures_are_dropped(furniture: str) -> None:
    assert clean_paragraphs([STORY[0], furniture, STORY[1]], ()) == STORY


def test_a_sentence_about_commissions_is_kept() -> None:
    line = "The agents earned a commission of 3 percent on every sale, the court heard on Tuesday."
    assert clean_paragraphs([STORY[0], line, STORY[1]], ()) == [STORY[0], line, STORY[1]]


@pytest.mark.parametrize(
    "furniture",
    [
        # reading time, ad skip links and ad labels, subscriber-only notices, login walls
        "Lesedauer: 4 Minuten",
        "Passer la publicité",
        "- Advertisement 1Story continues below",
        "Esta funcionalidad es sólo para suscriptores",
        "Suscríbete",
        "Log in or create an account to continue",
        # a broadcast row, browser and script notices
        "Sendung: Radio Example, 24.04.2024, 15:10 Uhr",
        "You are using a browser version with limited support for CSS. To obtain",
        "Bitte aktivieren Sie JavaScript und laden Sie die Seite erneut.",
    ],
)
def test_small_furniture_kinds_are_dropped(furniture: str) -> None:
    assert clean_paragraphs([STORY[0], furniture, STORY[1]], ()) == STORY


@pytest.mark.parametrize(
    "furniture",
    [
        # translation and staff credits
        "Aus dem Englischen von Jane Roe",
        "- Übersetzung und Adaptierung: Example Agency",
        "Übersetzung: Jane Roe, Redaktion: John Doe, Schlussredaktion: Max Muster",
        "Redaktion: Jane Roe, John Doe",
        "Translated from the Spanish by Jane Roe",
        "Dies ist eine maschinelle Übersetzung eines Artikels unserer US-Kollegen.",
    ],
)
def test_translation_and_staff_credits_are_dropped(furniture: str) -> None:
    assert clean_paragraphs([STORY[0], furniture, STORY[1]], ()) == STORY


def test_a_sentence_about_a_translation_is_kept() -> None:
    line = "Aus dem Englischen übersetzte sie später auch die Briefe ihres Vaters, die 1990 erschienen."
    assert clean_paragraphs([STORY[0], line, STORY[1]], ()) == [STORY[0], line, STORY[1]]


def _story(headline: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<article><h1>{headline}</h1>{body}</article>"


def test_the_next_story_of_an_infinite_scroll_page_is_dropped() -> None:
    filler = "The report names every street and every bridge that the plan covers in the coming years. "
    own = [*STORY, "Shared note: this summary was checked by the desk.", filler * 20]
    later = [
        "The striker signed a new contract on Tuesday, the club said.",
        "Shared note: this summary was checked by the desk.",
        filler * 20,
    ]
    page = (
        f"<html><body><main>{_story('River plan', own)}{_story('New contract', later)}</main></body></html>"
    )
    tree = lxml_html.document_fromstring(page)
    lines = [*own[:3], later[0]]
    assert clean_paragraphs(lines, (), later_stories=later_story_keys(tree)) == own[:3]


def test_articles_used_as_sections_of_one_page_are_not_stories() -> None:
    filler = "Whisk the eggs with the sugar until the mixture is pale, then fold in the flour slowly. "
    page = (
        f"<html><body>{_story('Apple cake', [filler * 10])}"
        f"<article><h2>Comments</h2><p>Great recipe, I added cinnamon.</p><p>{filler * 10}</p></article>"
        "</body></html>"
    )
    assert later_story_keys(lxml_html.document_fromstring(page)) == frozenset()


@pytest.mark.parametrize(
    "furniture",
    [
        "Genau das ist unser Ziel: gut gemachter Journalismus. Sie können das unterstützen.",
        "Durchschnittliche Bewertung: 4,5",
        "- 会員向け記事が読み放題",
        "カテゴリーをフォローする",
    ],
)
def test_more_support_rating_and_subscription_lines_are_dropped(furniture: str) -> None:
    assert clean_paragraphs([STORY[0], furniture, STORY[1]], ()) == STORY


@pytest.mark.parametrize(
    "furniture",
    [
        # alert and newsletter box headings, update stamps, credits in more languages
        "Get daily National news",
        "Get the latest updates from the campaign trail, exclusive interviews and more politics content.",
        "Uppdaterad 15.59 | Publicerad 14.14",
        "Güncelleme: 20 Nisan 2026 10:15",
        "Фото: Иван Петров, Example",
        "- – additional reporting by Jane Roe",
        "This is a breaking new story - more to follow",
        "Reporting by Jane Roe in Paris, John Doe in Berlin and Max Muster in London; Writing by Jane Roe; "
        "Editing by John Doe",
    ],
)
def test_alert_boxes_update_stamps_and_credits_are_dropped(furniture: str) -> None:
    assert clean_paragraphs([STORY[0], furniture, STORY[1]], ()) == STORY


def test_a_sentence_starting_with_get_is_kept() -> None:
    line = "Get the latest figures from the ministry and you will see that the news is not all bad."
    assert clean_paragraphs([STORY[0], line, STORY[1]], ()) == [STORY[0], line, STORY[1]]


@pytest.mark.parametrize(
    "furniture",
    [
        "Temas",
        "Video verfügbar bis 28.02.2021",
        "PUEDES VER: ¿Qué es la reforma y para qué sirve?",
        "Sie möchten mehr? Schauen Sie mal in unseren Musiknewsletter!",
        "Click here to read the full court filing.",
        "Das Heft jetzt auch digital! Einfach hier klicken und registrieren!",
    ],
)
def test_tag_labels_availability_teaser_labels_and_click_prompts_are_dropped(furniture: str) -> None:
    assert clean_paragraphs([STORY[0], furniture, STORY[1]], ()) == STORY


def test_a_long_paragraph_ending_with_a_click_here_link_is_kept() -> None:
    line = (
        "To read the 70-page report, which explains how the institute in The Hague triangulated the firing "
        "point of the rounds and analysed the audio recordings of the incident, click here."
    )
    assert clean_paragraphs([STORY[0], line, STORY[1]], ()) == [STORY[0], line, STORY[1]]


@pytest.mark.parametrize(
    "furniture",
    ["Werden Sie Mitglied bei", "for me und erhalten Sie exklusive Angebote!", "Newsletter: Sport inside"],
)
def test_membership_offers_and_newsletter_box_labels_are_dropped(furniture: str) -> None:
    assert clean_paragraphs([STORY[0], furniture, STORY[1]], ()) == STORY


@pytest.mark.parametrize(
    "furniture",
    [
        "Weitere Infos unter www.example.org.",
        "Weitere Informationen hierzu gibt es in Kürze auf der Website des Verbands.",
        "Weitere Informationen zum Coronavirus in Thüringen:",
    ],
)
def test_more_information_pointers_are_dropped(furniture: str) -> None:
    assert clean_paragraphs([STORY[0], furniture, STORY[1]], ()) == STORY


def test_a_more_information_sentence_with_content_is_kept() -> None:
    line = "Mehr Infos auch auf der Seite des Herstellers: example.org"
    assert clean_paragraphs([STORY[0], line, STORY[1]], ()) == [STORY[0], line, STORY[1]]
