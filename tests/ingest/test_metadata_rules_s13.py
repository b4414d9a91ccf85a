"""Issue 14, session 13 metadata rules on small hand-made credits and pages: what is left of a byline once its
date is cut, form labels, Cloudflare's e-mail placeholder, company and theme credits, dated article cards next
to the byline, a visible byline over trafilatura's one-word guess (docs/extraction-log.md, "Session 13:
metadata")."""

from __future__ import annotations

from ingest.authors import Byline, clean_authors, clean_name
from ingest.extract import Extracted, extract_article
from ingest.metadata import choose_title

KEYS = {"riverclub", "riverclubexample"}


def test_the_word_before_a_cut_date_goes_with_it() -> None:
    assert clean_name("dpa am 25.01.2022") == "dpa"
    assert clean_name("Jane Doe on 12/03/2024, 10:00") == "Jane Doe"
    assert clean_name("Author: lupa am 29.12.2010, 13:36 Uhr") == "lupa"
    assert clean_name("Publiziert am") is None  # a date label alone
    assert clean_name("Donnerstag") is None  # the weekday of "Donnerstag, 12. Mai 2022"
    assert clean_name("Ann Amsel") == "Ann Amsel"  # "am" inside a name is no date word


def test_form_labels_and_cloudflares_email_placeholder_are_no_names() -> None:
    assert clean_name("Name *") is None
    assert clean_name("Nombre") is None
    assert clean_name("[email protected]") is None
    assert clean_authors([("Luis Ávila", True)], [], None, KEYS) == ("Luis Ávila",)
    assert clean_authors([("Luis Ávila; [email protected]", True)], [], None, KEYS) == ("Luis Ávila",)


def test_company_and_theme_credits_in_meta_tags_are_no_authors() -> None:
    # the web agency or the publisher's legal entity in <meta name="author">: nobody is credited
    assert clean_authors([], ["wegewerk GmbH"], None, KEYS) == ()
    assert clean_authors([], ["Olympia-Verlag GmbH, Nürnberg, Germany"], None, KEYS) == ()
    assert clean_authors([], ["Theme: Pirate Rogue von xwolf"], None, KEYS) == ()
    assert clean_authors([], ["Copyright Acme Media Ltd"], None, KEYS) == ()
    # ... and a later source naming a person is read
    assert clean_authors([], ["Acme Media GmbH"], "Jane Roe", KEYS) == ("Jane Roe",)
    # typed as an organisation in JSON-LD, a company is an outlet credit, kept when nobody else is named
    assert clean_authors([("Acme Media GmbH", False)], [], None, KEYS) == ("Acme Media GmbH",)
    assert clean_authors([("Acme Media GmbH", True)], [], "Jane Roe", KEYS) == ("Jane Roe",)
    # a person's name that ends like a legal form's letters is still a person
    assert clean_authors([], ["Anna Sage"], None, KEYS) == ("Anna Sage",)


def test_dated_article_cards_are_no_stacked_author_list() -> None:
    names = ("Jane Roe", "Ann Lee")
    cards = [Byline(f"Von {name} am 0{day}.12.2022", 0) for day, name in enumerate(names, 1)]
    assert clean_authors([], [], "Jane Roe", KEYS, lambda: cards) == ("Jane Roe",)
    # a stacked list without dates still adds the co-author
    stacked = [Byline("Jane Roe", 0), Byline("Ann Lee", 0)]
    assert clean_authors([], [], "Jane Roe", KEYS, lambda: stacked) == ("Jane Roe", "Ann Lee")


def test_a_byline_element_beats_trafilaturas_one_word_guess() -> None:
    # no source names a person; the guess found a form label or a cut name, the byline shows the account
    byline = [Byline("Author: Bo2man am 29.12.2010", 0)]
    assert clean_authors([], [], "Bo", KEYS, lambda: byline) == ("Bo2man",)
    # an outlet credited by the page's metadata still comes before a one-word byline element
    assert clean_authors([], ["Redaktion"], None, KEYS, lambda: [Byline("amw", 0)]) == ("Redaktion",)


BODY = "".join(
    f"<p>Paragraph {i} of the story says that the club met on Monday and agreed on a new plan for the "
    f"river banks, which will be cleaned over the next three summers with help from the town.</p>"
    for i in range(6)
)


def _page(byline: str) -> str:
    return (
        "<html lang='en'><head><title>River plan agreed</title></head><body><article>"
        f"<h1>River plan agreed</h1><div class='x1'>{byline}<div class='x2'>May 3, 2024</div></div>"
        f"{BODY}</article></body></html>"
    )


def test_a_byline_word_alone_in_its_element_credits_the_name_after_it() -> None:
    byline = "<span class='a7'>By</span><span><a href='/newsteam/jane-roe'>Jane Roe</a></span>"
    result = extract_article(_page(byline), "https://riverclub.example/river-plan")
    assert isinstance(result, Extracted)
    assert result.authors == ("Jane Roe",)
    # the word alone before a sentence credits nobody
    other = "<span>By</span><span>the end of the year the banks will be clean</span>"
    result = extract_article(_page(other), "https://riverclub.example/river-plan")
    assert isinstance(result, Extracted)
    assert result.authors == ()


def test_a_name_row_whose_date_is_its_own_child_written_with_a_month_name() -> None:
    row = "<small class='date'>Jane Roe  |\n      <span class='red'>May 10, 2022 01:52 PM</span>\n</small>"
    page = (
        "<html lang='en'><head><title>River plan agreed</title></head><body><div class='story'>"
        f"<h2>River plan agreed</h2><div class='x1'>{row}</div>{BODY}</div></body></html>"
    )  # no h1 either
    result = extract_article(page, "https://riverclub.example/river-plan")
    assert isinstance(result, Extracted)
    assert result.authors == ("Jane Roe",)


def test_a_site_name_in_brackets_after_the_headline_is_cut() -> None:
    keys = {"neuesdeutschland", "neuesdeutschlandde"}
    assert choose_title({"og": "»Kein Geld mehr« (neues deutschland)"}, keys) == "»Kein Geld mehr«"
    assert choose_title({"og": "Headline (neues-deutschland.de)"}, keys) == "Headline"
    # brackets that are part of the headline stay
    assert choose_title({"og": "Wohnhaus in Flammen (mit Video)"}, keys) == "Wohnhaus in Flammen (mit Video)"


def test_mechanical_title_case_gives_way_to_the_headline_as_written() -> None:
    titles = {
        "og": "Vessel With 475 Pounds Of Cocaine Intercepted By Federal Agents",
        "title": "Vessel With 475 Pounds of Cocaine Intercepted by Federal Agents",
    }
    assert choose_title(titles, KEYS) == "Vessel With 475 Pounds of Cocaine Intercepted by Federal Agents"
    # a title in capitals is no headline as written; a sentence-case og:title is kept
    assert choose_title(
        {"og": "River Plan Agreed By The Club", "title": "RIVER PLAN AGREED BY THE CLUB"}, KEYS
    ) == ("River Plan Agreed By The Club")
    assert choose_title({"og": "River plan agreed", "h1": "River Plan Agreed"}, KEYS) == "River plan agreed"


def test_an_h1_naming_the_site_is_no_headline_and_the_title_tail_is_the_post() -> None:
    html = (
        "<html lang='en'><head><title>Four Years Left » Blog Archive » Interning of small integers</title>"
        "</head>"
        f"<body><h1>Four Years Left</h1><div class='post'><h2>Interning of small integers</h2>{BODY}</div>"
        "</body></html>"
    )
    result = extract_article(html, "https://fouryearsleft.example/2019/10/interning/")
    assert isinstance(result, Extracted)
    assert result.title == "Interning of small integers"
    # an h1 that is a headline naming the outlet stays a candidate ("River Club" names the site, but with
    # more words than a brand segment)
    assert choose_title({"h1": "River Club members vote for the new river plan"}, KEYS) == (
        "River Club members vote for the new river plan"
    )


def test_htmldates_copyright_year_is_no_publication_day() -> None:
    from datetime import datetime

    from lxml.html import fromstring

    from ingest.metadata import read_metadata

    def page(footer: str) -> str:
        head = "<html><head><title>Our history</title></head>"
        return f"{head}<body><h1>Our history</h1>{BODY}{footer}</body></html>"

    def published(html: str, guess: str) -> datetime | None:
        return read_metadata(
            fromstring(html), "https://riverclub.example/history", lambda: None, lambda: guess
        ).published_at

    assert published(page("<footer>© 2013 River Club</footer>"), "2013-01-01") is None
    assert published(page("<footer>Copyright 2009 - 2013 River Club</footer>"), "2013-01-01") is None
    # a post of 1 January keeps its day when no copyright line names that year, and other days are kept
    assert published(page("<footer>© 2024 River Club</footer>"), "2013-01-01") == datetime(2013, 1, 1)
    assert published(page("<footer>© 2013 River Club</footer>"), "2013-03-05") == datetime(2013, 3, 5)


def test_handles_reading_times_and_archive_link_labels_are_not_part_of_the_name() -> None:
    assert clean_name("Williams Perdomo @wperdomod") == "Williams Perdomo"
    assert clean_name("José Miguel Wilson Tiempo de lectura") == "José Miguel Wilson"
    assert clean_name("Jane Doe 3 min read") == "Jane Doe"
    assert clean_name("Zeige alle Beiträge von Petra Ruland") == "Petra Ruland"
    assert clean_name("View all posts by Jane Roe") == "Jane Roe"
    assert clean_name("Recipe by Eat What Tonight") == "Eat What Tonight"
    assert clean_name("Anna Lesezeitung") == "Anna Lesezeitung"
    assert clean_name("@janedoe") == "@janedoe"  # a handle alone is the byline the page shows


def test_legal_forms_are_read_in_capitals_only() -> None:
    assert clean_authors([], ["Park Ji Se"], None, KEYS) == ("Park Ji Se",)
    assert clean_authors([], ["Acme Media SE"], "Jane Roe", KEYS) == ("Jane Roe",)
