import pytest

from generator.ingest.decode import UnreadableSeed, decode_seed
from tests.helpers import FIXTURES


def test_utf8_text_is_kept_as_is():
    assert decode_seed("Zürich “quoted” – done\n".encode("utf-8")) == "Zürich “quoted” – done\n"


def test_windows_1252_keeps_curly_quotes_and_accents():
    text = decode_seed((FIXTURES / "seeds" / "legacy-cp1252.txt").read_bytes())
    assert "Café owners “welcome” new rules" in text
    assert "city’s mayor" in text
    assert "Ã" not in text and "\ufffd" not in text


def test_stray_windows_1252_bytes_inside_utf8_do_not_garble_the_rest():
    data = "Café ".encode("utf-8") + b"\x93quoted\x94"
    assert decode_seed(data) == "Café “quoted”"


def test_bom_and_crlf_are_normalised():
    text = decode_seed((FIXTURES / "seeds" / "bom-crlf.txt").read_bytes())
    assert text.startswith("Harbour pilots vote to strike\n\nBy Maria Lopes\n")
    assert "\r" not in text and "\ufeff" not in text


def test_old_mac_line_endings_become_newlines():
    assert decode_seed(b"Title\rBody line") == "Title\nBody line"


def test_utf16_with_bom_is_read():
    assert decode_seed("Título\n\nTexto".encode("utf-16")) == "Título\n\nTexto"


@pytest.mark.parametrize(
    ("name", "reason"),
    [("empty.txt", "empty"), ("binary.txt", "binary")],
)
def test_unreadable_files_say_why(name, reason):
    with pytest.raises(UnreadableSeed, match=reason):
        decode_seed((FIXTURES / "seeds" / name).read_bytes())


def test_whitespace_only_file_is_empty():
    with pytest.raises(UnreadableSeed, match="empty"):
        decode_seed(b" \r\n\t\n")


def test_control_characters_without_nul_count_as_binary():
    with pytest.raises(UnreadableSeed, match="binary"):
        decode_seed(bytes(range(1, 32)) * 20)


def test_a_broken_utf16_file_is_undecodable():
    with pytest.raises(UnreadableSeed, match="UTF-16"):
        decode_seed(b"\xff\xfeA\x00\x00\xd8")  # a lone surrogate


def test_html_entities_are_decoded_in_title_and_body():
    text = decode_seed("Profits &amp; losses\n\nThe deal is worth &#163;1.8m &#x2014; AT&T said &quot;no&quot;.".encode())
    assert text == "Profits & losses\n\nThe deal is worth £1.8m — AT&T said \"no\"."


def test_stray_control_characters_left_by_a_wrong_decoding_are_dropped():
    lead = "The mayors met on Monday and talked about guns, schools and the budget for the year ahead. "
    text = decode_seed(f'Title\n\n{lead}Opposing "Stand Your Ground"\x9d laws.\n'.encode("utf-8"))
    assert "\x9d" not in text and 'Opposing "Stand Your Ground" laws.' in text
