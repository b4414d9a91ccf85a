from ingest.language import MIN_DETECT_CHARS, detect_language, normalise_language


def test_detects_common_news_languages() -> None:
    assert detect_language("The government announced new measures to support small businesses today.") == "en"
    assert (
        detect_language("Die Bundesregierung hat am Dienstag neue Maßnahmen für Unternehmen beschlossen.")
        == "de"
    )
    assert (
        detect_language("Le gouvernement a annoncé mardi de nouvelles mesures pour les entreprises.") == "fr"
    )


def test_hint_wins_when_text_is_too_short_to_tell() -> None:
    short = "Hallo"
    assert len(short) < MIN_DETECT_CHARS
    assert detect_language(short, hint="en-GB") == "en"


def test_detection_wins_over_hint_on_long_text() -> None:
    text = "Die Bundesregierung hat am Dienstag neue Maßnahmen für kleine Unternehmen beschlossen."
    assert detect_language(text, hint="en") == "de"


def test_answers_are_iso_639_1_or_none() -> None:
    assert detect_language("1234 5678 90") is None
    assert detect_language("") is None
    assert len(detect_language("Mitä kuuluu? Tänään on kaunis päivä ja aurinko paistaa.") or "") == 2


def test_normalise_language_hints() -> None:
    assert normalise_language("en-US") == "en"
    assert normalise_language("DE_at") == "de"
    assert normalise_language("fre") == "fr"
    assert normalise_language("") is None
    assert normalise_language("x-klingon") is None
