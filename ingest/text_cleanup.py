"""News-specific cleanup of extracted paragraphs: what trafilatura leaves of a page's furniture.

Each rule drops whole short lines only (a real paragraph is never cut), and each is generic: it
names a kind of furniture (comment prompts, "read more" teasers, related-post headers, newsletter
calls, share bars, image credits, bylines, datelines, reader calls, offers and house notices,
contact and metadata rows, closing author notes, teaser links, cards and kicker + headline items),
never a site. Measured with ``python -m bench.extraction_quality`` (docs/extraction.md).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

from lxml.html import HtmlElement

# Only lines up to this length are tested against the boilerplate patterns: real paragraphs that
# happen to start with "Lesen Sie" or mention comments are long; the leftovers are one-liners.
MAX_BOILERPLATE_LINE_CHARS = 160

# A byline or dateline row is short: "By Jane Doe and John Roe, Reuters | Updated 12 March 2024, 10:15".
MAX_BYLINE_CHARS = 120

_BOILERPLATE_LINE = re.compile(
    r"""^(
        ((\d+|keine|no|aucun|sin|brak)\s+)?(comments?|kommentare?|commentaires?|comentarios|komentarzy?)(\s+yet)?\W*$
        | (post|leave|write|add|publier|schreib|verfassen|hinterlasse)\b.{0,30}(comment|kommentar|commentaire)
        | (please\s+)?(log\s*in|sign\s*in|anmelden|registrieren|eingeloggt).{0,60}(comment|kommentar)
        | (read|lesen\s+sie|lies)\s+(more|also|auch|hier|mehr|weiter)\b.{0,120}$
        | (à\s+lire\s+aussi|lire\s+aussi|voir\s+aussi|czytaj\s+(też|także|więcej)|dowiedz\s+się\s+więcej
           |mehr\s+zum\s+thema|weitere\s+themen|empfohlene\s+beiträge|related\s+(posts|articles|stories)
           |you\s+may\s+also\s+like|das\s+könnte\s+sie\s+auch\s+interessieren|auch\s+interessant)\b.{0,120}$
        | (sign\s*up|subscribe)\b.{0,40}newsletter.{0,40}$
        | (foto|fot\.|photo|bild|titelbild|crédits?\s+photos?|image|picture|фото)\s*:.{0,80}$
        | [-–\s]*additional\s+reporting\s+(by|from)\b.{0,80}$
        | ©.{0,80}$ | copyright\s*:\s*\S.{0,80}$
        | (bild|video)\s+anzeigen\s*$
        | >>.{0,120}<<\s*$
        | share\s+(this|on)\b.{0,40}$
        | (share|teilen|partager|compartir|condividi|del|dela)\s*(:|\s(on|via|auf|sur|en)\b).{0,60}$
        | ((facebook|twitter|x|whatsapp|e-?mail|linkedin|telegram|reddit|pinterest|copy\s+link|link\s+kopieren
            |messenger|threads|bluesky|flipboard|print|drucken)[\s,|·•/]*){2,}$
        | [(\[]?(photo|foto|bild|image|picture|credit|crédit|quelle|source)s?\s*(:|/|by|von)\s.{0,80}[)\]]?$
        | (updated|aktualisiert|published|veröffentlicht|publié|mis\s+à\s+jour|stand|uppdaterad|publicerad
           |oppdatert|publisert|opdateret|publiceret|güncelleme|güncellendi|yayınlanma)\s*:?\s*.{0,60}\d.{0,40}$
        | \d+\s*(min(ute)?s?|minuten?)\.?\s+(read|lesezeit|lesen|de\s+lecture)\s*$
        | (durchschnittliche\s+bewertung|average\s+rating|valoración\s+media|note\s+moyenne)\s*:?\s*\d.{0,20}$
        | (カテゴリー|著者|記者|トピック)?をフォローする\s*$
        | (lesezeit|lesedauer|reading\s+time|temps\s+de\s+lecture|tiempo\s+de\s+lectura)\s*:?\s*\d+.{0,20}$
        | (passer\s+la\s+publicité|skip\s+(the\s+)?(ad|advert|advertisement)|werbung\s+überspringen
           |saltar\s+(la\s+)?publicidad)\s*$
        | (advertisement\b.{0,40})?story\s+continues\s+below\s*$
        | (esta\s+funcionalidad\s+es\s+s[oó]lo\s+para\s+suscriptores|suscr[ií]bete|abonnez-vous
           |subscribe\s+now|jetzt\s+abonnieren)\W*$
        | (log\s*in|sign\s*in)\s+or\s+(create|register|sign\s*up)\b.{0,40}\bto\s+(continue|read)\b.{0,20}$
        | (sendung|sendetermin|ausstrahlung)\s*:.{0,80}\d{4}.{0,30}$
        | aus\s+dem\s+[^\W\d_]+en\s+(übersetzt\s+)?von\s+[^.!?]{2,80}$
        | (translated|übersetzt)\s+(from\s+(the\s+)?\w+\s+|aus\s+dem\s+\w+\s+)?(by|von)\s+[^.!?]{2,80}$
        | (übersetzung|translation|traducción|traduction|redaktion|schlussredaktion|lektorat|audioversion)
           (\s+und\s+\w+)?\s*:\s*[^.!?]{2,140}$
        | (les\s+også|læs\s+også|läs\s+(också|mer)|lees\s+(ook|meer)|leggi\s+anche|lea\s+también|leia\s+também
           |lue\s+myös|čtěte\s+(také|též)|see\s+also|also\s+read|siehe\s+auch|mehr\s+dazu)\b.{0,120}$
        | (advertisement|anzeige|werbung|publicité|publicidad|pubblicità|annonse|annons|reklame|sponsored)\s*$
        | il\s+vous\s+reste\s+\d.{0,80}$ | la\s+suite\s+est\s+réservée.{0,60}$
        | \d+\s+(wochen|tage|monate?)\s+(kostenlos|gratis)\s+(testen|lesen).{0,40}$
        | externer\s+inhalt.{0,40}$
        | (zur\s+anzeige|um\s+(diesen|den)\s+inhalt).{0,40}(aktivier|zustimm|einstellungen).{0,60}$
        | link\s+zum\s+\w+-inhalt\s*$
        | (sign\s*up|register)\s+(for|to)\b.{0,140}$
        | (follow|folg(e|st\s+du)|suivez|síguenos|seguici|følg)\b.{0,60}
           (google\s+news|whatsapp|telegram|instagram|facebook|social\s+media|kanal|channel).{0,80}$
        | (tags?|schlagwörter|schlagworte|etiketler|étiquettes|etiquetas|tagged|themen)\s*:.{0,100}$
        | (tags|temas|topics|sujets|schlagwörter)\s*$
        | newsletter\s*:\s*[^.!?]{1,60}$
        | (weitere|mehr)\s+(infos?|informationen)\s+(hierzu\s+|dazu\s+)?(unter|gibt\s+es|finden\s+sie)\b
           .{0,100}$
        | (weitere|mehr)\s+(infos?|informationen)\s+(zu[mr]?|über)\b[^.!?]{0,60}:$
        | (video|audio|sendung)?\s*(verfügbar|available|disponible)\s+(bis|until|jusqu'au|hasta)\s+\d.{0,30}$
        | (puedes\s+ver|mira\s+también|ver\s+más|lee\s+más)\s*:\s*\S.{0,150}$
        | (関連(キーワード|記事|ニュース)|おすすめ(情報|記事)?)\s*$
        | (most\s+)?(popular|beliebt|meistgelesen)\w*\s*$ | more\s+from\s.{0,40}$
        | \d{4}年\d{1,2}月\d{1,2}日.{0,40}$
        | \d{1,2}:\d\d\s*min\b.{0,60}$
        | (mit|with)\s+(agentur|agency|wire)\w*\s*(material|reports?|meldungen).{0,20}$
        | (more|related|watch|le\s+puede\s+interesar|te\s+puede\s+interesar|lea\s+también|lee\s+también|mire
           |vea\s+también|ver\s+también|leia\s+mais|weiterlesen)\s*:\s*\S.{0,150}$
        | (kategorie|category|catégorie|categoría|rubrik)\s*:.{0,60}$
        | (>>(?!>)|►|▶|→)\s*\S.{0,150}$
        | (inhaltsverzeichnis|table\s+of\s+contents|índice|sommaire|spis\s+treści)\s*$
        | (hauptinhalt|zum\s+(haupt)?inhalt(\s+springen)?|skip\s+to\s+(main\s+)?content|main\s+content)\s*$
        | (link|url|lien)\s+(copied|kopiert|copié)\W*$
        | (telefon|tel|phone|fax|mobil|mobile)\.?\s*:?\s*\+?[\d\s()/.-]{6,}$
        | (ansprechpartner(in)?|pressekontakt|pressesprecher\S*|media\s+contact|press\s+contact|kontakt)\b
           [^.!?]{0,60}$
        | (anzeige|advertisement|werbung)\s*[-–:|]\s.{0,140}$
        | [\W_]+$
        | (kilde|källa|fuente|fonte|źródło)\s*:\s*\S.{0,60}$
        | (sie\s+sind|you\s+are)\s+(aktuell\s+|currently\s+|derzeit\s+)?(nicht|not)\s+
           (eingeloggt|angemeldet|logged\s+in|signed\s+in).{0,40}$
        | (article\s+content|článek|artikel|article|artículo|articolo)\s*$
        | (would\s+you\s+like|do\s+you\s+want|want|möchten\s+sie|wollen\s+sie)\s+to\s+comment\b.{0,60}$
        | (sign\s*up|register)\b.{0,40}\bor\s+(sign|log)\s*in\b.{0,40}$
        | (www\.)?[\w-]+(\.[\w-]+)*\.(com|net|org|info|news|de|at|ch|fr|es|it|pl|nl|be|uk|us|ca|au|tv)\s*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# The alternatives that may start anywhere in the line's first characters (a bounded wildcard first): the
# regex engine tries each at every offset, ~80 % of the whole pattern's cost (~20 us a short line). Each
# needs one of _FLOATING_STEMS in the line, so lines without any skip them. The stems are looked for in the
# line folded as IGNORECASE compares letters: the four characters that match an ASCII letter
# case-insensitively but that str.lower() leaves different ("ſ" s, "ı" and "İ" i, the Kelvin sign k) are
# mapped first. tests/ingest/test_extraction_lookups.py pins is_boilerplate to the one-pattern definition.
_BOILERPLATE_LINE_FLOATING = re.compile(
    r"""^(
        .{0,40}\b(kommentar|comment)\w*\s+(verfassen|schreiben|abgeben)\b
        | .{0,40}(müssen|musst)\s+(sich\s+|dich\s+)?(angemeldet|eingeloggt|anmelden|einloggen).{0,80}$
        | .{0,40}\b(must|need\s+to)\s+be\s+(logged|signed)\s+in\b.{0,80}$
        | .{0,40}(newsletter|never\s+miss).{0,80}(sign\s*up|subscribe|abonnieren|anmelden|today)\W*$
        | .{0,80}\b(getty\s+images|dpa|afp|reuters|keystone|imago|shutterstock|ap\s+photo|epa
           |pap|kna|epd|efe|ansa)
           (\s*/\s*\S.{0,40})?$
        | .{0,60}(nur\s+für\s+abonnenten|for\s+subscribers\s+only|réservé\s+aux\s+abonnés
           |exclusivo\s+para\s+suscriptores).{0,60}$
        | .{0,60}(有料会員|会員限定|会員登録|読み放題).{0,80}$
        | .{0,20}(privatsphäre|datenschutz)-?einstellungen\s+(verhindern|aktivieren).{0,140}
        | .{0,60}\bcomment(s|ing)?\b.{0,60}(forum|display\s+name|log\s*in|logout).{0,60}$
        | .{0,60}\bcomment(s|ing)?\s+(policy|guidelines|rules)\b.{0,60}$
        | .{0,60}display\s+name.{0,60}$
        | .{0,40}\b(letzte\s+(änderung|aktualisierung)|last\s+modified|zuletzt\s+(geändert|aktualisiert)
           |release\s+date)\b
           .{0,60}$
        | .{0,20}url이\s*복사되었습니다\W*$
        | .{0,40}(に登録すると|ログインすると).{0,60}$
        | .{0,30}(przeczytasz\s+w|czas\s+czytania|tiempo\s+de\s+lectura|leestijd|lesetid|lästid)\b.{0,40}$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_FLOATING_STEMS = (
    "omment", "müssen", "musst", "logged", "signed", "newsletter", "never", "getty", "dpa",
    "afp", "reuters", "keystone", "imago", "shutterstock", "photo", "epa", "pap", "kna", "epd",
    "efe", "ansa", "abonnenten", "subscribers", "abonnés", "suscriptores", "会員", "読み放題",
    "einstellungen", "display", "letzte", "modified", "zuletzt", "release", "복사", "すると",
    "przeczytasz", "czytania", "lectura", "leestijd", "lesetid", "lästid",
)  # fmt: skip
_IGNORECASE_FOLD = str.maketrans({"ſ": "s", "ı": "i", "İ": "i", "\u212a": "k"})

# A line that is only a date and/or time: "12.03.2024, 10:15 Uhr", "March 12, 2024", "2024-03-12 10:15".
# Without known authors, a line starting with "By"/"Von" is a byline only if it is this short (a name
# or two); longer ones are sentences ("Von Berlin aus fährt der Zug ...").
MAX_BYLINE_WORDS_WITHOUT_AUTHORS = 6

_DATELINE = re.compile(
    r"^[\W_]*(?:\w+,?\s+)?(?:\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{4}-\d\d-\d\d|\d{1,2}\.?\s+(?:de\s+)?\w+\.?,?\s+(?:de\s+)?\d{4}"
    r"|\w+\.?\s+\d{1,2},?\s+\d{4})(?:[,\s|–-]+(?:um\s+)?\d{1,2}[:.]\d\d(?:\s*(?:uhr|h|am|pm|[a-z]{2,4}))?)?[\W_]*$",
    re.IGNORECASE,
)
_BYLINE_START = re.compile(
    r"^(?:by|von|par|por|door|av|di|af|text|texto|autor(?:in)?|author)\b\s*:?\s*", re.I
)


# What is not a letter or digit ([\W_] is exactly "not str.isalnum()"), and what is not a letter.
_NOT_ALNUM = re.compile(r"[\W_]+")
_NOT_LETTER = re.compile(r"[\W\d_]+")


def _key(text: str) -> str:
    """Lower-case letters and digits only: the comparison key of a line (a regex, ~10x a generator)."""
    return _NOT_ALNUM.sub("", text.casefold())


# A page's script state rendered as text (a key/value list from a JSON blob): "- showPaywall:", "- false".
# Case-sensitive: a camelCase key is code, "Fazit:" or "Zutaten:" are headings.
_CODE_LINE = re.compile(r"^[-•]?\s*([a-z]+[A-Z]\w*\s*:|true|false|null|undefined)\s*$")


def is_boilerplate(line: str) -> bool:
    """A short line that is page furniture (see the module doc)."""
    if len(line) > MAX_BOILERPLATE_LINE_CHARS:
        return False
    if any(p.match(line) is not None for p in (_BOILERPLATE_LINE, _DATELINE, _CODE_LINE)):
        return True
    folded = line.translate(_IGNORECASE_FOLD).lower()
    if any(map(folded.__contains__, _FLOATING_STEMS)) and _BOILERPLATE_LINE_FLOATING.match(line) is not None:
        return True
    return is_meta_row(line)


# A metadata row: a date together with other fields, either split by pipes ("Programm: Radio | Nachrichten
# | 28. April 2023 | 10:00 Uhr") or as labelled fields ("News date : 04/21/2022 Category : Press Releases").
# A table row starts with a pipe (trafilatura's table rendering) and is left alone. Labelled fields need a
# numeric date, not a time ("Öffnungszeiten: Mo-Fr: 09:30-18:00 Uhr" is an article's practical information)
# nor a word before a year ("Selbstverlag: www.example.com, 2. Auflage 2020" is a book reference).
MIN_META_ROW_PIPES = 2
MIN_META_ROW_LABELS = 2
_NUMERIC_DATE = re.compile(r"\b(\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{4}-\d\d-\d\d)\b")
_DATE_IN_LINE = re.compile(
    r"\b(\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{4}-\d\d-\d\d|\d{1,2}\.?\s+[^\W\d_]{3,}\.?,?\s+\d{4}"
    r"|[^\W\d_]{3,}\.?\s+\d{1,2},\s+\d{4})\b"
)
_TIME_IN_LINE = re.compile(r"\b\d{1,2}:\d\d\b")
_FIELD_LABEL = re.compile(r"(?:^|\s)[^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*){0,2}\s*:(?:\s|$)")
# A row this short needs one pipe only: "2021-10-16 | Botschaft", "Berlin | 12.03.2024" (a date and a label).
MAX_SHORT_META_ROW_CHARS = 50
# A numeric date glued to the next word ("27.01.2022MineralölINFO November 2021") is a date element and a
# headline element rendered without a space: a row of a dated link list, not a sentence.
_GLUED_DATE = re.compile(r"^\W*(\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d\d-\d\d)[^\W\d_]")


def is_meta_row(line: str) -> bool:
    """A short row of metadata fields with a date (see MIN_META_ROW_PIPES)."""
    if len(line) > MAX_BOILERPLATE_LINE_CHARS or line.lstrip().startswith("|"):
        return False
    if _GLUED_DATE.match(line) is not None:
        return True
    pipes = line.count("|")
    piped = pipes >= MIN_META_ROW_PIPES or (pipes and len(line) <= MAX_SHORT_META_ROW_CHARS)
    if not piped and line.count(":") < MIN_META_ROW_LABELS:
        return False
    if piped:
        return _DATE_IN_LINE.search(line) is not None or _TIME_IN_LINE.search(line) is not None
    return _NUMERIC_DATE.search(line) is not None and len(_FIELD_LABEL.findall(line)) >= MIN_META_ROW_LABELS


# Reader calls and house notices: subscribe/follow/app/newsletter/support appeals, feedback prompts,
# paywall and consent notices, reprint and syndication notices, agency credit lines. They run longer
# than one-line furniture ("Follow X on Twitter and Facebook for the latest news ... Sign up for our
# newsletter"), so lines up to this long are tested; each alternative names the call itself, which
# running text about subscriptions or apps does not (it reports on them in the third person).
MAX_READER_CALL_CHARS = 300
_READER_CALL = re.compile(
    r"""^(
        .{0,40}\b(got\s+a\s+story|get\s+in\s+touch\s+with\s+(our|the)|we\s+want\s+to\s+hear\s+from\s+you
           |we\s+want\s+to\s+hear\s+what\s+you\s+think|(submit|write)\s+a\s+letter\s+to\s+the\s+editor
           |do\s+you\s+have\s+a\s+story\s+(to\s+tell|idea)|get\s+in\s+touch\s+at\s+\S+@
           |fehler\s+gefunden(?=\s*\?)|(haben\s+sie|hast\s+du)\s+einen\s+fehler\s+(gefunden|entdeckt)
           |(found|spotted|see)\s+(a|an)\s+(error|typo|mistake)(?=\s*\?)|(has|ha)\s+encontrado\s+un\s+error
           |vous\s+avez\s+(repéré|trouvé|vu)\s+une\s+(erreur|faute|coquille)
           |(wie\s+)?hat\s+(ihnen|dir|euch)\s+(dieser|der)\s+(artikel|beitrag|text)\s+gefallen
           |(did\s+you\s+)?(like|enjoy|enjoyed)\s+(this|the)\s+(article|story)(?=\s*\?)
           |how\s+(did\s+you\s+like|would\s+you\s+rate)\s+this\s+(article|story)
           |te\s+(ha\s+)?gustado\s+(este|el)\s+art[ií]culo|cet\s+article\s+vous\s+a\s+plu
           |for\s+more\s+stories\s+like\s+this|ihre\s+meinung\s+ist\s+uns\s+wichtig|puede\s+escribirnos
           |join\s+(the\s+|thought-provoking\s+)?conversations?)\b
        | .{0,80}\b(follow|folgen\s+sie|folge|suivez|s[ií]guenos|seguici|síganos|obserwuj)\b.{0,80}
           \b(on|auf|sur|en|su|na)\s+(twitter|facebook|instagram|whatsapp|telegram|tiktok|youtube|social\s+media)
        | .{0,80}\b(nuestro|nuestra|unser(en)?|our|notre)\s+(canal|kanal|channel|chaîne)
           \s+(de|auf|on|sur|en)\s+(telegram|whatsapp|youtube|tiktok)
        | .{0,80}\b(canal|kanal|channel)\s+(de|auf|on|sur)\s+(telegram|whatsapp)\b.{0,40}\?
        | .{0,120}\b(download|herunterladen|laden\s+sie|descarga|descargue|téléchargez)\b.{0,60}\bapps?\b
        | .{0,80}\bapp\b.{0,40}\b(für|for|para|pour)\s+(android|ios)\s+(und|and|y|et|&)\s+(ios|android)
        | (.{0,120}[.!?:–—-]\s+)?(sign\s*up|subscribe|abonnieren|suscr[ií]bete|inscrivez-vous)\b
           .{0,80}\bnewsletter
        | .{0,120}\bby\s+signing\s+up\b.{0,60}\bnewsletter
        | .{0,120}\b(melden?|trage?n?)\s+(dich|sie\s+sich)\b.{0,60}\bnewsletter
        | .{0,120}\bnewsletter\b.{0,60}\b(richtig|sign\s*up|subscribe|abonnieren|anmelden|inbox|posteingang)
        | .{0,40}(subscribe\s+(now\s+)?to\s+(our|the)\b
           |(to\s+(view|read|continue)\s+)?(reading\s+)?the\s+full\s+story,?\s+(please\s+)?subscribe
           |first-time\s+subscribers)
        | .{0,80}\balready\s+a\s+subscriber
        | .{0,200}\b(sign\s*up|subscribe|register)\s+here\W*$
        | .{0,200}\b(melden\s+sie\s+den\s+fehler|swipe\s+(left|right|to\s+see))\b
        | this\s+is\s+a\s+(breaking|developing)\s+(news\s+|new\s+)?story\b.{0,60}
        | get\s+(the\s+latest|daily|weekly|breaking|real-time)\s+(\S+\s+){0,4}
           (news|updates|alerts|headlines)\b
        | .{0,200}\b(contributed\s+(to\s+)?(this\s+)?(report|reporting|story)
           |(additional\s+)?reporting\s+by\b.{0,160}\bediting\s+by)\b
        | (with|con)\s+(reports?|reporting|información|informaciones)\s+(from|de)\b.{0,80}$
        | .{0,80}\b(consider\s+supporting|support\s+(our|us)\b|unterstütze\s
           |unterstützen\s+sie\s+(uns|unseren)
           |wesprzyj\s+nas|hazte\s+(miembro|socio)|apóyanos|soutenez|become\s+a\s+(member|supporter))
        | .{0,120}\b(zapraszamy\s+(też\s+)?do\s+subskrypcji|jetzt\s+abonnieren|abonnez-vous)
        | .{0,120}\b(all\s+rights\s+reserved|alle\s+rechte\s+vorbehalten|todos\s+los\s+derechos\s+reservados
           |tous\s+droits\s+réservés|copyrighted\s+property|written\s+permission\s+must
           |chroniony\s+prawem\s+autorskim)
        | .{0,120}\b(externe[nr]?\s+inhalt|inhalt\s+von\s+\S+\s+zu\s+laden|einverstanden,\s+dass\s+mir)
        | empfohlener\s+redaktioneller\s+inhalt
        | .{0,200}\b(donate\s*\W*$|wesprzyj\s+nas\b|rss-?feed\s+abonnieren)
        | .{0,200}\b(leave|hinterlasse\w*|schreib\w*)\s+(us\s+)?(einfach\s+)?(a|einen|deinen|ihren)
           \s+(comment|kommentar)
        | copyright\s*©.{0,250}
        | (dieser\s+(artikel|beitrag|text)\s+(ist\s+)?(zuerst|erstmals|ursprünglich)
           |this\s+(article|story|piece)\s+(was\s+|is\s+)?(first|originally)\s+(appeared|published)
           |(cet\s+article|este\s+artículo)\s+(a\s+été\s+|fue\s+)?(publié|publicado)\s+(initialement|originalmente))
        | (verraten|schreiben)\s+sie\s+(uns\s+)?(gerne\s+)?in\s+den\s+kommentaren
        | with\s+files\s+from\b.{0,120}$
        | .{0,80}\b(werden\s+sie|werde)\s+(jetzt\s+)?mitglied\b
        | .{0,80}\b(erhalten\s+sie|erhältst\s+du|get|receive)\s+(\w+\s+)?(exklusive|exclusive)
           \s+(angebote|offers|deals|vorteile)
        | .{0,120}\b((click|klick)\s+here|hier\s+klicken|klicken\s+sie\s+hier|haga\s+clic\s+aquí
           |cliquez\s+ici)\b
        | (dies\s+ist|dieser\s+(artikel|text|beitrag)\s+ist)\s+eine\s+(\w+\s+)?übersetzung
        | this\s+(article|story)\s+(is|was|has\s+been)\s+(machine[-\s]|automatically\s+)?translated
        | .{0,120}\b(you\s+are\s+using\s+an?\s+(\w+\s+)?browser|browser\s+version\s+with\s+limited\s+support
           |(please\s+)?(enable|activate)\s+javascript|aktivieren\s+sie\s+(bitte\s+)?javascript
           |javascript\s+(is\s+)?(disabled|deaktiviert)|ihr\s+browser\s+(ist\s+)?veraltet|update\s+your\s+browser)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Offers and notices addressed to the reader anywhere in a line (session 8): newsletter sign-ups, "in your
# inbox", "cancel anytime", the reader's subscription or account, "read our privacy policy", an embed's
# consent notice. Searched only on lines holding one of _OFFER_STEMS, apart from _READER_CALL (whose
# stems are common words): each line costs a few substring tests. Lines up to this long: a consent notice
# ("Ich bin damit einverstanden, dass mir der externe Inhalt angezeigt wird. Damit können ...") runs to
# ~350 chars. Reader-support appeals (session 9): journalism that "needs your support", an imperative
# "Support/Invest in (independent) journalism" at a sentence start (running text reports that a grant
# "will support local journalism"), "we need your support", a "no paywall" pledge; in several languages.
# Affiliate disclosures worded as the publisher's commission ("We may earn a commission", "Postmedia may earn
# an affiliate commission"); the German "... erhalten wir eine Provision" is left: a newsbench reference
# keeps such a paragraph (session 7), and a bare "contains affiliate links" notice too.
MAX_OFFER_CALL_CHARS = 400
_OFFER_CALL = re.compile(
    r"""\b(
        (sign\s*up|subscribe)\s+(for|to)\s+(our|the)\b.{0,40}\bnewsletter
        | (in|to|into)\s+your\s+inbox\b
        | (in|für|zu|to|for|into|à|a)\s+(unseren?|unserem|our|notre|nuestro)\s+[\w-]*newsletter\b
        | cancel\s+(at\s+)?any\s*time|cancela\s+cuando\s+quieras|jederzeit\s+kündbar
        | résiliable\s+à\s+tout\s+moment|(check\s+out|unsubscribe|opt\s+out)\s+at\s+any\s+time
        | (tu\s+suscripción|your\s+subscription|votre\s+abonnement|ihr\s+abo(nnement)?|dein\s+abo(nnement)?)\b
        | read\s+our\s+privacy\s+policy
        | einverstanden,\s+dass\s+mir
        | (?:^|(?<=[.!?:–—]\s))(please\s+)?(support|unterstütze|unterstützen\s+sie|sichere|sichern\s+sie
           |invest\s+in|apoya|apoye|soutenez|soutiens|sostieni|wesprzyj)\s+(\w+\s+){0,3}(journalism|journalismus
           |journalisme|periodismo|giornalismo|dziennikarstwo)\b
        | (journalism|journalismus|journalisme|periodismo|giornalismo)\b.{0,80}\b(braucht|needs|necesita
           |a\s+besoin\s+de)\s+(deine|ihre|eure|your|tu|su|votre|ton)\s+(unterstützung|support|apoyo|soutien)
        | (helfen\s+sie\s+mit|hilf\s+uns|help\s+us|ayúdanos|aidez-nous)\b.{0,80}(journalism|journalismus
           |journalisme|periodismo)
        | (journalism|journalismus|journalisme|periodismo)\b.{0,80}\b(sie\s+können|du\s+kannst|you\s+can)
           \s+(das|uns|this|us|it)\s+(unterstützen|support)
        | (keine|nicht\s+hinter\s+einer|no|without\s+a|sin)\s+(bezahlschranke|paywall|muro\s+de\s+pago)
        | (brauchen|braucht)\s+(wir\s+)?(deine|eure|ihre)\s+unterstützung|we\s+need\s+your\s+support
           |necesitamos\s+tu\s+apoyo|nous\s+avons\s+besoin\s+de\s+votre\s+soutien
        | (may|might|could|can)\s+(earn|receive|get|make)\b.{0,40}\b(commission|compensation)
        | affiliate\s+commission
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_OFFER_STEMS = (
    "newsletter", "inbox", "any time", "anytime", "cuando quieras", "jederzeit", "résiliable", "suscripci",
    "subscription", "abonnement", "ihr abo", "dein abo", "privacy", "einverstanden", "journalis",
    "periodismo", "giornalismo", "dziennikarstwo", "bezahlschranke", "paywall", "muro de pago",
    "unterstützung", "support", "apoyo", "soutien", "commission", "compensation",
)  # fmt: skip

# A short header of a teaser/related block: "NOTAS RELACIONADAS", "Mehr Themen:", "Top-Themen bei X",
# "Weitere Artikel zum Thema"; session 9: "Ähnliche Artikel", "Noticia relacionada", "Schon gelesen?",
# "Recommended Videos", "Most read in Football". Up to this many characters and without sentence
# punctuation at the end.
MAX_SECTION_HEADER_CHARS = 80
_TEASER_HEADER = re.compile(
    r"""^[|\s]*(
        (notas?|noticias?|artículos?|contenidos?|art[ií]culos?)\s+relacionad[oa]s?
        | contenido\s+relacionado | relacionad[oa]s
        | (mehr|weitere|top)[-\s]+(\w+\s+)?(themen|artikel|nachrichten|beiträge|news)\b.{0,60}
        | (kommentierte|meistgelesene|beliebteste)\s+(artikel|beiträge)
        | vorschau\s+auf\s+den\s+nächsten\s+artikel
        | (more|top|latest|related)\s+(stories|news|articles|headlines)\b.{0,40}
        | (ähnliche|verwandte)(\s+(artikel|beiträge|themen|nachrichten|news))? | schon\s+gelesen
        | zum\s+weiterlesen | das\s+könnte\s+dich\s+auch\s+interessieren
        | recommended(\s+(videos?|stories|articles|reading|for\s+you))? | most\s+read(\s+in\s+\w+)?
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)


# Every _READER_CALL alternative contains one of these stems (lower case): lines without any skip the
# full pattern, whose bounded wildcards cost ~40 µs per line; plain substring tests cost ~1 µs. Most
# lines are article text that has none. The stem tests are ``any(map(line.__contains__, stems))``: the
# same test as a generator of ``stem in line``, without a Python frame per stem (~4x cheaper).
_READER_CALL_STEMS = (
    "story", "touch", "hear", "stories", "meinung", "escribirnos", "conversation", "follow", "folg",
    "suivez", "guenos", "seguici", "síganos", "obserwuj", "canal", "kanal", "channel", "chaîne", "app",
    "newsletter", "subscri", "sign", "regist", "support", "donate", "unterstütz", "wesprzyj", "hazte",
    "apóyanos", "soutenez", "become", "browser", "javascript", "zapraszamy", "abonn", "reserved",
    "vorbehalten", "reservados", "réservés", "copyrighted", "permission", "chroniony", "inhalt",
    "einverstanden", "kommentaren", "fehler", "swipe", "breaking", "developing", "mitglied",
    "exklusive", "exclusive", "click", "klick", "clic", "get ", "contributed", "reporting", "report",
    "informaci", "copyright", "artikel", "beitrag", "text", "article", "piece", "artículo", "comment",
    "kommentar", "files", "editor", "error", "typo", "mistake", "erreur", "faute", "coquille",
    "articulo",
)  # fmt: skip


def is_reader_call(line: str) -> bool:
    """A reader call or house notice (see _READER_CALL), or a teaser block header."""
    if len(line) <= MAX_SECTION_HEADER_CHARS and _TEASER_HEADER.match(line) is not None:
        return True
    if len(line) > MAX_OFFER_CALL_CHARS:
        return False
    lower = line.lower()
    if any(map(lower.__contains__, _OFFER_STEMS)) and _OFFER_CALL.search(line) is not None:
        return True
    if len(line) > MAX_READER_CALL_CHARS:
        return False
    return any(map(lower.__contains__, _READER_CALL_STEMS)) and _READER_CALL.match(line) is not None


# An image caption often ends with its credit: "Ole Solskjær at Old Trafford. Foto: NTB". Lines up to
# this long that end so are captions; a paragraph of running text does not end with a credit.
MAX_CAPTION_CHARS = 300
_CAPTION_CREDIT = re.compile(
    r"(?:^|[.!?)\s(])(?:foto|photo|bild|image|credit|kilde|källa|fuente|crédit|fotó)s?\s*:\s*[^.:!?()]{1,60}\)?\.?$",
    re.IGNORECASE,
)


# A numbered figure caption ("Abbildung 4: ...", "Fig. 2: ...") or a line ending in a © credit.
_FIGURE_CAPTION = re.compile(r"^(abbildung|abb\.|figure|fig\.|grafik|bild|chart)\s*\d+\s*:", re.IGNORECASE)
_COPYRIGHT_CREDIT = re.compile(r"(?:^|[|/–-])\s*©\s*[^.!?]{1,60}$")


# A caption ending with its credit in brackets, written out: "... (Picture by Jane Roe)", "... (Photos by AP;
# photo illustration by John Doe / Example Times)".
_BRACKETED_CREDIT = re.compile(
    r"[(\[]\s*(?:photos?|photo\s+illustration|fotos?|images?|pictures?)\s+(?:by|von|de|par)\s[^()\[\]]{1,120}[)\]]\.?$",
    re.IGNORECASE,
)


def is_caption(line: str) -> bool:
    """A short line ending with a photo credit ("... Foto: NTB"), or a numbered figure caption."""
    if len(line) > MAX_CAPTION_CHARS:
        return False
    patterns = (_CAPTION_CREDIT, _FIGURE_CAPTION, _COPYRIGHT_CREDIT, _BRACKETED_CREDIT)
    return any(p.search(line) is not None for p in patterns)


def is_byline(line: str, authors: Sequence[str]) -> bool:
    """A short row crediting the authors: "By Jane Doe", "Jane Doe | 12.03.2024", "Von A und B"."""
    return _is_byline(line, _author_keys(authors))


def _author_keys(authors: Sequence[str]) -> list[str]:
    """The keys is_byline looks for (once a page, not once a line)."""
    return [key for key in map(_key, authors) if len(key) > 3]


def _is_byline(line: str, names: list[str]) -> bool:
    if len(line) > MAX_BYLINE_CHARS:
        return False
    starts_like_byline = _BYLINE_START.match(line) is not None
    if not names:
        return starts_like_byline and len(line.split()) <= MAX_BYLINE_WORDS_WITHOUT_AUTHORS
    key = _key(line)
    if names[0] in key:
        rest = key
        for name in names:
            rest = rest.replace(name, "")
        return starts_like_byline or len(rest) <= len(key) // 2
    return starts_like_byline and len(line.split()) <= MAX_BYLINE_WORDS_WITHOUT_AUTHORS


# The headline is repeated as the first lines of the text by many layouts; it is the event's title,
# not a paragraph. Only this many leading lines are compared with the title candidates.
TITLE_LINES = 3

# A list item or paragraph whose text is (almost) all link text is a teaser or navigation entry
# (related articles, "more from", tag lists), not article text; this share of its characters in
# links makes it one.
LINK_TEXT_SHARE = 0.8
# A short header line directly above two or more such link lines is the teaser block's header
# ("Mehr zum Thema", "Popular", "More from The Nation").
MAX_TEASER_HEADER_CHARS = 80
_LIST_MARK = re.compile(r"^[-•*]\s+")


_TEASER_TAGS = frozenset({"li", "p", "h2", "h3", "h4"})
# A link sits at most this many elements below its list item or paragraph (li > div > h3 > a).
MAX_LINK_DEPTH = 4


def link_only_texts(
    tree: HtmlElement, among: Collection[str] | None = None, titles: Iterable[str] = ()
) -> frozenset[str]:
    """Keys of the page's list items and paragraphs that are all link text (teasers, navigation).

    ``among``: only these keys are wanted (the keys of the extracted lines, see ``line_keys``); the
    link text of other elements is not measured (most of the function's cost, ~0.5 ms a page).
    ``titles``: the page's title candidates; a teaser card naming one is the page's teaser of itself
    (a "similar articles" carousel repeating the headline and standfirst), and its text stays."""
    title_keys = {_key(t) for t in titles if t}
    holders: dict[HtmlElement, None] = {}
    found = set()
    for link in tree.iter("a"):
        if len(link):  # a link with child elements may be a card; most links hold text only
            found.update(_card_keys(link, among, title_keys))
        element = link.getparent()
        for _ in range(MAX_LINK_DEPTH):
            if element is None or element.tag in _TEASER_TAGS:
                break
            element = element.getparent()
        if element is not None and element.tag in _TEASER_TAGS:
            holders[element] = None
    for element in holders:
        text = " ".join(element.text_content().split())
        if not text or len(text) > MAX_BOILERPLATE_LINE_CHARS * 2:
            continue
        key = _key(text)
        if among is not None and key not in among:
            continue
        # letters only: a date or a counter next to the link ("19.03.2024 Headline") leaves it a teaser
        linked = sum(
            letter_count(a.text_content())
            for a in element.iter("a")
            if not a.get("href", "#").startswith("#")  # in-page anchors (a table of contents) are headings
        )
        letters = letter_count(text)
        if letters and (
            linked >= LINK_TEXT_SHARE * letters or _is_kicker_teaser(element, text, linked, letters)
        ):
            found.add(key)
    return frozenset(found)


_CARD_TAGS = frozenset({"li", "p", "h1", "h2", "h3", "h4", "h5", "h6"})


def _card_keys(link: HtmlElement, among: Collection[str] | None, title_keys: set[str]) -> list[str]:
    """A teaser card: the link wraps its headline and summary (<a><h3>..</h3><p>..</p></a>): all link text."""
    keys = [_key(inner.text_content()) for inner in link.iter(_CARD_TAGS) if inner is not link]
    if not keys or any(key in title_keys for key in keys):
        return []
    return [key for key in keys if key and (among is None or key in among)]


# A teaser list item often puts a kicker before the linked headline ("<li><strong>ADHS:</strong> <a>Betroffene
# erklärt ...</a></li>", "<li><span>Mundial 2024</span><a>El pulso ...</a></li>"): the item ends with its
# link, the text before it is at most this long, and the link holds at least KICKER_TEASER_LINK_SHARE of
# the letters. List items only: a paragraph ending in a link ("Mehr Infos auf www.example.org") is text.
MAX_TEASER_KICKER_CHARS = 40
KICKER_TEASER_LINK_SHARE = 0.5
# The linked part is a headline, several words: a one-word link after a quantity is a shopping link in an
# ingredient list ("200 Gramm <a>Zucker</a>").
MIN_TEASER_HEADLINE_WORDS = 3


def _is_kicker_teaser(element: HtmlElement, text: str, linked: int, letters: int) -> bool:
    if element.tag != "li" or linked < KICKER_TEASER_LINK_SHARE * letters:
        return False
    links = list(element.iter("a"))
    last = " ".join(links[-1].text_content().split()) if links else ""
    if len(last.split()) < MIN_TEASER_HEADLINE_WORDS:
        return False
    return text.endswith(last) and len(text) - len(last) <= MAX_TEASER_KICKER_CHARS


def _line_key(line: str) -> str:
    """The key of an extracted line as link_only_texts' answer is looked up (list mark dropped)."""
    return _key(_LIST_MARK.sub("", line))


def line_keys(lines: Iterable[str]) -> set[str]:
    """The keys clean_paragraphs looks up in link_only_texts' answer, one per line."""
    return {_line_key(line) for line in lines}


def letter_count(text: str) -> int:
    """How many letters (not digits, spaces or punctuation) the text has."""
    return len(_NOT_LETTER.sub("", text))


def _is_link_line(line: str, link_texts: frozenset[str]) -> bool:
    key = _line_key(line)
    return bool(key) and key in link_texts


# An author note closes many articles: "Jane Doe is a reporter at the Times covering ...", "Korrespondent
# John Roe ist bei der Zeitung für ... zuständig". Only the last lines are tested, only up to this long,
# and only when the line names one of the article's authors within its first words followed by a verb.
AUTHOR_NOTE_LINES = 2
MAX_AUTHOR_NOTE_CHARS = 300
MAX_AUTHOR_NOTE_NAME_OFFSET = 40  # chars before the name: a role word ("Korrespondent", "Senior editor")
_NOTE_VERB = re.compile(
    r"^\W{0,3}\s*(is|was|ist|war|est|es|è|jest|är|er|writes|schreibt|covers|berichtet)\b", re.IGNORECASE
)


def is_author_note(line: str, authors: Sequence[str]) -> bool:
    """A short note about one of the article's authors (see AUTHOR_NOTE_LINES)."""
    if len(line) > MAX_AUTHOR_NOTE_CHARS:
        return False
    for author in authors:
        at = line.find(author) if len(author.split()) >= 2 else -1
        if 0 <= at <= MAX_AUTHOR_NOTE_NAME_OFFSET and _NOTE_VERB.match(line[at + len(author) :]):
            return True
    return False


# A teaser headline rendered twice in one line ("Title Title": a visible and a screen-reader copy).
# Half lines shorter than this are left alone ("Ha ha", "Bora Bora").
MIN_DOUBLED_HALF_CHARS = 12


def is_doubled(line: str) -> bool:
    """A line made of the same text twice (see MIN_DOUBLED_HALF_CHARS)."""
    half = len(line) // 2
    return len(line) >= 2 * MIN_DOUBLED_HALF_CHARS and line[:half].strip() == line[half:].strip()


# Several stories on one page: an infinite-scroll layout appends the next story below the page's own, each
# in an <article> element of its own with its own <h1> (session 9). The page's story is the first such
# element; lines that only later ones hold are the next stories' text. Only top-level <article>s of at
# least this many characters count: smaller ones are teaser cards, and sites that use <article> for the
# sections of one page (a recipe's ingredients, its comments) give only the first section an <h1>.
MIN_STORY_CHARS = 1500
_STORY_BLOCK_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption")


def later_story_keys(tree: HtmlElement) -> frozenset[str]:
    """The keys of the blocks (paragraphs, items, headings) that only the page's later stories hold."""
    stories = [
        article
        for article in tree.iter("article")
        if next(article.iter("h1"), None) is not None
        and not any(parent.tag == "article" for parent in article.iterancestors())
        and len(article.text_content()) >= MIN_STORY_CHARS
    ]
    if len(stories) < 2:
        return frozenset()
    first = _block_keys(stories[0])
    return frozenset(key for story in stories[1:] for key in _block_keys(story) if key not in first)


def _block_keys(element: HtmlElement) -> set[str]:
    return {key for block in element.iter(*_STORY_BLOCK_TAGS) if (key := _key(block.text_content()))}


def clean_paragraphs(
    paragraphs: Sequence[str],
    authors: Sequence[str],
    titles: Sequence[str] = (),
    link_texts: frozenset[str] = frozenset(),
    later_stories: frozenset[str] = frozenset(),
) -> list[str]:
    """The paragraphs without furniture lines, repeated headlines, teaser link blocks and the lines of
    later stories on the same page (``later_story_keys``)."""
    title_keys = {_key(t) for t in titles if t}
    author_keys = _author_keys(authors)
    kept = []
    for i, line in enumerate(paragraphs):
        if i < TITLE_LINES and _key(line) in title_keys:
            continue
        if _is_byline(line, author_keys) or is_caption(line):
            continue
        bare = _LIST_MARK.sub("", line)  # "- Veröffentlicht am ...", "- 3 Minuten Lesezeit" in a meta list
        if later_stories and _key(bare) in later_stories:
            continue
        if is_boilerplate(bare) or is_reader_call(bare):
            continue
        if is_doubled(line):
            continue
        kept.append(line)
    tail = len(kept) - AUTHOR_NOTE_LINES
    kept = [line for i, line in enumerate(kept) if i < tail or not is_author_note(line, authors)]
    if not link_texts:
        return kept
    links = [_is_link_line(line, link_texts) for line in kept]
    result = []
    for i, line in enumerate(kept):
        if links[i]:
            continue
        is_header = (
            len(line) <= MAX_TEASER_HEADER_CHARS
            and not line.rstrip().endswith((".", "!", "?"))
            and links[i + 1 : i + 3] == [True, True]
        )
        if not is_header:
            result.append(line)
    return result
