//! The builder's offsets, the renderers' output, and round trips through
//! the parsers of `parse_back` (unit tests and property tests).

use proptest::prelude::*;

use super::parse_back::{self, Parsed};
use super::{
    blockquote, bold, code, custom_emoji, date_time, expandable_blockquote, html, italic, link,
    markdown, markdown_v2, pre, spoiler, strikethrough, text_mention_id, underline, Text,
};
use crate::types::{MessageEntity, MessageEntityType as T, User};

/// An entity as a comparable tuple (a mention compares by user id only).
type Key = (
    i64,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

fn key(e: &MessageEntity) -> Key {
    (
        e.offset,
        -e.length,
        e.type_.as_str().to_string(),
        e.url.as_deref().map(str::to_string),
        e.language.as_deref().map(str::to_string),
        e.custom_emoji_id.as_deref().map(str::to_string),
        e.user.as_ref().map(|u| u.id.get()),
        e.unix_time,
        e.date_time_format.as_deref().map(str::to_string),
    )
}

fn canonical(entities: &[MessageEntity]) -> Vec<Key> {
    let mut keys: Vec<Key> = entities.iter().map(key).collect();
    keys.sort();
    keys
}

fn same(parsed: &Parsed, t: &Text) -> bool {
    parsed.0 == t.as_str() && canonical(&parsed.1) == canonical(t.entities())
}

/// The text an entity covers, cut by UTF-16 units.
fn covered(text: &str, e: &MessageEntity) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    let (a, b) = (e.offset as usize, (e.offset + e.length) as usize);
    String::from_utf16(&units[a..b]).expect("entity on whole characters")
}

// ---- Unit tests ------------------------------------------------------------

#[test]
fn offsets_count_utf16_units() {
    // é precomposed (1 unit), e + combining acute (2), a flag (4), 👍 (2).
    let t = Text::new()
        .push("é")
        .bold("e\u{301}")
        .push("🇺🇦")
        .italic("👍x")
        .push(bold(underline("中")));
    let e = t.entities();
    assert_eq!((e[0].offset, e[0].length), (1, 2));
    assert_eq!((e[1].offset, e[1].length), (7, 3));
    assert_eq!((e[2].offset, e[2].length, e[3].offset), (10, 1, 10));
    assert_eq!(e[2].type_, T::Bold);
    assert_eq!(e[3].type_, T::Underline);
    assert_eq!(t.len_utf16(), 11);
    assert_eq!(covered(t.as_str(), &e[1]), "👍x");
}

#[test]
fn empty_parts_add_no_entity() {
    let t = Text::new()
        .bold("")
        .link("", "https://x.y")
        .push(italic(Text::new()));
    assert!(t.entities().is_empty());
    assert!(t.is_empty());
}

#[test]
fn text_and_entities_go_into_a_send() {
    let t = Text::new().push("hi ").bold("there");
    let m = crate::methods::SendMessage::new(1, &t).entities(&t);
    assert_eq!(m.text, "hi there");
    assert_eq!(m.entities.as_deref(), Some(t.entities()));
    let (text, entities) = t.clone().into_parts();
    assert_eq!(Text::from_parts(text, entities), t);
    assert_eq!(t.to_string(), "hi there");
}

#[test]
fn every_kind_renders_as_the_docs_write_it() {
    let t = Text::new()
        .push(bold("b"))
        .push(italic("i"))
        .push(underline("u"))
        .push(strikethrough("s"))
        .push(spoiler("p"))
        .push(code("c"))
        .push(link("l", "http://www.example.com/"))
        .push(text_mention_id("m", 123456789.into()))
        .push(custom_emoji("👍", "5368324170671202286"))
        .push(date_time("22:45 tomorrow", 1647531900, Some("wDT")))
        .push(date_time("now", 1647531900, None))
        .push("\n")
        .push(pre("x", Some("python")))
        .push(pre("y", None))
        .push("\n")
        .push(blockquote("q\n"))
        .push(expandable_blockquote("e"));
    assert_eq!(
        t.to_html(),
        "<b>b</b><i>i</i><u>u</u><s>s</s><tg-spoiler>p</tg-spoiler><code>c</code>\
         <a href=\"http://www.example.com/\">l</a><a href=\"tg://user?id=123456789\">m</a>\
         <tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>\
         <tg-time unix=\"1647531900\" format=\"wDT\">22:45 tomorrow</tg-time>\
         <tg-time unix=\"1647531900\">now</tg-time>\n\
         <pre><code class=\"language-python\">x</code></pre><pre>y</pre>\n\
         <blockquote>q\n</blockquote><blockquote expandable>e</blockquote>"
    );
    assert_eq!(
        t.to_markdown_v2(),
        "*b*_i_**__u__~s~||p||`c`[l](http://www.example.com/)[m](tg://user?id=123456789)\
         ![👍](tg://emoji?id=5368324170671202286)\
         ![22:45 tomorrow](tg://time?unix=1647531900&format=wDT)\
         ![now](tg://time?unix=1647531900)\n\
         ```python\nx``````\ny```\n\
         >q\n**>e||"
    );
}

#[test]
fn underscores_are_kept_apart() {
    // italic around underline, and underline around italic (the docs' case).
    let a = italic(underline("x"));
    assert_eq!(a.to_markdown_v2(), "_**__x__**_");
    let b = underline(italic("x"));
    assert_eq!(b.to_markdown_v2(), "__**_x_**__");
    // Inside bold the separator is empty code (`**` would end the bold).
    let c = bold(Text::new().italic("a").underline("b"));
    assert_eq!(c.to_markdown_v2(), "*_a_``__b__*");
    for t in [a, b, c] {
        assert!(same(
            &parse_back::markdown_v2(&t.to_markdown_v2()).unwrap(),
            &t
        ));
    }
}

#[test]
fn escaping_lists_every_reserved_character() {
    assert_eq!(
        markdown_v2::escape(r"_*[]()~`>#+-=|{}.!\ a"),
        r"\_\*\[\]\(\)\~\`\>\#\+\-\=\|\{\}\.\!\\ a"
    );
    assert_eq!(markdown_v2::escape_code(r"a`b\c*"), r"a\`b\\c*");
    assert_eq!(
        markdown_v2::escape_link_url(r"http://x/(a)\b"),
        r"http://x/(a\)\\b"
    );
    assert_eq!(
        html::escape("<a href=\"x\">&</a>"),
        "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
    );
    assert_eq!(markdown::escape(r"_*`[]()\"), r"\_\*\`\[]()\");
}

#[test]
fn legacy_helpers_close_and_reopen() {
    assert_eq!(markdown::code("a`b"), "`a`\\``b`");
    assert_eq!(
        markdown::link("a]b", "http://x/(y)"),
        "[a](http://x/(y%29)][b](http://x/(y%29)"
    );
    assert_eq!(
        markdown::pre("x", Some("rust")).as_deref(),
        Some("```rust\nx```")
    );
    assert_eq!(markdown::pre("a```b", None), None);
    assert_eq!(markdown::pre("a`", None), None);
    let (text, entities) = parse_back::markdown(&markdown::bold("2*2=4")).unwrap();
    assert_eq!(text, "2*2=4");
    assert_eq!(entities.len(), 2);
}

#[test]
fn received_entities_are_made_safe() {
    // Crossing entities close and reopen; offsets past the end or inside a
    // surrogate pair are clamped; kinds rendered as plain text add nothing;
    // what code holds is left out.
    let e = |ty: T, o, l| MessageEntity::new(ty, o, l);
    let text = "ab👍cd";
    let entities = [
        e(T::Bold, 0, 3),
        e(T::Italic, 1, 4),
        e(T::Code, 5, 1),
        e(T::Bold, 5, 1),
        e(T::Underline, -3, 4),
        e(T::Strikethrough, 3, 100),
        e(T::Hashtag, 0, 6),
        e(T::Other("new_kind".into()), 0, 2),
    ];
    let h = html::render(text, &entities);
    assert_eq!(
        h,
        "<b><u>a</u><i>b👍</i></b><i><s>c</s></i><s><b><code>d</code></b></s>"
    );
    assert_eq!(
        html::render(
            "code",
            &[e(T::Code, 0, 4), e(T::Bold, 1, 2), e(T::TextLink, 0, 2)]
        ),
        "<code>code</code>"
    );
    let (plain, _) = parse_back::html(&h).unwrap();
    assert_eq!(plain, text);
    let m = markdown_v2::render(text, &entities);
    let (plain, _) = parse_back::markdown_v2(&m).unwrap();
    assert_eq!(plain, text);
}

#[test]
fn quotes_fit_lines_in_markdown_v2() {
    let q = |o, l| MessageEntity::new(T::Blockquote, o, l);
    // Not at a line start: left out. Ending inside a line: stretched.
    assert_eq!(markdown_v2::render("a b\nc", &[q(2, 1)]), "a b\nc");
    assert_eq!(markdown_v2::render("ab\ncd\ne", &[q(0, 1)]), ">ab\ncd\ne");
    // Two quotes in a row are kept apart; the line break ends the first.
    let t = Text::new().push(blockquote("a\n")).push(blockquote("b"));
    assert_eq!(t.to_markdown_v2(), ">a\n**>b");
    assert!(same(
        &parse_back::markdown_v2(&t.to_markdown_v2()).unwrap(),
        &t
    ));
    // A code block inside a quote takes no `>` on its lines.
    let t = Text::new().push(blockquote(
        Text::new().push("x\n").pre("1\n2", None).push("\ny\n"),
    ));
    assert_eq!(t.to_markdown_v2(), ">x\n>```\n1\n2```\n>y\n");
    assert!(same(
        &parse_back::markdown_v2(&t.to_markdown_v2()).unwrap(),
        &t
    ));
}

#[test]
fn pre_keeps_leading_line_breaks() {
    for content in ["\nx", "\rx", "\r\nx", "x\n", "`", "\\"] {
        let t = pre(content, Some("c"));
        let parsed = parse_back::markdown_v2(&t.to_markdown_v2()).unwrap();
        assert!(same(&parsed, &t), "{content:?}: {:?}", t.to_markdown_v2());
    }
}

// ---- Property tests --------------------------------------------------------

/// Pieces of text: letters, every reserved character of the three modes,
/// line breaks, characters of 2, 3 and 4 UTF-8 bytes, combining marks,
/// surrogate pairs, flags and joined emoji.
const PIECES: &[&str] = &[
    "a",
    "Z",
    "0",
    " ",
    "\n",
    "_",
    "*",
    "[",
    "]",
    "(",
    ")",
    "~",
    "`",
    ">",
    "#",
    "+",
    "-",
    "=",
    "|",
    "{",
    "}",
    ".",
    "!",
    "\\",
    "<",
    "&",
    "\"",
    "'",
    "/",
    "é",
    "e\u{301}",
    "中",
    "👍",
    "🇺🇦",
    "👨\u{200d}👩\u{200d}👧",
    "\u{200d}",
    "||",
    "__",
    "```",
    "&amp;",
    ">x",
    "tg://",
];

fn piece_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..max).prop_map(|v| v.concat())
}

fn url() -> impl Strategy<Value = String> {
    piece_text(6).prop_map(|s| format!("https://e.x/{}", s.replace(['\n', ' '], "")))
}

#[derive(Debug, Clone)]
enum Node {
    Plain(String),
    Style(u8, Vec<Node>),
    Code(String),
    Pre(String, Option<String>),
    Link(String, Vec<Node>),
    Mention(i64, Vec<Node>),
    Emoji(&'static str, u64),
    Time(String, i64, Option<&'static str>),
}

fn node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        4 => piece_text(6).prop_map(Node::Plain),
        1 => piece_text(5).prop_map(Node::Code),
        1 => (piece_text(6), prop::option::of("[a-z+]{1,6}")).prop_map(|(c, l)| Node::Pre(c, l)),
        1 => (prop::sample::select(&["👍", "❤️", "🇺🇦", "👨\u{200d}👩\u{200d}👧"][..]), 1u64..u64::MAX)
            .prop_map(|(e, id)| Node::Emoji(e, id)),
        1 => (piece_text(4), 0i64..4_000_000_000, prop::option::of(prop::sample::select(&["r", "wDT", "t", "dT", "D"][..])))
            .prop_map(|(l, u, f)| Node::Time(l, u, f)),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        let kids = prop::collection::vec(inner, 0..4);
        prop_oneof![
            3 => (0u8..5, kids.clone()).prop_map(|(k, v)| Node::Style(k, v)),
            1 => (url(), kids.clone()).prop_map(|(u, v)| Node::Link(u, v)),
            1 => (1i64..1_000_000_000_000, kids).prop_map(|(id, v)| Node::Mention(id, v)),
        ]
    })
}

/// A node as Telegram allows it where it stands: a style inside the same
/// style is unwrapped, an atomic entity inside another keeps its text only.
fn build(node: &Node, styles: &[u8], in_atomic: bool) -> Text {
    let kids = |v: &[Node], styles: &[u8], atomic: bool| -> Text {
        v.iter().map(|n| build(n, styles, atomic)).collect()
    };
    match node {
        Node::Plain(s) => Text::from(s.as_str()),
        Node::Style(k, v) => {
            if styles.contains(k) {
                return kids(v, styles, in_atomic);
            }
            let mut s = styles.to_vec();
            s.push(*k);
            let inner = kids(v, &s, in_atomic);
            [bold, italic, underline, strikethrough, spoiler][*k as usize](inner)
        }
        Node::Code(c) if !in_atomic => code(c),
        Node::Pre(c, l) if !in_atomic => pre(c, l.as_deref()),
        Node::Link(u, v) if !in_atomic => link(kids(v, styles, true), u.clone()),
        Node::Mention(id, v) if !in_atomic => text_mention_id(kids(v, styles, true), (*id).into()),
        Node::Emoji(e, id) if !in_atomic => custom_emoji(e, id.to_string()),
        Node::Time(l, u, f) if !in_atomic => date_time(l.as_str(), *u, *f),
        Node::Code(c) | Node::Pre(c, _) | Node::Time(c, ..) => Text::from(c.as_str()),
        Node::Emoji(e, _) => Text::from(*e),
        Node::Link(_, v) | Node::Mention(_, v) => kids(v, styles, true),
    }
}

/// Blocks: lines of inline nodes, and quotes (each a whole number of lines;
/// the last block may end without a line break).
fn document() -> impl Strategy<Value = Text> {
    let block = (0u8..4, prop::collection::vec(node(), 0..4));
    (prop::collection::vec(block, 1..5), any::<bool>()).prop_map(|(blocks, last_newline)| {
        let n = blocks.len();
        let mut t = Text::new();
        for (i, (kind, nodes)) in blocks.iter().enumerate() {
            let mut inner: Text = nodes.iter().map(|n| build(n, &[], false)).collect();
            // A quote ends with a line break of its own, which nothing in
            // it holds (MarkdownV2 reads that line break as the quote's end).
            if i + 1 < n || last_newline || (*kind < 2 && inner.as_str().ends_with('\n')) {
                inner.append("\n");
            }
            t.append(match kind {
                0 => blockquote(inner),
                1 => expandable_blockquote(inner),
                _ => inner,
            });
        }
        t
    })
}

/// Text and entities as a client might send them: any kind, any offsets,
/// crossing and nesting at will.
fn received() -> impl Strategy<Value = (String, Vec<MessageEntity>)> {
    let kinds = prop::sample::select(vec![
        T::Bold,
        T::Italic,
        T::Underline,
        T::Strikethrough,
        T::Spoiler,
        T::Code,
        T::Pre,
        T::TextLink,
        T::TextMention,
        T::CustomEmoji,
        T::DateTime,
        T::Blockquote,
        T::ExpandableBlockquote,
        T::Mention,
        T::Url,
        T::Other("later".into()),
    ]);
    let one = (
        kinds,
        -2i64..40,
        0i64..40,
        url(),
        prop::option::of("[a-z]{1,4}"),
    )
        .prop_map(|(ty, offset, length, url, language)| {
            let mut e = MessageEntity::new(ty.clone(), offset, length);
            match ty {
                T::TextLink => e.url = Some(url.into()),
                T::TextMention => e.user = Some(User::new(offset.abs() + 1, false, "")),
                T::CustomEmoji => e.custom_emoji_id = Some("53".into()),
                T::DateTime => e.unix_time = Some(1_700_000_000),
                T::Pre => e.language = language.map(Into::into),
                _ => {}
            }
            e
        });
    let text = prop::collection::vec(prop::sample::select([PIECES, &["\r"]].concat()), 0..30)
        .prop_map(|v| v.concat());
    (text, prop::collection::vec(one, 0..8))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Rendering the builder's text as HTML and reading it back gives the
    /// same text and entities.
    #[test]
    fn html_round_trips(t in document()) {
        let rendered = t.to_html();
        let parsed = parse_back::html(&rendered).map_err(|e| TestCaseError::fail(format!("{e}: {rendered}")))?;
        prop_assert!(same(&parsed, &t), "{rendered:?}\n{parsed:?}\n{t:?}");
    }

    /// The same through MarkdownV2.
    #[test]
    fn markdown_v2_round_trips(t in document()) {
        let rendered = t.to_markdown_v2();
        let parsed = parse_back::markdown_v2(&rendered).map_err(|e| TestCaseError::fail(format!("{e}: {rendered}")))?;
        prop_assert!(same(&parsed, &t), "{rendered:?}\n{parsed:?}\n{t:?}");
    }

    /// Each entity the builder makes covers exactly its part, counted in
    /// UTF-16 units (emoji, flags, combining marks and surrogate pairs).
    #[test]
    fn entities_cover_their_parts(a in piece_text(8), b in piece_text(8), c in piece_text(8)) {
        let t = Text::new().push(a.as_str()).bold(Text::new().push(b.as_str()).italic(c.as_str())).push(a.as_str());
        let e = t.entities();
        if !(b.is_empty() && c.is_empty()) {
            prop_assert_eq!(covered(t.as_str(), &e[0]), format!("{b}{c}"));
        }
        if !c.is_empty() {
            prop_assert_eq!(covered(t.as_str(), e.last().unwrap()), c.clone());
        }
        prop_assert_eq!(t.len_utf16(), t.as_str().encode_utf16().count());
    }

    /// Escaped text reads back as itself, with no entity, in all three
    /// modes; so does escaped code in a code span and a block, and an
    /// escaped URL in a link.
    #[test]
    fn escaping_leaves_nothing_to_parse(s in piece_text(20), u in url()) {
        let none: Vec<MessageEntity> = Vec::new();
        prop_assert_eq!(parse_back::markdown_v2(&markdown_v2::escape(&s)).unwrap(), (s.clone(), none.clone()));
        prop_assert_eq!(parse_back::html(&html::escape(&s)).unwrap(), (s.clone(), none.clone()));
        prop_assert_eq!(parse_back::markdown(&markdown::escape(&s)).unwrap(), (s.clone(), none));
        if !s.is_empty() {
            let (text, e) = parse_back::markdown_v2(&format!("`{}`", markdown_v2::escape_code(&s))).unwrap();
            prop_assert_eq!((text.as_str(), e.len(), &e[0].type_), (s.as_str(), 1, &T::Code));
        }
        let (_, e) = parse_back::markdown_v2(&format!("[x]({})", markdown_v2::escape_link_url(&u))).unwrap();
        prop_assert_eq!(e[0].url.as_deref(), Some(u.as_str()));
        let (text, _) = parse_back::markdown(&markdown::italic(&s)).unwrap();
        prop_assert_eq!(text, s.clone());
        let (text, _) = parse_back::markdown(&markdown::code(&s)).unwrap();
        prop_assert_eq!(text, s);
    }

    /// Whatever entities a message holds, the rendering reads back (no
    /// markup broken) with the message's text unchanged.
    #[test]
    fn any_received_entities_render_readably((text, entities) in received()) {
        let h = html::render(&text, &entities);
        let parsed = parse_back::html(&h).map_err(|e| TestCaseError::fail(format!("{e}: {h:?}")))?;
        prop_assert_eq!(&parsed.0, &text, "{:?}", h);
        let m = markdown_v2::render(&text, &entities);
        let parsed = parse_back::markdown_v2(&m).map_err(|e| TestCaseError::fail(format!("{e}: {m:?}")))?;
        prop_assert_eq!(&parsed.0, &text, "{:?}", m);
    }
}
