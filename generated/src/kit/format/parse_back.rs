//! Test-only parsers of the three parse modes back into text and entities,
//! to check that what the renderers and escapers write reads back as meant.
//!
//! The MarkdownV2 and legacy Markdown readers follow the order of decisions
//! of TDLib's `parse_markdown_v2` and `parse_markdown`
//! (td/telegram/MessageEntity.cpp: escapes, reserved characters, which
//! character ends which entity, how `pre` skips its first line break, how
//! quotes end at a line break and become expandable with `||`), written
//! anew here; they keep every URL where TDLib would also check it. The HTML
//! reader knows exactly the tags and references the renderer writes.

use crate::types::{MessageEntity, MessageEntityType as T, User};

pub(super) type Parsed = (String, Vec<MessageEntity>);

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0 | 0x0b | 0x0c)
}

/// UTF-16 units a byte adds: 1 for a first byte of a character of up to
/// three bytes, 2 for one of four, 0 for continuation bytes.
fn units(c: u8) -> i64 {
    if c & 0xc0 == 0x80 {
        0
    } else if c >= 0xf0 {
        2
    } else {
        1
    }
}

fn entity(kind: T, offset: i64, length: i64) -> MessageEntity {
    MessageEntity::new(kind, offset, length)
}

/// A link's URL to an entity: a mention for `tg://user?id=`, else a link.
fn link_entity(url: String, offset: i64, length: i64) -> MessageEntity {
    if let Some(id) = url
        .strip_prefix("tg://user?id=")
        .and_then(|s| s.parse::<i64>().ok())
    {
        entity(T::TextMention, offset, length).user(User::new(id, false, ""))
    } else {
        entity(T::TextLink, offset, length).url(url)
    }
}

/// `![..](url)`: a custom emoji or a date and time.
fn bang_entity(url: &str, offset: i64, length: i64) -> Result<MessageEntity, String> {
    if let Some(id) = url.strip_prefix("tg://emoji?id=") {
        if id.is_empty() {
            return Err("empty custom emoji id".into());
        }
        return Ok(entity(T::CustomEmoji, offset, length).custom_emoji_id(id));
    }
    if let Some(query) = url.strip_prefix("tg://time?") {
        let mut e = entity(T::DateTime, offset, length);
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("unix", n)) => e.unix_time = Some(n.parse().map_err(|_| "bad unix")?),
                Some(("format", f)) => e.date_time_format = Some(f.into()),
                _ => return Err(format!("unknown time parameter {pair:?}")),
            }
        }
        if e.unix_time.is_none() {
            return Err("time without unix".into());
        }
        return Ok(e);
    }
    Err(format!("not an emoji or time URL: {url:?}"))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum K {
    Bold,
    Italic,
    Underline,
    Strike,
    Spoiler,
    Code,
    Pre,
    Url,
    Bang,
    Quote,
}

struct Open {
    kind: K,
    language: String,
    off16: i64,
    byte_at: usize,
    out_at: usize,
}

fn reserved(c: u8) -> String {
    format!("character {:?} is reserved", c as char)
}

/// Read a `(...)` part starting at `i` (on the `(`), with escapes; returns
/// the URL and the index of the `)`.
fn read_url(t: &[u8], mut i: usize) -> Result<(String, usize), String> {
    let at = |i: usize| t.get(i).copied().unwrap_or(0);
    i += 1;
    let mut url = Vec::new();
    while i < t.len() && t[i] != b')' {
        if t[i] == b'\\' && (1..=126).contains(&at(i + 1)) {
            url.push(t[i + 1]);
            i += 2;
            continue;
        }
        url.push(t[i]);
        i += 1;
    }
    if at(i) != b')' {
        return Err("no end of URL".into());
    }
    Ok((String::from_utf8(url).map_err(|e| e.to_string())?, i))
}

/// MarkdownV2 to text and entities.
pub(super) fn markdown_v2(src: &str) -> Result<Parsed, String> {
    let t = src.as_bytes();
    let n = t.len();
    let at = |i: usize| t.get(i).copied().unwrap_or(0);
    let mut out: Vec<u8> = Vec::with_capacity(n);
    let mut pos: i64 = 0;
    let mut stack: Vec<Open> = Vec::new();
    let mut entities = Vec::new();
    let mut have_quote = false;
    let mut can_start_quote = true;
    let mut i = 0;
    while i < n {
        'step: {
            let c = t[i];
            if c == b'\\' && (1..=126).contains(&at(i + 1)) {
                i += 1;
                pos += 1;
                out.push(t[i]);
                if t[i] != b'\r' {
                    can_start_quote = t[i] == b'\n';
                }
                break 'step;
            }
            let in_code = stack
                .last()
                .is_some_and(|o| matches!(o.kind, K::Code | K::Pre));
            let special: &[u8] = if in_code {
                b"`"
            } else {
                b"_*[]()~`>#+-=|{}.!\n"
            };
            if !special.contains(&c) {
                pos += units(c);
                if units(c) > 0 && c != b'\r' {
                    can_start_quote = false;
                }
                out.push(c);
                break 'step;
            }
            let is_end = match stack.last() {
                None => false,
                Some(_) if have_quote && c == b'\n' && (i + 1 == n || t[i + 1] != b'>') => true,
                Some(top) => match top.kind {
                    K::Bold => c == b'*',
                    K::Italic => c == b'_' && at(i + 1) != b'_',
                    K::Code => c == b'`',
                    K::Pre => c == b'`' && at(i + 1) == b'`' && at(i + 2) == b'`',
                    K::Url | K::Bang => c == b']',
                    K::Underline => c == b'_' && at(i + 1) == b'_',
                    K::Strike => c == b'~',
                    K::Spoiler => c == b'|' && at(i + 1) == b'|',
                    K::Quote => false,
                },
            };
            if !is_end {
                let byte_at = i;
                let mut language = String::new();
                let kind = match c {
                    b'_' if at(i + 1) == b'_' => {
                        i += 1;
                        K::Underline
                    }
                    b'_' => K::Italic,
                    b'*' => K::Bold,
                    b'~' => K::Strike,
                    b'|' if at(i + 1) == b'|' => {
                        i += 1;
                        K::Spoiler
                    }
                    b'[' => K::Url,
                    b'`' if at(i + 1) == b'`' && at(i + 2) == b'`' => {
                        i += 3;
                        let mut end = i;
                        while !is_space(at(end)) && at(end) != b'`' {
                            end += 1;
                        }
                        if i != end && end < n && at(end) != b'`' {
                            language = String::from_utf8_lossy(&t[i..end]).into_owned();
                            i = end;
                        }
                        if at(i) == b'\n' || at(i) == b'\r' {
                            if (at(i + 1) == b'\n' || at(i + 1) == b'\r') && at(i) != at(i + 1) {
                                i += 2;
                            } else {
                                i += 1;
                            }
                        }
                        i -= 1;
                        K::Pre
                    }
                    b'`' => K::Code,
                    b'!' if at(i + 1) == b'[' => {
                        i += 1;
                        K::Bang
                    }
                    b'\n' => {
                        pos += 1;
                        out.push(b'\n');
                        can_start_quote = true;
                        break 'step;
                    }
                    b'>' if can_start_quote => {
                        if have_quote {
                            break 'step;
                        }
                        have_quote = true;
                        K::Quote
                    }
                    _ => return Err(reserved(c)),
                };
                stack.push(Open {
                    kind,
                    language,
                    off16: pos,
                    byte_at,
                    out_at: out.len(),
                });
                break 'step;
            }
            // The end of an entity.
            let mut kind = stack.last().map(|o| o.kind).ok_or("no entity")?;
            let mut expandable = false;
            if c == b'\n' && kind != K::Quote {
                let spoiler_mark = stack
                    .last()
                    .is_some_and(|o| o.kind == K::Spoiler && o.byte_at + 2 == i);
                if !spoiler_mark {
                    return Err(format!("no end of {kind:?} before the quote's end"));
                }
                stack.pop();
                if stack.last().map(|o| o.kind) != Some(K::Quote) {
                    return Err("`||` before a line break outside a quote".into());
                }
                kind = K::Quote;
                expandable = true;
            }
            let top = stack.pop().ok_or("no entity")?;
            let offset = top.off16;
            let mut made = None;
            match kind {
                K::Bold | K::Italic | K::Code | K::Strike | K::Underline | K::Spoiler | K::Pre => {
                    i += match kind {
                        K::Underline | K::Spoiler => 1,
                        K::Pre => 2,
                        _ => 0,
                    };
                    if pos != offset {
                        let (ty, language) = match kind {
                            K::Bold => (T::Bold, None),
                            K::Italic => (T::Italic, None),
                            K::Code => (T::Code, None),
                            K::Strike => (T::Strikethrough, None),
                            K::Underline => (T::Underline, None),
                            K::Spoiler => (T::Spoiler, None),
                            _ => (T::Pre, Some(top.language).filter(|l| !l.is_empty())),
                        };
                        let mut e = entity(ty, offset, pos - offset);
                        e.language = language.map(Into::into);
                        made = Some(e);
                    }
                }
                K::Url => {
                    let url = if at(i + 1) != b'(' {
                        String::from_utf8_lossy(&out[top.out_at..]).into_owned()
                    } else {
                        let (url, end) = read_url(t, i + 1)?;
                        i = end;
                        url
                    };
                    if pos != offset && !url.is_empty() {
                        made = Some(link_entity(url, offset, pos - offset));
                    }
                }
                K::Bang => {
                    if at(i + 1) != b'(' {
                        return Err("custom emoji or time without a URL".into());
                    }
                    let (url, end) = read_url(t, i + 1)?;
                    i = end;
                    let e = bang_entity(&url, offset, pos - offset)?;
                    if pos != offset {
                        made = Some(e);
                    }
                }
                K::Quote => {
                    out.push(t[i]);
                    can_start_quote = true;
                    pos += 1;
                    have_quote = false;
                    let ty = if expandable {
                        T::ExpandableBlockquote
                    } else {
                        T::Blockquote
                    };
                    made = Some(entity(ty, offset, pos - offset));
                }
            }
            entities.extend(made);
        }
        i += 1;
    }
    if have_quote {
        let mut ty = T::Blockquote;
        if stack
            .last()
            .is_some_and(|o| o.kind == K::Spoiler && o.byte_at + 2 == n)
        {
            stack.pop();
            ty = T::ExpandableBlockquote;
        }
        if stack.last().is_some_and(|o| o.kind == K::Quote) {
            let top = stack.pop().ok_or("no quote")?;
            if pos != top.off16 {
                entities.push(entity(ty, top.off16, pos - top.off16));
            }
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!(
            "no end of {:?} opened at byte {}",
            open.kind, open.byte_at
        ));
    }
    Ok((String::from_utf8(out).map_err(|e| e.to_string())?, entities))
}

/// Legacy Markdown to text and entities.
pub(super) fn markdown(src: &str) -> Result<Parsed, String> {
    let t = src.as_bytes();
    let n = t.len();
    let at = |i: usize| t.get(i).copied().unwrap_or(0);
    let mut out: Vec<u8> = Vec::with_capacity(n);
    let mut pos: i64 = 0;
    let mut entities = Vec::new();
    let mut i = 0;
    while i < n {
        'step: {
            let c = t[i];
            if c == b'\\' && matches!(at(i + 1), b'_' | b'*' | b'`' | b'[') {
                i += 1;
                out.push(t[i]);
                pos += 1;
                break 'step;
            }
            if !matches!(c, b'_' | b'*' | b'`' | b'[') {
                pos += units(c);
                out.push(c);
                break 'step;
            }
            let begin = i;
            let end_char = if c == b'[' { b']' } else { c };
            i += 1;
            let mut is_pre = false;
            let mut language = String::new();
            if c == b'`' && at(i) == b'`' && at(i + 1) == b'`' {
                i += 2;
                is_pre = true;
                let mut end = i;
                while !is_space(at(end)) && at(end) != b'`' {
                    end += 1;
                }
                if i != end && end < n && at(end) != b'`' {
                    language = String::from_utf8_lossy(&t[i..end]).into_owned();
                    i = end;
                }
                if at(i) == b'\n' || at(i) == b'\r' {
                    if (at(i + 1) == b'\n' || at(i + 1) == b'\r') && at(i) != at(i + 1) {
                        i += 2;
                    } else {
                        i += 1;
                    }
                }
            }
            let offset = pos;
            while i < n
                && (t[i] != end_char || (is_pre && !(at(i + 1) == b'`' && at(i + 2) == b'`')))
            {
                pos += units(t[i]);
                out.push(t[i]);
                i += 1;
            }
            if i == n {
                return Err(format!("no end of the entity at byte {begin}"));
            }
            if offset != pos {
                let length = pos - offset;
                entities.push(match c {
                    b'_' => entity(T::Italic, offset, length),
                    b'*' => entity(T::Bold, offset, length),
                    b'[' => {
                        let url = if at(i + 1) != b'(' {
                            String::from_utf8_lossy(&t[begin + 1..i]).into_owned()
                        } else {
                            i += 2;
                            let from = i;
                            while i < n && t[i] != b')' {
                                i += 1;
                            }
                            String::from_utf8_lossy(&t[from..i]).into_owned()
                        };
                        link_entity(url, offset, length)
                    }
                    _ if is_pre => {
                        let mut e = entity(T::Pre, offset, length);
                        e.language = Some(language).filter(|l| !l.is_empty()).map(Into::into);
                        e
                    }
                    _ => entity(T::Code, offset, length),
                });
            }
            if is_pre {
                i += 2;
            }
        }
        i += 1;
    }
    Ok((String::from_utf8(out).map_err(|e| e.to_string())?, entities))
}

/// Decode `&name;` and `&#N;`/`&#xN;` at the start of `s` (which starts with `&`).
fn reference(s: &str) -> Result<(char, usize), String> {
    let end = s.find(';').ok_or("unterminated reference")?;
    let name = &s[1..end];
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        _ => {
            let n = if let Some(hex) = name.strip_prefix("#x") {
                u32::from_str_radix(hex, 16).map_err(|e| e.to_string())?
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse().map_err(|_| "bad reference")?
            } else {
                return Err(format!("unknown reference &{name};"));
            };
            char::from_u32(n).ok_or("bad code point")?
        }
    };
    Ok((c, end + 1))
}

fn unescape(s: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '&' {
            let (c, used) = reference(rest)?;
            out.push(c);
            rest = &rest[used..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    Ok(out)
}

/// A tag's name and attributes (`name="value"` or a bare `name`).
fn tag_parts(tag: &str) -> Result<(String, Vec<(String, String)>), String> {
    let (name, mut rest) = tag.split_once(' ').unwrap_or((tag, ""));
    let mut attrs = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let key_end = rest.find(['=', ' ']).unwrap_or(rest.len());
        let key = rest[..key_end].to_string();
        rest = &rest[key_end..];
        if let Some(r) = rest.strip_prefix("=\"") {
            let end = r.find('"').ok_or("unterminated attribute")?;
            attrs.push((key, unescape(&r[..end])?));
            rest = &r[end + 1..];
        } else {
            attrs.push((key, String::new()));
        }
    }
    Ok((name.to_string(), attrs))
}

struct Tag {
    name: String,
    off16: i64,
    entity: Option<MessageEntity>,
}

/// Telegram HTML (the tags the renderer writes) to text and entities.
pub(super) fn html(src: &str) -> Result<Parsed, String> {
    let mut out = String::new();
    let mut pos: i64 = 0;
    let mut stack: Vec<Tag> = Vec::new();
    let mut entities = Vec::new();
    let mut rest = src;
    while let Some(c) = rest.chars().next() {
        if c == '&' {
            let (c, used) = reference(rest)?;
            out.push(c);
            pos += c.len_utf16() as i64;
            rest = &rest[used..];
            continue;
        }
        if c == '>' {
            return Err("bare `>`".into());
        }
        if c != '<' {
            out.push(c);
            pos += c.len_utf16() as i64;
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let end = rest.find('>').ok_or("unterminated tag")?;
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().ok_or("close tag without open tag")?;
            if open.name != name {
                return Err(format!("<{}> closed by </{name}>", open.name));
            }
            if let Some(mut e) = open.entity {
                if pos > open.off16 {
                    e.offset = open.off16;
                    e.length = pos - open.off16;
                    entities.push(e);
                }
            }
            continue;
        }
        let (name, attrs) = tag_parts(tag)?;
        let get = |key: &str| attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let plain = |ty: T| Some(entity(ty, 0, 0));
        let made = match name.as_str() {
            "b" => plain(T::Bold),
            "i" => plain(T::Italic),
            "u" => plain(T::Underline),
            "s" => plain(T::Strikethrough),
            "tg-spoiler" => plain(T::Spoiler),
            "pre" => plain(T::Pre),
            "code" => {
                let class = get("class");
                let language = class.as_deref().and_then(|c| c.strip_prefix("language-"));
                match stack.last_mut() {
                    Some(pre) if pre.name == "pre" && pre.off16 == pos && language.is_some() => {
                        if let Some(e) = pre.entity.as_mut() {
                            e.language = language.map(Into::into);
                        }
                        None
                    }
                    _ => plain(T::Code),
                }
            }
            "a" => Some(link_entity(get("href").ok_or("a without href")?, 0, 0)),
            "tg-emoji" => Some(
                entity(T::CustomEmoji, 0, 0).custom_emoji_id(get("emoji-id").ok_or("no emoji-id")?),
            ),
            "tg-time" => {
                let mut e = entity(T::DateTime, 0, 0);
                e.unix_time = Some(
                    get("unix")
                        .ok_or("no unix")?
                        .parse()
                        .map_err(|_| "bad unix")?,
                );
                e.date_time_format = get("format").map(Into::into);
                Some(e)
            }
            "blockquote" if get("expandable").is_some() => plain(T::ExpandableBlockquote),
            "blockquote" => plain(T::Blockquote),
            other => return Err(format!("unknown tag <{other}>")),
        };
        stack.push(Tag {
            name,
            off16: pos,
            entity: made,
        });
    }
    if let Some(open) = stack.last() {
        return Err(format!("<{}> never closed", open.name));
    }
    Ok((out, entities))
}
