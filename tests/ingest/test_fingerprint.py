from ingest.fingerprint import (
    NEAR_DUPLICATE_MAX_HAMMING,
    content_hash,
    fingerprints,
    hamming,
    is_near_duplicate,
    normalise_text,
    simhash,
)

STORY = (
    "The city council approved the new budget on Tuesday after a long debate about school funding, "
    "road repairs and the future of the public library, which had faced closure for two years. "
    "The mayor said the compromise protects every neighbourhood and keeps taxes flat next year, "
    "while opposition members warned that the plan relies on optimistic revenue forecasts. "
    "Residents who attended the meeting applauded when the library vote passed by a wide margin."
)
OTHER = (
    "Scientists have discovered a new species of frog in the rainforest of northern Peru, living "
    "high in the canopy where it lays its eggs in water collected by bromeliad leaves. The team "
    "spent three seasons recording its calls before confirming that it differs from its relatives."
)


def test_normalise_text_collapses_whitespace_and_unicode_forms() -> None:
    assert normalise_text("  Caf\u0065\u0301  au\u00a0lait\n\nok ") == "Café au lait ok"


def test_content_hash_ignores_layout_but_not_words() -> None:
    assert content_hash("a  b\n\nc") == content_hash("a b c")
    assert content_hash("a b c") != content_hash("a b d")
    assert len(content_hash("x")) == 64


def test_simhash_is_stable_across_processes() -> None:
    assert simhash(STORY) == "3aea1f5187746bab"
    assert simhash("") == "0000000000000000"
    assert len(simhash("one two")) == 16


def test_fingerprints_are_both_hashes_of_one_normalisation() -> None:
    for text in (STORY, OTHER, "", "one two", "one two three", " a\u00a0 b  c d ", "Caf\u0065\u0301 x y z"):
        assert fingerprints(text) == (content_hash(text), simhash(text))
    assert fingerprints(STORY)[1] == "3aea1f5187746bab"


def test_near_duplicate_texts_are_close_and_different_texts_far() -> None:
    edited = STORY.replace("long debate", "lengthy debate")
    assert hamming(simhash(STORY), simhash(edited)) <= NEAR_DUPLICATE_MAX_HAMMING
    assert is_near_duplicate(simhash(STORY), simhash(STORY + " Reporting by Jane Doe."))
    assert hamming(simhash(STORY), simhash(OTHER)) > 2 * NEAR_DUPLICATE_MAX_HAMMING


def test_hamming_counts_differing_bits() -> None:
    assert hamming("0000000000000000", "000000000000000f") == 4
    assert hamming("ffffffffffffffff", "ffffffffffffffff") == 0
