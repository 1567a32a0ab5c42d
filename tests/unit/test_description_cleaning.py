from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daemon.domain.description import (
    HostedImage,
    plain_text,
    sanitise_description,
)

ALLOWED = {"p", "ul", "li", "br", "img", "strong", "b", "i", "em", "u"}
BLOCKS = {"p", "ul", "li"}


def tags(html: str) -> list[str]:
    return re.findall(r"</?([a-z0-9]+)", html)


def assert_flat(html: str) -> None:
    """Only TikTok's tags, blocks never inside blocks (but li in ul), formats never nested."""
    stack: list[str] = []
    for closing, name in re.findall(r"<(/?)([a-z0-9]+)[^>]*>", html):
        assert name in ALLOWED
        if name in ("br", "img"):
            assert name != "img" or not stack, "images stand alone"
            continue
        if closing:
            assert stack.pop() == name
            continue
        if name == "li":
            assert stack == ["ul"]
        elif name in BLOCKS:
            assert not stack, f"<{name}> inside {stack}"
        else:
            assert stack, f"<{name}> outside a block"
            assert stack[-1] in ("p", "li"), f"<{name}> inside <{stack[-1]}>"
        stack.append(name)
    assert not stack


def test_plain_paragraphs_and_allowed_formatting_pass_through() -> None:
    result = sanitise_description("<p>Hello <strong>bold</strong> and <em>soft</em></p><p>Two</p>")
    assert result.html == "<p>Hello <strong>bold</strong> and <em>soft</em></p><p>Two</p>"
    assert result.notes == ()


def test_tables_are_flattened_one_line_per_row() -> None:
    raw = (
        "<p>Specs:</p><table><thead><tr><th>Material</th><th>Enamel</th></tr></thead>"
        "<tbody><tr><td>Volume</td><td>350&nbsp;ml<br>12 oz</td></tr><tr><td></td></tr></tbody>"
        "</table><p>Enjoy</p>"
    )
    result = sanitise_description(raw)
    assert result.html == (
        "<p>Specs:</p><p>Material | Enamel</p><p>Volume | 350 ml 12 oz</p><p>Enjoy</p>"
    )
    assert result.notes == ("a table was flattened to text, one line per row",)


def test_nested_lists_become_items_of_the_outer_list() -> None:
    raw = (
        "<ul><li>One</li><li>Two<ul><li>Two a</li><li>Two b</li></ul>and more</li>"
        "<li>Three</li></ul>"
    )
    result = sanitise_description(raw)
    assert result.html == (
        "<ul><li>One</li><li>Two</li><li>Two a</li><li>Two b</li><li>and more</li>"
        "<li>Three</li></ul>"
    )
    assert result.notes == ("a list inside a list was flattened into its parent",)
    assert_flat(result.html)


def test_ordered_lists_become_numbered_paragraphs() -> None:
    result = sanitise_description("<ol><li>Rinse</li><li><p>Dry</p></li><li>Store</li></ol>")
    assert result.html == "<p>1. Rinse</p><p>2. Dry</p><p>3. Store</p>"
    assert result.notes == ("a numbered list became numbered paragraphs",)


def test_scripts_styles_and_embeds_are_removed_with_their_content() -> None:
    raw = (
        "<style>p { color: red }</style><p>Kept</p><script>alert('x')</script>"
        "<iframe src='https://youtube.com/embed/1'>fallback</iframe><noscript>no js</noscript>"
        "<embed src='https://x/movie.swf'><p>After the embed</p>"
    )
    result = sanitise_description(raw)
    assert result.html == "<p>Kept</p><p>After the embed</p>"
    assert result.notes == ("scripts, styles and embedded media were removed",)


def test_other_markup_is_flattened_to_text() -> None:
    raw = (
        '<h2>Care</h2><div class="x"><span style="color:red">Hand wash</span> '
        '<a href="https://shop.example/care">only</a></div><marquee>sale</marquee>'
    )
    result = sanitise_description(raw)
    assert result.html == "<p><strong>Care</strong></p><p>Hand wash only</p><p>sale</p>"
    assert set(result.notes) == {
        "headings became bold paragraphs",
        "links were removed (their text is kept)",
        "unsupported markup was removed: marquee",
    }


def test_nested_formatting_keeps_the_outer_style() -> None:
    result = sanitise_description("<p><b>bold <i>and italic</i></b> plain</p>")
    assert result.html == "<p><b>bold and italic</b> plain</p>"
    assert_flat(result.html)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "<p>Fish &amp; chips &lt;3 &eacute;t&#233; &#x263A;</p>",
            "<p>Fish &amp; chips &lt;3 été ☺</p>",
        ),
        ("<p>a &nbsp;&nbsp; b</p>", "<p>a b</p>"),
        ("Tom &amp Jerry", "<p>Tom &amp; Jerry</p>"),
        ("<p>1 < 2 and 3 > 2</p>", "<p>1 &lt; 2 and 3 &gt; 2</p>"),
    ],
)
def test_entities_are_decoded_and_re_escaped(raw, expected) -> None:
    assert sanitise_description(raw).html == expected


def test_images_are_kept_with_their_size_and_listed_for_upload() -> None:
    raw = (
        "<p>Look:<img src='//cdn.shopify.com/a.png?v=1' width='800' height=\"600px\"> nice</p>"
        "<img src='https://cdn.shopify.com/a.png?v=1'><img src='data:image/png;base64,AAA'>"
    )
    result = sanitise_description(raw)
    assert result.html == (
        '<p>Look:</p><img src="https://cdn.shopify.com/a.png?v=1" width="800" height="600">'
        '<p>nice</p><img src="https://cdn.shopify.com/a.png?v=1">'
    )
    assert result.image_urls == ("https://cdn.shopify.com/a.png?v=1",)
    assert result.notes == ("an image without a web address was left out",)


def test_hosted_images_replace_store_images_and_unhosted_ones_are_left_out() -> None:
    raw = "<p>A</p><img src='https://s/1.jpg'><img src='https://s/2.jpg'>"
    hosted = {"https://s/1.jpg": HostedImage("https://p16.tiktokcdn.com/x~1.jpg", 1600, 1200)}
    result = sanitise_description(raw, hosted=hosted)
    assert result.html == (
        '<p>A</p><img src="https://p16.tiktokcdn.com/x~1.jpg" width="1600" height="1200">'
    )
    assert result.notes == ("image https://s/2.jpg is not on TikTok and was left out",)


def test_images_inside_lists_move_after_the_list_and_the_count_is_capped() -> None:
    raw = "<ul><li>A<img src='https://s/1.jpg'></li></ul>" + "<img src='https://s/x.jpg'>" * 3
    result = sanitise_description(raw, max_images=2)
    assert (
        result.html == '<ul><li>A</li></ul><img src="https://s/1.jpg"><img src="https://s/x.jpg">'
    )
    assert "only the first 2 images were kept" in result.notes
    assert "images inside lists or tables were moved after them" in result.notes


def test_long_text_is_cut_at_a_word_boundary_within_the_limit() -> None:
    raw = "<p>Intro</p><p>" + "lorem ipsum " * 2_000 + "</p><p>never reached</p>"
    result = sanitise_description(raw)
    assert len(result.html) <= 10_000
    assert result.html.startswith("<p>Intro</p><p>lorem ipsum lorem")
    assert result.html.endswith(("lorem…</p>", "ipsum…</p>"))
    assert "never reached" not in result.html
    assert result.notes == ("the description was cut to 10,000 characters",)


def test_long_lists_keep_whole_items_then_cut_the_next() -> None:
    raw = "<ul>" + "<li>a fine item here</li>" * 10 + "</ul>"
    result = sanitise_description(raw, max_chars=80)
    assert result.html == (
        "<ul><li>a fine item here</li><li>a fine item here</li><li>a fine item…</li></ul>"
    )


def test_a_one_word_scrap_is_dropped_rather_than_sent() -> None:
    result = sanitise_description("<p>ok</p><p>Supercalifragilistic</p>", max_chars=20)
    assert result.html == "<p>ok</p>"


def test_empty_and_whitespace_only_descriptions() -> None:
    assert sanitise_description("").html == ""
    result = sanitise_description("<p>&nbsp;</p><div> <br> </div><p></p>")
    assert result.html == ""
    assert plain_text(result.html) == ""


def test_line_breaks_inside_a_paragraph_are_kept_but_not_piled_up() -> None:
    assert sanitise_description("<p>a<br><br><br><br>b<br></p>").html == "<p>a<br><br>b</p>"


def test_plain_text_reads_the_words() -> None:
    assert plain_text("<p>Fish &amp; <b>chips</b></p><ul><li>hot</li></ul>") == "Fish & chips hot"


PIECES = (
    "<p>",
    "</p>",
    "<ul>",
    "</ul>",
    "<ol>",
    "</ol>",
    "<li>",
    "</li>",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "</tr>",
    "</table>",
    "<br>",
    "<h1>",
    "</h1>",
    "<script>",
    "</script>",
    "<div>",
    "</div>",
    "<img src='https://i/1.jpg'>",
    "<span>",
    "</span>",
    "&amp;",
    "&lt;",
    "word ",
    "other words ",
    "<a href='x'>",
    "</a>",
)
html_pieces = st.lists(st.sampled_from(PIECES), max_size=60)


@settings(max_examples=300)
@given(html_pieces, st.integers(40, 400))
def test_any_markup_comes_out_flat_well_formed_and_within_the_limit(pieces, limit) -> None:
    result = sanitise_description("".join(pieces), max_chars=limit)
    assert len(result.html) <= limit
    assert_flat(result.html)
    assert not re.search(r"&(?!amp;|lt;|gt;)", result.html), "every & is escaped"


@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(raw) -> None:
    result = sanitise_description(raw, max_chars=200)
    assert len(result.html) <= 200
