"""Reading users' files: text, Markdown, HTML and PDF into Documents; every bad input refused."""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.documents.chunking import chunk_document
from qa.documents.corpus import document_from_text
from qa.documents.formats import decode_text, iso_date_text
from qa.documents.ingest import Overrides, expand_paths, ingest_bytes, ingest_file, read_input, slugify
from qa.documents.models import CorpusError, QAError
from tests.docmaker import make_image_pdf, make_pdf, md

PARA = (
    "Cold chain logistics reached {n} new county warehouses in the year of the report, and the parcels "
    "delivered to villages grew quickly, according to the survey of rural shops."
)


def refused(data: bytes, name: str, overrides: Overrides | None = None) -> str:
    with pytest.raises(CorpusError) as info:
        ingest_bytes(data, name, overrides)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(name + ": ")
    return message


# plain text and Markdown


def test_text_file_needs_a_date_and_takes_one_from_the_command_line() -> None:
    message = refused(b"Village shops sell online.\n", "notes_2024.txt")
    assert "date" in message and "--date" in message
    got = ingest_bytes(b"Village shops sell online.\n", "notes_2024.txt", Overrides(date="2024-05-06"))
    doc = got.document
    assert (doc.id, doc.title, doc.date) == ("notes_2024", "notes 2024", dt.date(2024, 5, 6))
    assert doc.body == "Village shops sell online.\n"
    assert dict(doc.extra)["format"] == "txt"


def test_markdown_front_matter_is_honoured_and_overrides_win() -> None:
    text = md("Cold chain", "2023-07-08", "# Heading\n\nBody text here.", publisher="Daily", id="cold-chain")
    doc = ingest_bytes(text.encode(), "x.md").document
    assert (doc.id, doc.title, doc.date, doc.publisher, doc.source) == (
        "cold-chain",
        "Cold chain",
        dt.date(2023, 7, 8),
        "Daily",
        "Daily",
    )
    over = Overrides(title="Other", date="2020-01-02", author="Li Wei", publisher="P", url="https://e.org/x")
    doc = ingest_bytes(text.encode(), "x.md", over).document
    assert (doc.title, doc.date, doc.authors[0].name, doc.publisher, doc.url) == (
        "Other",
        dt.date(2020, 1, 2),
        "Li Wei",
        "P",
        "https://e.org/x",
    )


def test_markdown_without_title_takes_its_first_heading() -> None:
    data = b"Intro line.\n\n# The Real Title #\n\nText.\n"
    doc = ingest_bytes(data, "a b.md", Overrides(date="2024-01-01")).document
    assert doc.title == "The Real Title"
    assert doc.id == "a-b"


def test_normalised_markdown_parses_back_to_the_same_document() -> None:
    got = ingest_bytes(md("T", "2024-02-03", "One.\n\nTwo.").encode(), "t.md")
    again = document_from_text(got.markdown, got.document.path, default_id="zzz")
    assert again == got.document
    assert got.markdown.startswith("---\nid: t\ntitle: T\ndate: '2024-02-03'\n")


def test_broken_yaml_front_matter_is_refused_naming_the_line() -> None:
    message = refused(b"---\ntitle: [unclosed\ndate: 2024-01-01\n---\nBody\n", "bad.md")
    assert "broken YAML" in message and "front matter" in message


def test_unclosed_front_matter_is_refused() -> None:
    assert "not closed" in refused(b"---\ntitle: x\n\nBody\n", "open.md")


def test_impossible_and_missing_dates_are_refused() -> None:
    assert "'2024-02-30' is not a date" in refused(md("T", "2024-02-30", "Body.").encode(), "d.md")
    assert "no date found" in refused(b"---\ntitle: T\n---\nBody\n", "d.md")
    message = refused(b"Body.\n", "d.txt", Overrides(date="30/02/2024"))
    assert "is not a date" in message and "--date" in message


def test_empty_and_blank_files_are_refused() -> None:
    assert refused(b"", "e.txt").endswith("empty file")
    assert "no text" in refused(b"  \n\n\t\n", "e.txt", Overrides(date="2024-01-01"))
    assert "no text" in refused(md("T", "2024-01-01", "").encode(), "e.md")


def test_binary_files_are_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    assert "binary file" in refused(png, "image.txt")
    controls = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 20 + b"a few words"
    assert "binary file" in refused(controls, "c.txt")


def test_unsupported_type_is_refused() -> None:
    assert "unsupported file type '.docx'" in refused(b"PK\x03\x04", "report.docx")


def test_non_utf8_text_is_detected_or_refused() -> None:
    text = "Café owners in the village façade district sold crêpes and pâté — déjà vu for the élite.\n" * 3
    got = ingest_bytes(text.encode("cp1252"), "latin.txt", Overrides(date="2024-01-01"))
    assert got.document.body == text.rstrip() + "\n"
    assert dict(got.document.extra)["original_encoding"] == "cp1252"
    assert got.notes == ("decoded from cp1252",)
    utf16 = ingest_bytes("Grüße aus dem Dorf.\n".encode("utf-16"), "u16.txt", Overrides(date="2024-01-01"))
    assert utf16.document.body == "Grüße aus dem Dorf.\n"
    rng = random.Random(7)
    noise = bytes(rng.randrange(0x80, 0x100) for _ in range(400))
    assert "not UTF-8, and no other text encoding fits" in refused(noise, "noise.txt")


def test_terminal_escapes_in_text_become_spaces() -> None:
    data = b"Red \x1b[31malert\x1b[0m text that is long enough to be mostly words."
    text, encoding = decode_text(data, "f")
    assert "\x1b" not in text and encoding == "utf-8"
    assert "[31malert" in text


def test_iso_date_text() -> None:
    assert iso_date_text("2024/4/2") == "2024-04-02"
    assert iso_date_text("2024-04-02T08:00:00+08:00") == "2024-04-02"
    assert iso_date_text(" April 2 ") == "April 2"


# HTML

HTML = b"""<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
<title>Village shops go online | Daily</title>
<meta name="author" content="Li Wei"><meta name="keywords" content="e-commerce, villages">
<meta property="article:published_time" content="2024-03-05T10:00:00+08:00">
<meta property="og:site_name" content="Daily News"><link rel="canonical" href="https://example.org/a">
<style>p { color: red }</style></head>
<body><nav>Home &gt; News</nav><header>Site banner</header>
<article><h1>Village shops go online</h1>
<p>First <b>paragraph</b> about <a href="#">shops</a>.<br>Still the first paragraph.</p>
<script>alert("never text")</script>
<ul><li>Item one sold.</li><li>Item two sold.</li></ul>
<p>Last &amp; final.</p></article><footer>Copyright 2024</footer></body></html>"""


def test_html_main_text_and_metadata() -> None:
    doc = ingest_bytes(HTML, "page.html").document
    assert doc.title == "Village shops go online | Daily"
    assert doc.date == dt.date(2024, 3, 5)
    assert [a.name for a in doc.authors] == ["Li Wei"]
    assert (doc.publisher, doc.source, doc.url, doc.language) == (
        "Daily News",
        "Daily News",
        "https://example.org/a",
        "en",
    )
    assert doc.keywords == ("e-commerce", "villages")
    assert doc.body.split("\n\n") == [
        "Village shops go online",
        "First paragraph about shops. Still the first paragraph.",
        "Item one sold.",
        "Item two sold.",
        "Last & final.\n",
    ]
    for junk in ("Home", "banner", "alert", "Copyright", "color"):
        assert junk not in doc.body


def test_html_without_date_is_refused_and_time_tag_is_used() -> None:
    assert "no date found" in refused(b"<html><title>T</title><p>Text.</p></html>", "p.html")
    page = b'<html><body><p>Posted <time datetime="2022-12-01">Dec 1</time>.</p></body></html>'
    doc = ingest_bytes(page, "p.htm").document
    assert doc.date == dt.date(2022, 12, 1)
    assert doc.title == "p"


# PDF


def test_pdf_text_per_page_with_page_numbers_and_info_metadata() -> None:
    created = dt.datetime(2023, 5, 6, 12, 0, tzinfo=dt.UTC)
    data = make_pdf(
        [[PARA.format(n=1), "Short closing line."], [], [PARA.format(n=3)]],
        title="Annual Report",
        author="Jane Doe",
        created=created,
    )
    got = ingest_bytes(data, "report.pdf")
    doc = got.document
    assert (doc.title, doc.date, doc.authors[0].name) == ("Annual Report", dt.date(2023, 5, 6), "Jane Doe")
    extra = dict(doc.extra)
    assert extra["date_source"] == "PDF creation date"
    starts = extra["page_starts"]
    assert len(starts) == 3 and starts[0] == 0 and starts[1] == starts[2]  # page 2 is blank
    assert doc.body[starts[2] :].startswith("Cold chain logistics reached 3 new")
    chunks = chunk_document(doc)
    assert [c.page for c in chunks] == [1, 1, 3]
    assert "reached 1 new" in chunks[0].text and "reached 3 new" in chunks[2].text
    over = ingest_bytes(data, "report.pdf", Overrides(date="2022-02-02")).document
    assert over.date == dt.date(2022, 2, 2) and "date_source" not in dict(over.extra)


def test_pdf_with_malformed_info_keeps_its_text() -> None:
    data = make_pdf([[PARA.format(n=5)]], title="Roads")
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.add_metadata({"/CreationDate": "D:2023garbage", "/Author": "Li Wei; Zhao Lei"})
    out = io.BytesIO()
    writer.write(out)
    assert "no date found" in refused(out.getvalue(), "roads.pdf")  # the bad date is not trusted
    doc = ingest_bytes(out.getvalue(), "roads.pdf", Overrides(date="2023-03-01")).document
    assert (doc.title, [a.name for a in doc.authors]) == ("Roads", ["Li Wei", "Zhao Lei"])
    assert "reached 5 new county warehouses" in doc.body


def test_pdf_without_text_layer_is_refused() -> None:
    message = refused(make_image_pdf(2), "scan.pdf")
    assert "no text layer" in message and "OCR" in message


def test_damaged_pdf_is_refused() -> None:
    data = make_pdf([[PARA.format(n=1)]])
    assert "not a readable PDF" in refused(data[: len(data) // 2], "cut.pdf")
    assert "not a readable PDF" in refused(b"%PDF-1.7\nthis is not really a pdf", "fake.pdf")


# files on disk


def test_read_input_refuses_missing_folder_and_oversized(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="no such file"):
        read_input(tmp_path / "nope.txt")
    with pytest.raises(CorpusError, match="not a regular file"):
        read_input(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 300_000)
    with pytest.raises(CorpusError, match=r"1\.5 MB is over the size limit of 1\.0 MB"):
        read_input(big, max_bytes=1_000_000)
    assert len(read_input(big, max_bytes=2_000_000)) == 1_500_000


def test_ingest_file_keeps_the_original_untouched(tmp_path: Path) -> None:
    path = tmp_path / "Notes Draft.md"
    raw = md("N", "2024-01-01", "Body.").encode()
    path.write_bytes(raw)
    got = ingest_file(path)
    assert path.read_bytes() == raw
    assert got.origin == str(path.resolve())
    assert dict(got.document.extra)["origin"] == str(path.resolve())
    assert got.document.id == "notes-draft"


def test_expand_paths_recurses_skips_hidden_and_reports_the_rest(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for name in ("a.md", "sub/b.TXT", "sub/deeper/c.html", "sub/photo.jpg", ".git/x.md", ".hidden.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    files, errors = expand_paths([tmp_path, tmp_path / "missing.pdf", tmp_path / "a.md"])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.md", "sub/b.TXT", "sub/deeper/c.html"]
    assert [str(e) for e in errors] == [
        f"{tmp_path / 'sub/photo.jpg'}: unsupported file type '.jpg' (supported: .txt, .text, .md, "
        ".markdown, .html, .htm, .pdf)",
        f"{tmp_path / 'missing.pdf'}: no such file or folder",
    ]


def test_slugify() -> None:
    assert slugify("Annual Report (2023) FINAL") == "annual-report-2023-final"
    assert slugify("___") == "document"
    assert slugify("农村电商") == "document"


# fuzz: the parsers raise nothing but the project's own error type

_keys = st.sampled_from(["title", "date", "id", "authors", "keywords", "url", "publisher", "pages", "x"])
_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=20),
    st.dates().map(str),
    st.lists(st.text(max_size=8), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_keys, _values, max_size=6), st.text(max_size=200))
def test_fuzz_front_matter_values(meta: dict[str, object], body: str) -> None:
    import yaml

    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    try:
        got = ingest_bytes(text.encode("utf-8"), "fuzz.md")
    except QAError:
        return
    assert document_from_text(got.markdown, got.document.path, "zzz") == got.document


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["f.md", "f.txt", "f.html"]))
def test_fuzz_any_text(text: str, name: str) -> None:
    try:
        got = ingest_bytes(text.encode("utf-8", "surrogatepass"), name, Overrides(date="2024-01-01"))
    except QAError:
        return
    assert got.document.body.strip()


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["b.md", "b.txt", "b.html", "b.pdf"]))
def test_fuzz_any_bytes(data: bytes, name: str) -> None:
    try:
        got = ingest_bytes(data, name, Overrides(date="2024-01-01"))
    except QAError:
        return
    assert document_from_text(got.markdown, got.document.path, "zzz") == got.document


_META_KEYS = ("author", "date", "article:published_time", "og:title", "keywords", "og:url", "og:site_name")
_attr = st.text(alphabet=st.characters(blacklist_characters='"<>&'), max_size=30)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["name", "property", "itemprop"]), st.sampled_from(_META_KEYS), _attr),
        max_size=6,
    ),
    _attr,
)
def test_fuzz_html_metadata(metas: list[tuple[str, str, str]], title: str) -> None:
    head = "".join(f'<meta {kind}="{key}" content="{value}">' for kind, key, value in metas)
    page = f"<html><head><title>{title}</title>{head}</head><body><p>Some text.</p></body></html>"
    try:
        doc = ingest_bytes(page.encode("utf-8", "surrogatepass"), "m.html").document
    except QAError:
        return
    assert doc.body == "Some text.\n"


_PDF = make_pdf([[PARA.format(n=9)]])


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30), st.text(max_size=30), st.text(max_size=30))
def test_fuzz_pdf_info(title: str, author: str, created: str) -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(_PDF)))
    writer.add_metadata({"/Title": title, "/Author": author, "/CreationDate": created})
    out = io.BytesIO()
    writer.write(out)
    try:
        doc = ingest_bytes(out.getvalue(), "fuzz.pdf").document
    except QAError as exc:
        assert "date" in str(exc)  # only a missing or bad date may refuse a PDF whose text is fine
        return
    assert "reached 9 new county warehouses" in doc.body
