"""Label corrections where knowledge is unambiguous: ONE table, one reason per row, applied in order.

The small NER models label by context only, so "Crimea" comes out ORG, "Ukrainian" GPE and "Truth Social"
FAC. Each ``LabelRule`` says which model labels it overrides, what it matches (a name list, a demonym, a
gazetteer place) and the label it gives; the first matching row wins. Measured per label, raw model vs
final, by ``bench/entity_quality.py`` (docs/enrichment.md, "Label corrections").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from ingest.entity_merge import ORG_WORDS, Mention, clean_mention
from ingest.gazetteer import Gazetteer, Place, name_key
from schemas.article import Entity, EntityLabel

NEWS_OUTLETS = frozenset({
    "Reuters", "Associated Press", "AP", "AFP", "Agence France-Presse", "dpa", "DPA", "ANSA", "EFE",
    "BBC", "BBC News", "CNN", "Fox News", "NBC", "NBC News", "CBS", "CBS News", "ABC", "ABC News", "MSNBC",
    "NPR", "PBS", "Bloomberg", "CNBC", "Politico", "Axios", "Al Jazeera", "Sky News", "ITV", "Channel 4",
    "New York Times", "Washington Post", "Wall Street Journal", "USA Today", "Guardian", "Financial Times",
    "Times of Israel", "Haaretz", "Le Monde", "Le Figaro", "Libération", "Spiegel", "Der Spiegel",
    "Süddeutsche Zeitung", "FAZ", "Bild", "Die Zeit", "Zeit", "tagesschau", "ARD", "ZDF", "Deutsche Welle",
    "Metro",
    # the largest English-language outlets by audience (Press Gazette's UK and US top-50 lists), session 10
    "The Sun", "Daily Mail", "Mail on Sunday", "MailOnline", "Daily Telegraph", "The Telegraph", "The Times",
    "Sunday Times", "Daily Mirror", "Daily Express", "Daily Star", "Evening Standard", "The Independent",
    "HuffPost", "BuzzFeed News", "Los Angeles Times", "Chicago Tribune", "Boston Globe", "New York Post",
    "Newsweek", "The Atlantic", "The Hill", "Vox", "Business Insider", "Forbes", "The Economist",
    "Economist",
    # national news agencies
    "Keystone-ATS", "ATS", "SDA", "APA", "Belga", "ANP", "Europa Press", "Lusa", "PAP", "CTK", "MTI", "TASS",
    "RIA Novosti", "Interfax", "Ukrinform", "Anadolu", "Xinhua", "Kyodo", "Jiji", "Yonhap", "KCNA", "PTI",
    "IANS", "Bernama", "Antara", "IRNA", "WAFA", "Canadian Press", "AAP", "Notimex", "Agência Brasil",
})  # fmt: skip
"""News outlets and agencies, tagged GPE/PERSON/FAC/WORK_OF_ART by the small model as often as ORG. The
agencies are the national agencies of Europe (the European Alliance of News Agencies' members that wire
news abroad) and of the largest countries elsewhere, which world news credits by name; not Egypt's MENA,
whose acronym names the region (Middle East and North Africa) more often."""

PLATFORMS = frozenset({
    "Twitter", "Facebook", "Instagram", "TikTok", "YouTube", "Truth Social", "Telegram", "WhatsApp",
    "LinkedIn", "Reddit", "Snapchat", "Bluesky", "Mastodon", "WeChat", "Weibo",
})  # fmt: skip
"""Social platforms: the companies and services are named alike; OntoNotes annotators tag them ORG."""

OPERATING_SYSTEMS = frozenset({"iOS", "Android", "macOS", "iPadOS", "watchOS", "ChromeOS", "HarmonyOS"})
"""Operating systems of phones and computers ("download our apps for iOS and Android"): products (OntoNotes
PRODUCT), not their makers; tagged ORG by the small model. "Windows" and "Linux" are left out: "Windows" is
a common word at a sentence's start."""

PRODUCTS = frozenset({
    "ChatGPT", "iPhone", "iPad", "MacBook", "PlayStation", "Xbox", "Nintendo Switch", "Kindle",
})  # fmt: skip
"""Products news names by brand (consumer devices and apps named alike in every market), OntoNotes PRODUCT;
tagged ORG by the small model ("ChatGPT" ORG) or not found."""

COMPANIES = frozenset({
    "Google", "Alphabet", "Apple", "Microsoft", "Amazon", "Meta", "OpenAI", "Anthropic", "Nvidia", "Intel",
    "AMD", "IBM", "Oracle", "Samsung", "Sony", "Huawei", "Xiaomi", "Tencent", "Alibaba", "ByteDance",
    "Baidu", "Netflix", "Spotify", "Uber", "Lyft", "Airbnb", "Tesla", "SpaceX", "Boeing", "Airbus",
    "Toyota", "Volkswagen", "BMW", "Ford", "General Motors", "Stellantis", "Shell", "BP", "ExxonMobil",
    "Chevron", "Walmart", "Disney", "Pfizer", "Moderna", "Goldman Sachs", "JPMorgan", "Morgan Stanley",
    "BlackRock", "Visa", "Mastercard", "PayPal", "Starbucks", "McDonald's", "Nike", "Adidas", "Siemens",
    "Eli Lilly", "Lilly", "Novo Nordisk", "Johnson & Johnson", "Chase", "JPMorgan Chase", "Royal Mail",
})  # fmt: skip
"""The world's most named companies (market value, brands), tagged PERSON/PRODUCT/GPE by the small model
when a sentence reads like a person's ("Nvidia said ...") or a product's."""

FORMER_STATES = frozenset({
    "Soviet Union", "USSR", "URSS", "UdSSR", "Union soviétique", "Sowjetunion", "Yugoslavia", "Yougoslavie",
    "Jugoslawien", "Czechoslovakia", "Tchécoslovaquie", "Tschechoslowakei", "East Germany", "West Germany",
    "GDR", "DDR", "RDA", "Allemagne de l'Est", "Allemagne de l'Ouest", "Ostdeutschland", "Westdeutschland",
})  # fmt: skip
"""States of the 20th century that no longer exist, which GeoNames (current countries) does not hold: the
small models tag them ORG ("URSS": the "Union" reads as an organisation); OntoNotes GPE. In English,
French and German. Not "RFA" (also Radio Free Asia)."""

ORG_NAME_WORDS = frozenset({
    "inc", "ltd", "llc", "plc", "gmbh", "corp", "corporation", "company", "bank", "university", "college",
    "party", "ministry", "department", "agency", "authority", "commission", "committee", "council",
    "association", "foundation", "institute", "federation", "club", "police", "army", "navy", "corps",
    "airlines", "airways", "fc", "schools", "hospital", "museum", "musée", "musee", "museo", "museu",
})  # fmt: skip
"""Words that make any name containing them an organisation ("University of Washington", "Dye & Durham
Ltd.", "Miami-Dade County Public Schools") unless the gazetteer knows the whole name as a place ("West
Bank"); compared without dots. Not "union" ("Soviet Union") nor
"court"/"house" as heads of places ("Earls Court"). A museum is its institution (OntoNotes ORG: "Musée
Guimet" tagged FAC)."""

# fmt: off
HEAD_LABELS: tuple[tuple[frozenset[str], EntityLabel, str], ...] = (
    (
        frozenset({
            "street", "avenue", "boulevard", "road", "drive", "lane", "highway", "freeway", "turnpike",
            "bridge", "airport", "stadium", "arena", "coliseum", "garden", "tunnel", "pier", "station",
            "tower", "towers", "cabin", "hotel", "square", "plaza", "palace", "cathedral", "guesthouse",
            "bus stand", "bus stop", "bus terminal", "bus park", "taxi rank", "guest house", "hostel",
            "motel", "statehouse", "capitol", "houses", "apartments",
        }),
        "FAC",
        "a street, building or structure is a facility (OntoNotes FAC)",
    ),
    (
        frozenset({
            "sea", "ocean", "river", "mountain", "mountains", "valley", "desert", "gulf", "coast",
            "peninsula", "canyon", "falls", "park",
        }),
        "LOC",
        "a natural feature is a location (OntoNotes LOC)",
    ),
    (
        frozenset({
            "olympics", "games", "cup", "championship", "championships", "festival", "summit", "conference",
            "forum", "gala", "expo", "war", "marathon", "prix", "roundtable", "tournament", "speech",
            "ceremony", "con", "contest", "recession", "putsch", "coup", "uprising", "rebellion", "revolt",
            "massacre", "riots", "invasion", "siege", "genocide",
        }),
        "EVENT",
        "a named gathering, contest, ceremony, speech, fan convention ('Rom Con'), war, uprising, massacre "
        "or slump is an event",
    ),
    (
        frozenset({"people's republic", "people’s republic"}),
        "GPE",
        "a people's republic is a state, recognised or not (OntoNotes GPE: 'Donetsk People’s Republic' ORG)",
    ),
    (
        frozenset({"act", "treaty", "constitution", "code", "agreement", "accord", "accords", "protocol"}),
        "LAW",
        "a named act, treaty or international agreement is a law ('Paris Agreement', 'Kyoto Protocol')",
    ),
    (frozenset({"tribe", "nation"}), "NORP", "a people named as tribe or nation is NORP (OntoNotes)"),
)
# fmt: on
"""Last words (or the two last words of a name of >= 3: "Lindi Bus Stand", "Paris Guest House", where
the last word alone is too wide) that give a name of >= 2 words its label whatever the model said: English
names are head-final ("Bruckner Boulevard", "Rocky Mountain", "Access to Information Act"). Rows are
tried in order; the matching row overrides any other label, except for names the gazetteer knows
("Menlo Park", "Palm Bay" stay places). Left out: heads that are common surnames ("Hall", "Lane", "Bay",
"Lake", "Castle"), as the rule overrides PERSON too ("Miller Drive" tagged PERSON). Session 10: "Houses"
and "Apartments" (housing estates and blocks: "Nostrand Houses"), "Contest" ("Eurovision Song Contest"),
"Recession" ("Great Recession"), "Agreement", "Accord(s)", "Protocol" (OntoNotes LAW, as "Paris accord" in
the labels). Session 13: uprisings, coups and massacres ("Beer Hall Putsch" tagged ORG) are
events; a "People's Republic" is a GPE."""

LEADING_NATURAL_HEADS = (
    "lake ",
    "mount ",
    "mt. ",
    "mt ",
    "strait of ",
    "straits of ",
    "gulf of ",
    "sea of ",
    "bay of ",
)
"""First words that make a name of >= 2 words a natural feature, LOC (OntoNotes: bodies of water and
mountains): English puts these heads first ("Lake Berryessa", "Mount Kenya", "Strait of Hormuz"), where
"Lake" and "Mount" are no surname's place (``HEAD_LABELS`` leaves "Lake" out as a last word for that).
Names the gazetteer knows stay places ("Lake Forest", "Mount Vernon" are towns); session 13."""

GROUP_NAMES = frozenset({
    "Republican", "Republicans", "Democrat", "Democrats", "Democratic", "Conservative", "Conservatives",
    "Tory", "Tories", "Liberal", "Liberals", "Socialist", "Socialists", "Communist", "Communists",
    "Muslim", "Muslims", "Christian", "Christians", "Jewish", "Jew", "Jews", "Catholic", "Catholics",
    "Protestant", "Protestants", "Hindu", "Hindus", "Sikh", "Sikhs", "Buddhist", "Buddhists", "Sunni",
    "Sunnis", "Shia", "Shiite", "Shiites", "Evangelical", "Evangelicals", "Latino", "Latinos", "Latina",
    "Hispanic", "Hispanics", "Asian", "Asians", "European", "Europeans", "African", "Africans", "Arab",
    "Arabs", "Kurd", "Kurds", "Kurdish", "Brits", "Basotho", "Kiwis", "Aussies", "Emirati", "Emiratis",
    "Palestinian", "Palestinians", "Indigenous", "Aboriginal",
    "Native American", "Native Americans", "African American", "African Americans", "African-American",
    "African-Americans", "Asian American", "Asian Americans", "Alaska Native", "Alaska Natives",
    "Pacific Islander", "Pacific Islanders", "First Nations", "BIPOC", "LGBT", "LGBTQ", "LGBTQ+", "LGBTQIA+",
    "Mormon", "Mormons", "Baptist", "Baptists", "Methodist", "Methodists", "Anglican", "Anglicans",
    "Lutheran", "Lutherans", "Presbyterian", "Presbyterians", "Quaker", "Quakers", "Amish", "Mennonite",
    "Mennonites", "Druze", "Alawite", "Alawites", "Yazidi", "Yazidis", "Rohingya", "Uyghur", "Uyghurs",
})  # fmt: skip
"""Political, religious and ethnic groups and nationalities that the country demonyms (``countryinfo``)
lack: OntoNotes NORP, tagged ORG/PERSON/GPE by the small model ("Republican" ORG, "Basotho" PERSON); with
the US Census' race and ethnicity categories ("Native American", "Pacific Islander"). Session 13: the
Christian denominations and the religious and ethnic minorities world news names most ("Mormon" tagged
ORG)."""

WEB_ADDRESS = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|news|co\.uk|com\.au)$", re.I)
"""A site's address used as its name ("BVINEWS.COM"): generic top-level domains only, as a country code
after a dot is too often an abbreviation ("D.C")."""

YEAR = re.compile(r"^(?:19|20)\d\d$")
"""A year as the last word of a name ("Euro 2024", "Paris 2024"): editions of events are named so."""

CALL_SIGN = re.compile(r"^(?!WWI)[KW][A-Z]{3}(?:-(?:TV|FM|AM|DT|LP|CD))?$")
"""A US broadcast station's call sign ("KTRK", "WABC-TV"): four capitals starting K (west of the Mississippi)
or W (east), the station an organisation; not "WWII"."""

MODEL_NUMBER = re.compile(r"(?<!\S)(?=[^\s.]*\d)(?=[^\s.]*[A-Za-z])[^\s.]+(?!\S)")
"""A word mixing digits and letters, no dot ("3550H", "GTX1650"): a product's model number; "Queen Elizabeth
2" (a ship, labelled as the person) has none, nor a footnote mark ("Boris Shor.3")."""

INITIAL_SURNAME = re.compile(r"^[A-Z]\. (?:[A-Z]\. )?[A-Z][a-z'’-]+$")
"""One or two initials and a capitalised surname ("J. Jenkins", "J. R. Smith")."""

LAW_WORDS = frozenset({
    "act", "acts", "bill", "law", "laws", "treaty", "treaties", "constitution", "code", "amendment",
    "agreement", "accord", "accords", "convention", "protocol", "directive", "regulation", "charter",
    "section", "article", "statute", "ordinance", "decree", "loi", "gesetz", "ley", "legge", "traité",
})  # fmt: skip
"""Words of legal texts' names ("Access to Information Act", "Paris accord", "section 232", "Code de la
route"): a LAW without one is a title the small model mislabelled ("Basket of Wild Strawberries", a
painting), OntoNotes WORK_OF_ART."""

WORLD_REGIONS = frozenset({
    # English
    "Middle East", "Near East", "Far East", "Maghreb", "Sahel", "Levant", "Balkans", "Caucasus",
    "Caribbean", "Scandinavia", "Nordics", "Baltics", "Horn of Africa", "Latin America", "Central America",
    "Southeast Asia", "South Asia", "East Asia", "Central Asia", "Sub-Saharan Africa", "Indochina",
    "Mesopotamia", "Arctic", "Antarctic", "Mediterranean", "Baltic", "Indo-Pacific", "Asia-Pacific",
    "Midwest", "Pacific Northwest", "Sun Belt", "Rust Belt", "Deep South", "New England",
    # natural regions across countries or states (session 9)
    "Great Lakes", "Great Plains", "Corn Belt", "Bible Belt", "Appalachia", "Ozarks", "Rockies", "Alps",
    "Andes", "Himalayas", "Himalaya", "Pyrenees", "Sahara", "Patagonia", "Siberia", "Amazonia",
    # the planet, capitalised (both held-out-2 articles naming it label it LOC; session 10)
    "Earth",
    # French
    "Moyen-Orient", "Proche-Orient", "Extrême-Orient", "Caucase", "Caraïbes", "Antilles",
    "Scandinavie", "Pays baltes", "Corne de l'Afrique", "Amérique latine", "Amérique centrale",
    "Asie du Sud-Est", "Asie centrale", "Afrique subsaharienne", "Indochine", "Arctique", "Antarctique",
    "Méditerranée", "Atlantique", "Pacifique", "Baltique", "Manche", "Mer du Nord", "Grands Lacs", "Alpes",
    "Pyrénées", "Sibérie",
    # German
    "Naher Osten", "Nahost", "Mittlerer Osten", "Ferner Osten", "Balkan", "Kaukasus", "Karibik",
    "Skandinavien", "Lateinamerika", "Mittelamerika", "Südostasien", "Zentralasien", "Arktis", "Antarktis",
    "Mittelmeer", "Atlantik", "Pazifik", "Ostsee", "Nordsee", "Alpen", "Anden", "Sibirien",
})  # fmt: skip
"""Regions that span or cut across countries, and oceans and seas named without a head word: OntoNotes
LOC (the labelled articles: "Caribbean", "Midwest", "Moyen-Orient", "Maghreb"), tagged GPE by the small
models (the French one maps every LOC that does not start with a feature word to GPE). Source: the UN
M49 geoscheme's regions and sub-regions (Latin America, Central Asia, ...) and the multi-country regions
world news names (Middle East, Sahel, Balkans, Horn of Africa), in English, French and German; since
session 9 also the natural regions and mountain ranges that span countries or states ("Great Lakes",
"Alps", "Corn Belt", "Ozarks": OntoNotes LOC; GeoNames' feature classes L and T, not in the gazetteer).
Not the English "Atlantic" alone: it is also a magazine ("The Atlantic"); not "Amazon" (the company)."""

COMPASS_WORDS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "north-east", "north-west", "south-east", "south-west", "northeast", "northwest", "southeast",
    "southwest", "north-eastern", "north-western", "south-eastern", "south-western", "northeastern",
    "northwestern", "southeastern", "southwestern",
    "nord", "sud", "est", "ouest", "nord-est", "nord-ouest", "sud-est", "sud-ouest", "centrale",
    "occidentale", "orientale", "septentrionale", "méridionale", "du nord", "du sud", "de l'est",
    "de l'ouest", "du nord-est", "du nord-ouest", "du sud-est", "du sud-ouest",
})  # fmt: skip
"""Compass words that, before (English) or after (French) a continent, an ocean, a world region, a
country or a first-level region, name part of it ("Southern Europe", "Europe du Sud", "Atlantique Nord",
"Southern California"): an area without borders of its own, OntoNotes LOC. Not after a city ("East
Bronx" is a district, GPE), and never where the whole name is a gazetteer place ("South Africa",
"Northern Ireland", "Corée du Nord")."""

_COMPASS_KEYS = tuple(sorted({name_key(word) for word in COMPASS_WORDS}, key=len, reverse=True))
"""Longest first, so "du sud-est" is cut whole, not as "est"."""

GIVEN_NAMES_FILE = Path(__file__).resolve().parent / "data" / "given_names.txt"
"""US Census 1990 first names (public domain; source in the file's header)."""

GIVEN_NAME_MAX_WORDS = 3
"""Longest name the given-name row judges: "First Last" and "First particle Last" ("Laurence des Cars");
longer names are titles and institutions more often than people ("Julia Morgan School for Girls")."""

_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’-]*[a-z][\w'’-]*|de|des|du|da|di|van|von|der|den|le|la|bin|al|y)$")
"""A word after a given name in a person's name: capitalised letters (a lower-case letter in it: not
"11", "S-I.", "Bros."), or a particle ("Laurence des Cars"); not "for" ("Transport for Wales")."""

NAME_FUNCTION_WORDS = frozenset({
    "le", "la", "les", "de", "du", "des", "el", "al", "il", "lo", "van", "von", "royal",
})  # fmt: skip
"""Articles and particles that the census lists hold as given names ("Le", "Al") but that start an outlet's
or a place's name far more often ("Le Figaro", "El Paso"), and "Royal" (British institutions: "Royal
Mail", "Royal Navy"): never a given name at the start of a name. Nor is a known company's name ("Meta
Programming")."""

CLUB_WORDS = frozenset({
    "city", "united", "rovers", "wanderers", "athletic", "albion", "hotspur", "rangers",
})  # fmt: skip
"""Last words of football clubs named after their town ("Manchester City", "Leeds United", "Blackburn
Rovers"): "<gazetteer city's own name> City" that is no gazetteer name itself ("Kansas City", "Mexico
City" are) is the club, ORG (session 9). Not "Town", "County" or "Villa" ("Cape Town", "Orange County", a
house)."""

CITY_AS_PLACE_MIN_POPULATION = 100_000
"""A name the model tags ORG/PERSON is relabelled a place when it is a country, region or continent, or a
city at least this large: below it, town names are too often also surnames and firms ("Hamilton")."""

_PLACE_OVERRIDABLE = frozenset({"ORG", "PERSON", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT"})
"""Not NORP: a NORP that is also a town's name is a people far more often ("Brits", a South African town)."""


@dataclass(frozen=True)
class LabelRule:
    """When an entity labelled one of ``overrides`` matches, it becomes ``label``."""

    overrides: frozenset[str]
    match: str  # a key of ``_matchers``: "names" (``names``), "org_word", "head:<label>", "demonym", ...
    label: EntityLabel
    reason: str
    names: frozenset[str] = frozenset()


ALL_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)

LABEL_RULES: tuple[LabelRule, ...] = (
    LabelRule(
        ALL_LABELS - {"ORG"}, "names", "ORG", "news outlets and agencies are organisations", NEWS_OUTLETS
    ),
    LabelRule(ALL_LABELS - {"ORG"}, "names", "ORG", "social platforms are their companies (ORG)", PLATFORMS),
    LabelRule(ALL_LABELS - {"ORG"}, "names", "ORG", "well-known companies are organisations", COMPANIES),
    LabelRule(
        ALL_LABELS - {"PRODUCT"}, "names", "PRODUCT", "an operating system is a product", OPERATING_SYSTEMS
    ),
    LabelRule(ALL_LABELS - {"PRODUCT"}, "names", "PRODUCT", "a known device or app is a product", PRODUCTS),
    LabelRule(
        ALL_LABELS - {"GPE"}, "names", "GPE", "a former state is a GPE ('URSS' tagged ORG)", FORMER_STATES
    ),
    *(LabelRule(ALL_LABELS - {label}, f"head:{label}", label, reason) for _, label, reason in HEAD_LABELS),
    LabelRule(
        ALL_LABELS - {"ORG"},
        "web_address",
        "ORG",
        "a web address as a name is the site's publisher ('BVINEWS.COM' tagged PERSON)",
    ),
    LabelRule(
        ALL_LABELS - {"ORG"},
        "call_sign",
        "ORG",
        "a US broadcast call sign is its station ('KTRK' tagged PERSON)",
    ),
    LabelRule(
        frozenset({"PERSON"}),
        "model_number",
        "PRODUCT",
        "no person's name has a model number ('Ryzen 5 3550H' tagged PERSON): it is a product",
    ),
    LabelRule(
        ALL_LABELS - {"PERSON"},
        "initial_surname",
        "PERSON",
        "an initial and a surname is a person's name ('J. Jenkins' tagged GPE)",
    ),
    LabelRule(
        ALL_LABELS - {"WORK_OF_ART"},
        "indefinite_title",
        "WORK_OF_ART",
        "a name starting with 'A'/'An' is a title ('A Boating Party' tagged ORG): names take no such article",
    ),
    LabelRule(
        frozenset({"ORG", "PERSON", "GPE", "LOC", "FAC", "NORP"}),
        "year_last",
        "EVENT",
        "a name ending in a year is an edition of an event ('State Opening of Parliament 2024' tagged ORG)",
    ),
    LabelRule(
        frozenset({"LAW"}),
        "no_law_word",
        "WORK_OF_ART",
        "a LAW without a word of legal texts is a title ('Basket of Wild Strawberries' tagged LAW)",
    ),
    LabelRule(
        ALL_LABELS - {"ORG"},
        "org_word",
        "ORG",
        "a name with a corporate or institutional word is an organisation ('University of Washington')",
    ),
    LabelRule(
        frozenset({"GPE", "LOC", "ORG", "PERSON", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT"}),
        "names",
        "NORP",
        "a political, religious or ethnic group is NORP ('Republican' tagged ORG)",
        GROUP_NAMES,
    ),
    LabelRule(
        frozenset({"GPE", "LOC", "ORG", "PERSON", "FAC", "PRODUCT"}),
        "demonym",
        "NORP",
        "a demonym names a nationality, not the place ('Ukrainian' tagged GPE)",
    ),
    LabelRule(
        frozenset({"GPE", "ORG", "PERSON", "FAC", "NORP", "WORK_OF_ART", "EVENT", "PRODUCT"}),
        "leading_natural",
        "LOC",
        "a lake, mountain, strait, gulf or bay named head first is a natural place "
        "('Lake Berryessa' tagged GPE)",
    ),
    LabelRule(
        _PLACE_OVERRIDABLE | {"GPE"}, "natural_place", "LOC", "a continent is a natural place (OntoNotes LOC)"
    ),
    LabelRule(
        ALL_LABELS - {"LOC"},
        "world_region",
        "LOC",
        "a region across countries, an ocean or a compass part of one is LOC ('Europe du Sud' tagged GPE)",
    ),
    LabelRule(
        frozenset({"GPE", "LOC", "PERSON", "FAC", "NORP"}),
        "town_club",
        "ORG",
        "a town's name + a club word is a football club ('Manchester City' tagged GPE)",
    ),
    LabelRule(
        frozenset({"LOC", "ORG", "PERSON", "FAC"}),
        "compass_city",
        "GPE",
        "a compass part of a city is a district of it, a GPE ('East Bronx' tagged LOC)",
    ),
    LabelRule(
        frozenset({"NORP"}),
        "town_not_people",
        "GPE",
        "a NORP that is a town's own name and no demonym or group is the town ('Cheorwon' tagged NORP)",
    ),
    LabelRule(
        frozenset({"ORG", "GPE", "NORP", "WORK_OF_ART"}),
        "given_name_first",
        "PERSON",
        "two or three words starting with a common given name are a person's name ('Laurence des Cars' ORG)",
    ),
    LabelRule(
        _PLACE_OVERRIDABLE,
        "major_place",
        "GPE",
        "a country, first-level region or large city of the gazetteer is a place ('Crimea' tagged ORG)",
    ),
    LabelRule(
        frozenset({"LOC", "NORP"}),
        "state_named",
        "GPE",
        "a country or first-level region by its own name is a GPE, not a natural place or a people "
        "('Falkland Islands' tagged LOC, 'Punjab' tagged NORP; continents and world regions stay LOC above)",
    ),
)


@cache
def given_names() -> frozenset[str]:
    """The given-name table, case folded."""
    lines = GIVEN_NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


@cache
def world_region_keys() -> frozenset[str]:
    """``WORLD_REGIONS`` as name keys: known names, never common words ("Earth" beside "down to earth")."""
    return _name_keys(WORLD_REGIONS)


@cache
def known_org_keys() -> frozenset[str]:
    """Lookup keys of the outlets, platforms and companies tables (built once: the union is a new set
    each time, which ``_name_keys``' cache would hash and compare again on every call)."""
    return _name_keys(NEWS_OUTLETS | PLATFORMS | COMPANIES)


def group_keys() -> frozenset[str]:
    """Lookup keys (``name_key``) of ``GROUP_NAMES``."""
    return _name_keys(GROUP_NAMES)


@cache
def _name_keys(names: frozenset[str]) -> frozenset[str]:
    return frozenset(name_key(name) for name in names)


def _matchers(gazetteer: Gazetteer) -> dict[str, Callable[[LabelRule, str], bool]]:
    def major_place(_: LabelRule, name: str) -> bool:
        """Cities by their own name only: their alternate names include other languages' words ("Hamas"
        is an alternate of Hamm, "Lime" the French name of Lima)."""
        return any(
            p.kind in ("country", "region")
            or (
                p.kind == "city"
                and p.population >= CITY_AS_PLACE_MIN_POPULATION
                and gazetteer.is_main_name(p, name)
            )
            for p in gazetteer.lookup(name)
        )

    def head(label: str) -> Callable[[LabelRule, str], bool]:
        heads = next(words for words, row_label, _ in HEAD_LABELS if row_label == label)

        def matches(_: LabelRule, name: str) -> bool:
            words = name.casefold().split()
            if label == "FAC" and len(words) == 1 and words[0] in heads and not gazetteer.lookup(name):
                return True  # a facility named by its kind alone, capitalised: "the Turnpike"
            two_word_head = len(words) >= 3 and " ".join(words[-2:]) in heads
            return len(words) >= 2 and (words[-1] in heads or two_word_head) and not gazetteer.lookup(name)

        return matches

    def town_not_people(_: LabelRule, name: str) -> bool:
        return (
            gazetteer.demonym_country(name) is None
            and name_key(name) not in group_keys()
            and any(p.kind == "city" and gazetteer.is_main_name(p, name) for p in gazetteer.lookup(name))
        )

    def compass_base(name: str) -> str | None:
        """The name without its compass words ("Southern Europe", "Atlantique Nord-Est" -> "europe",
        "atlantique"; as a lookup key), or None when it has none."""
        key = name_key(name)
        for compass in _COMPASS_KEYS:
            if key.startswith(compass + " ") and " " not in compass:
                return key[len(compass) + 1 :]
            if key.endswith(" " + compass):
                return key[: -len(compass) - 1]
        return None

    def world_region(_: LabelRule, name: str) -> bool:
        if name_key(name) in _name_keys(WORLD_REGIONS):
            return True
        base = compass_base(name)
        if base is None or gazetteer.lookup(name):
            return False
        return name_key(base) in _name_keys(WORLD_REGIONS) or any(
            p.kind in ("continent", "country", "region") for p in gazetteer.lookup(base)
        )

    def given_name_first(_: LabelRule, name: str) -> bool:
        """Two or three words, the first a given name written as a name ("Laurence", not "LAURENCE"), that
        is no place, article, nationality or group ("Paris Hilton" aside, "Paris Guest House" is not a
        person; "Christian Democrats" a party), the others name words or particles (``_NAME_WORD``), no
        organisation word and no "&" ("Morgan & Morgan"); the whole name no place ("Santa Clara").
        Only over ORG, GPE, NORP and WORK_OF_ART: a LOC, FAC, EVENT or PRODUCT named after a person is
        still the place or thing ("Long Island Sound", a facility called after its donor)."""
        words = name.split()
        first = words[0] if words else ""
        return (
            2 <= len(words) <= GIVEN_NAME_MAX_WORDS
            and first.istitle()
            and first.casefold() in given_names()
            and first.casefold() not in NAME_FUNCTION_WORDS
            and name_key(first) not in known_org_keys()
            and all(_NAME_WORD.match(word) for word in words[1:])
            and "&" not in name
            and not (ORG_NAME_WORDS | ORG_WORDS).intersection(name_key(name).split())
            and gazetteer.demonym_country(first) is None
            and name_key(first) not in group_keys()
            and not gazetteer.lookup(first)
            and not gazetteer.lookup(name)
        )

    def compass_city(_: LabelRule, name: str) -> bool:
        """English order only ("East Bronx", "North London"): the compass word first, then a name of a
        gazetteer city; the whole no gazetteer name ("West Palm Beach" is a city of its own)."""
        key = name_key(name)
        first, _, rest = key.partition(" ")
        return (
            bool(rest)
            and first in _COMPASS_KEYS
            and not gazetteer.lookup(name)
            and any(p.kind == "city" for p in gazetteer.lookup(rest))
        )

    def town_club(_: LabelRule, name: str) -> bool:
        town, _, last = name.rpartition(" ")
        return (
            last.casefold() in CLUB_WORDS
            and last[:1].isupper()
            and bool(town)
            and not gazetteer.lookup(name)
            and any(p.kind == "city" and gazetteer.is_main_name(p, town) for p in gazetteer.lookup(town))
        )

    return {
        "town_club": town_club,
        "compass_city": compass_city,
        "year_last": lambda _, name: (
            len(name.split()) >= 2
            and bool(YEAR.match(name.split()[-1]))
            and not ORG_NAME_WORDS.intersection(name_key(name).split())
        ),
        "indefinite_title": lambda _, name: (
            len(name.split()) >= 2
            and name.split()[0] in ("A", "An")
            and name.split()[1][:1].isupper()
            and not gazetteer.lookup(name)  # "A Coruña"
        ),
        "given_name_first": given_name_first,
        "world_region": world_region,
        "web_address": lambda _, name: bool(WEB_ADDRESS.match(name)),
        "call_sign": lambda _, name: bool(CALL_SIGN.match(name)),
        "model_number": lambda _, name: bool(MODEL_NUMBER.search(name)),
        "initial_surname": lambda _, name: (
            bool(INITIAL_SURNAME.match(name))
            and not ORG_NAME_WORDS.intersection(name_key(name).split())
            and not gazetteer.lookup(name)
        ),
        "no_law_word": lambda _, name: not LAW_WORDS.intersection(name_key(name).split()),
        "town_not_people": town_not_people,
        "names": lambda rule, name: name_key(name) in _name_keys(rule.names),
        "org_word": lambda _, name: (
            bool(ORG_NAME_WORDS.intersection(name_key(name).split())) and not gazetteer.lookup(name)
        ),
        **{f"head:{label}": head(label) for _, label, _ in HEAD_LABELS},
        "demonym": lambda _, name: gazetteer.demonym_country(name) is not None,
        "natural_place": lambda _, name: any(p.kind == "continent" for p in gazetteer.lookup(name)),
        "major_place": major_place,
        "leading_natural": lambda _, name: (
            name.casefold().startswith(LEADING_NATURAL_HEADS)
            and name[:1].isupper()
            and len(name.split()) >= 2
            and not gazetteer.lookup(name)
        ),
        "state_named": lambda _, name: (
            gazetteer.demonym_country(name) is None
            and name_key(name) not in group_keys()
            and any(
                p.kind in ("country", "region") and gazetteer.is_main_name(p, name)
                for p in gazetteer.lookup(name)
            )
        ),
    }


def correct_labels(
    gazetteer: Gazetteer, entities: Iterable[Entity], rules: Iterable[LabelRule] = LABEL_RULES
) -> list[Entity]:
    """The entities with the first matching rule's label each (unchanged ones are the same objects). A row
    whose label the entity already has confirms it: later rows are not tried ("Morgan Stanley" tagged ORG
    is a known company, not a person whose given name is Morgan)."""
    matchers = _matchers(gazetteer)
    rules = tuple(rules)
    result = []
    for entity in entities:
        matching = (
            r
            for r in rules
            if (entity.label in r.overrides or entity.label == r.label) and matchers[r.match](r, entity.text)
        )
        label = next((rule.label for rule in matching), entity.label)
        result.append(entity if label == entity.label else entity.model_copy(update={"label": label}))
    return result


LOCATIVE_CUES = frozenset({"in", "near", "outside", "across", "throughout", "à"})
"""Words that, just before a name, say it is where something happens ("in Dedham", "à Pokrovsk")."""

_MENTION_PLACE_OVERRIDABLE = _PLACE_OVERRIDABLE | {"NORP"}

AREA_WORDS = frozenset({"area", "neighborhood", "neighbourhood", "suburb", "township"})
"""Lower-case words that, right after a name, say it names a place ("the Copperfield area", "the Sheepshead
Bay neighborhood"): the mention votes GPE, as after a locative cue; not a nationality or group ("the
Hispanic neighborhood")."""


def correct_mention_labels(gazetteer: Gazetteer, mentions: Iterable[Mention]) -> list[Mention]:
    """Mention-level rule, before the document merge: a mention after a locative word ("in", "near")
    whose text is a gazetteer place's own name (any size: the cue replaces the population threshold of
    ``major_place``), and not a demonym, votes GPE whatever the model said ("in Dedham" tagged PERSON); so
    does a name right before an area word (``AREA_WORDS``). Unchanged mentions are the same objects."""
    result = []
    for mention in mentions:
        if mention.label in _MENTION_PLACE_OVERRIDABLE and mention.before.casefold() in LOCATIVE_CUES:
            name = clean_mention(mention.text)
            if (
                name
                and gazetteer.demonym_country(name) is None
                and any(gazetteer.is_main_name(place, name) for place in gazetteer.lookup(name))
            ):
                mention = replace(mention, label="GPE")
        elif (
            mention.label in _MENTION_PLACE_OVERRIDABLE
            and mention.after.split()[:1]
            and mention.after.split()[0].rstrip(".,;:") in AREA_WORDS
            and (name := clean_mention(mention.text))
            and gazetteer.demonym_country(name) is None
            and name_key(name) not in group_keys()
        ):
            mention = replace(mention, label="GPE")  # "the Copperfield area" (session 10)
        result.append(mention)
    return result


def _names_a_district(place: Place, name: str) -> bool:
    """Whether ``name`` is one word of a longer place name: GeoNames gives Paris' arrondissements, named
    "Paris 01 Louvre", their landmark's name as an alternate ("Louvre", "Bourse")."""
    own, key = name_key(place.name), name_key(name)
    return own != key and key in own.split()


def correct_labels_in_context(gazetteer: Gazetteer, entities: list[Entity]) -> list[Entity]:
    """Document-level rule, after ``correct_labels``: a PERSON/ORG/NORP/FAC entity that is a gazetteer
    city lying in a place the document names becomes GPE: by its own name in a first-level region the
    document names ("Dedham" tagged PERSON in an article naming Massachusetts), or by any of its names
    in a country the document names ("Kourakhové" tagged PERSON beside "Ukraine"). People's surnames
    were joined to their full names by the merge, so a lone name left here is rarely a person's."""
    regions: set[tuple[str | None, str | None]] = set()
    countries: set[str | None] = set()
    for entity in entities:
        if entity.label == "GPE":
            for place in gazetteer.lookup(entity.text)[:1]:
                if place.kind == "region":
                    regions.add((place.country, place.admin1))
                elif place.kind == "country":
                    countries.add(place.country)
    if not regions and not countries:
        return entities
    result = []
    for entity in entities:
        if entity.label in _MENTION_PLACE_OVERRIDABLE and gazetteer.demonym_country(entity.text) is None:
            inside = any(
                place.kind == "city"
                and (
                    ((place.country, place.admin1) in regions and gazetteer.is_main_name(place, entity.text))
                    or (place.country in countries and not _names_a_district(place, entity.text))
                )
                for place in gazetteer.lookup(entity.text)
            )
            if inside:
                entity = entity.model_copy(update={"label": "GPE"})
        result.append(entity)
    return result


def surnames_not_places(gazetteer: Gazetteer, entities: list[Entity]) -> list[Entity]:
    """Document-level rule, before ``correct_labels_in_context``: a one-word GPE/LOC that is the surname of
    exactly one person of the document ("Lily Miyazaki" ... "Miyazaki" tagged GPE) and that the gazetteer
    knows as cities only, none in a country of the document's other places, is that person: it joins
    the person's entity (mentions and forms). A name that is also a country or region ("Washington"
    beside "George Washington") or a town of a country the document names stays a place (session 9)."""
    people: dict[str, list[Entity]] = {}
    for entity in entities:
        words = entity.text.split()
        if entity.label == "PERSON" and 2 <= len(words) <= GIVEN_NAME_MAX_WORDS:
            people.setdefault(name_key(words[-1]), []).append(entity)
    surnames = {
        index: people[name_key(e.text)][0]
        for index, e in enumerate(entities)
        if e.label in ("GPE", "LOC") and " " not in e.text and len(people.get(name_key(e.text), ())) == 1
    }
    if not surnames:
        return entities
    countries = {
        place.country
        for index, e in enumerate(entities)
        if e.label == "GPE" and index not in surnames
        for place in gazetteer.lookup(e.text)[:1]
    }
    joined: dict[int, Entity] = {}  # id() of a person -> the person with its surname's mentions
    dropped = set()
    for index, person in surnames.items():
        places = gazetteer.lookup(entities[index].text)
        if places and all(p.kind == "city" and p.country not in countries for p in places):
            base = joined.get(id(person), person)
            joined[id(person)] = base.model_copy(
                update={
                    "mentions": base.mentions + entities[index].mentions,
                    "forms": list(dict.fromkeys([*base.forms, *entities[index].forms])),
                }
            )
            dropped.add(index)
    return [joined.get(id(e), e) for index, e in enumerate(entities) if index not in dropped]


SPORTS_NAME_WORDS = frozenset({
    "league", "cup", "nfl", "nba", "mlb", "nhl", "mls", "fifa", "uefa", "premiership", "bundesliga", "liga",
    "serie", "ligue", "bowl", "playoffs", "olympics", "championship",
})  # fmt: skip
"""Words of competition names ("Champions League", "NFL", "Super Bowl"): an entity with one marks the
document as sports news, where a plural nickname is a team ("Spurs", "Rams", "Trojans")."""

_TEAM_OVERRIDABLE = frozenset({"PERSON", "NORP"})


def _is_plural_nickname(gazetteer: Gazetteer, name: str) -> bool:
    """One capitalised word in plural "s" (not "ss"), no demonym, group, given name or place."""
    return (
        " " not in name
        and len(name) > 3
        and name[:1].isupper()
        and name[1:].islower()
        and name.endswith("s")
        and not name.endswith("ss")
        and gazetteer.demonym_country(name) is None
        and name_key(name) not in group_keys()
        and name.casefold() not in given_names()
        and not gazetteer.lookup(name)
    )


def teams_in_sports_news(gazetteer: Gazetteer, entities: list[Entity]) -> list[Entity]:
    """Document-level rule: in a document naming a competition (``SPORTS_NAME_WORDS``), a one-word
    plural nickname tagged PERSON or NORP is a team, ORG ("against Spurs", "the Rams opened the
    season"). Unchanged entities are the same objects."""
    sports = any(SPORTS_NAME_WORDS.intersection(name_key(e.text).split()) for e in entities)
    if not sports:
        return entities
    return [
        e.model_copy(update={"label": "ORG"})
        if e.label in _TEAM_OVERRIDABLE and _is_plural_nickname(gazetteer, e.text)
        else e
        for e in entities
    ]
