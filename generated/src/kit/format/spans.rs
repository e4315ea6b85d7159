//! From a text and its entities to a flat list of open, close and text
//! events that both renderers walk. This is where received entities are made
//! safe to render: offsets are counted in UTF-16 units and clamped to the
//! text, an entity Telegram's nesting rules forbid where it stands is
//! dropped (its text stays), two entities that cross are closed and opened
//! again, and for MarkdownV2 block quotes are fitted to whole lines.
//!
//! Nesting rules (Bot API, "Formatting options"): bold, italic, underline,
//! strikethrough and spoiler may contain and sit in anything but code and
//! pre; block quotes do not nest; the other kinds contain none of each other.

use crate::types::{MessageEntity, MessageEntityType};

/// What one entity renders as. Kinds Telegram detects by itself (mentions by
/// username, hashtags, URLs, commands, ...) and kinds this version does not
/// know render as their plain text and have no `Kind`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind<'a> {
    Bold,
    Italic,
    Underline,
    Strikethrough,
    Spoiler,
    Code,
    Pre(Option<&'a str>),
    Link(&'a str),
    Mention(i64),
    Emoji(&'a str),
    Time(i64, Option<&'a str>),
    /// `newline`: the quote's last line break was taken out of it and follows
    /// its close (MarkdownV2 only: there the line break ends the quote).
    Quote {
        expandable: bool,
        newline: bool,
    },
}

impl Kind<'_> {
    fn of(e: &MessageEntity) -> Option<Kind<'_>> {
        use MessageEntityType as T;
        Some(match &e.type_ {
            T::Bold => Kind::Bold,
            T::Italic => Kind::Italic,
            T::Underline => Kind::Underline,
            T::Strikethrough => Kind::Strikethrough,
            T::Spoiler => Kind::Spoiler,
            T::Code => Kind::Code,
            T::Pre => Kind::Pre(e.language.as_deref().filter(|l| !l.is_empty())),
            T::TextLink => Kind::Link(e.url.as_deref().filter(|u| !u.is_empty())?),
            T::TextMention => Kind::Mention(e.user.as_ref()?.id.get()),
            T::CustomEmoji => Kind::Emoji(e.custom_emoji_id.as_deref()?),
            T::DateTime => Kind::Time(
                e.unix_time?,
                e.date_time_format.as_deref().filter(|f| !f.is_empty()),
            ),
            T::Blockquote => Kind::Quote {
                expandable: false,
                newline: false,
            },
            T::ExpandableBlockquote => Kind::Quote {
                expandable: true,
                newline: false,
            },
            _ => return None,
        })
    }

    pub(crate) fn is_code(&self) -> bool {
        matches!(self, Kind::Code | Kind::Pre(_))
    }

    pub(crate) fn is_quote(&self) -> bool {
        matches!(self, Kind::Quote { .. })
    }

    /// The kinds that contain no other kind but the five styles.
    fn is_atomic(&self) -> bool {
        matches!(
            self,
            Kind::Code
                | Kind::Pre(_)
                | Kind::Link(_)
                | Kind::Mention(_)
                | Kind::Emoji(_)
                | Kind::Time(..)
        )
    }

    /// Order of entities over the same range, outermost first.
    fn rank(&self) -> u8 {
        match self {
            Kind::Quote { .. } => 0,
            Kind::Bold | Kind::Italic | Kind::Underline | Kind::Strikethrough | Kind::Spoiler => 1,
            Kind::Link(_) | Kind::Mention(_) | Kind::Emoji(_) | Kind::Time(..) => 2,
            Kind::Code | Kind::Pre(_) => 3,
        }
    }

    fn same_kind(&self, other: &Kind<'_>) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// One step of the walk.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Event<'a> {
    Open(Kind<'a>),
    Close(Kind<'a>),
    Text(&'a str),
}

/// Which renderer the plan is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Html,
    MarkdownV2,
}

#[derive(Debug, Clone, Copy)]
struct Span<'a> {
    kind: Kind<'a>,
    start: usize,
    end: usize,
    order: usize,
}

/// Where each character starts, in UTF-16 units and in bytes, and the end.
struct Starts {
    at: Vec<(usize, usize)>,
}

impl Starts {
    fn new(text: &str) -> Starts {
        let mut at = Vec::with_capacity(text.len() + 1);
        let mut u = 0;
        for (b, c) in text.char_indices() {
            at.push((u, b));
            u += c.len_utf16();
        }
        at.push((u, text.len()));
        Starts { at }
    }

    fn len16(&self) -> usize {
        self.at.last().map_or(0, |&(u, _)| u)
    }

    /// True when a line break starts at UTF-16 position `p`.
    fn newline_at(&self, text: &str, p: usize) -> bool {
        match self.at.binary_search_by_key(&p, |&(u, _)| u) {
            Ok(i) if i + 1 < self.at.len() => text.as_bytes()[self.at[i].1] == b'\n',
            _ => false,
        }
    }

    /// The first line break at or after `p`, if any.
    fn next_newline(&self, text: &str, p: usize) -> Option<usize> {
        let from = match self.at.binary_search_by_key(&p, |&(u, _)| u) {
            Ok(i) | Err(i) => i,
        };
        self.at[from..self.at.len() - 1]
            .iter()
            .find(|&&(_, b)| text.as_bytes()[b] == b'\n')
            .map(|&(u, _)| u)
    }
}

fn clamp(v: i64, len: usize) -> usize {
    usize::try_from(v.max(0)).unwrap_or(usize::MAX).min(len)
}

/// Plan the rendering of `text` with `entities` for `target`.
pub(crate) fn plan<'a>(
    text: &'a str,
    entities: &'a [MessageEntity],
    target: Target,
) -> Vec<Event<'a>> {
    let starts = Starts::new(text);
    let len = starts.len16();

    let mut quotes: Vec<Span<'a>> = Vec::new();
    let mut others: Vec<Span<'a>> = Vec::new();
    for (order, e) in entities.iter().enumerate() {
        let Some(kind) = Kind::of(e) else { continue };
        let start = clamp(e.offset, len);
        let end = clamp(e.offset.saturating_add(e.length), len);
        if start >= end {
            continue;
        }
        let span = Span {
            kind,
            start,
            end,
            order,
        };
        if kind.is_quote() {
            quotes.push(span);
        } else {
            others.push(span);
        }
    }

    // Quotes: MarkdownV2 marks them per line, so one must start a line and
    // end one (it is stretched to the end of its last line). Quotes never
    // overlap: a later one that would is dropped.
    quotes.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end), s.order));
    let mut kept: Vec<Span<'a>> = Vec::new();
    for mut q in quotes {
        if target == Target::MarkdownV2 {
            if q.start != 0 && !starts.newline_at(text, q.start - 1) {
                continue;
            }
            if q.end < len && !starts.newline_at(text, q.end - 1) {
                q.end = starts.next_newline(text, q.end).map_or(len, |n| n + 1);
            }
        }
        if kept.last().is_some_and(|k| q.start < k.end) {
            continue;
        }
        kept.push(q);
    }

    // Every other entity lies wholly inside a quote or wholly outside: one
    // that crosses a quote's edge is cut there.
    let mut cut: Vec<Span<'a>> = Vec::with_capacity(others.len());
    for s in others {
        let mut from = s.start;
        for q in &kept {
            for edge in [q.start, q.end] {
                if edge > from && edge < s.end {
                    cut.push(Span {
                        start: from,
                        end: edge,
                        ..s
                    });
                    from = edge;
                }
            }
        }
        cut.push(Span { start: from, ..s });
    }

    // MarkdownV2 ends a quote at a line break and counts that line break in
    // it; nothing inside may hold it, so it follows the quote's close. A
    // quote starts after a line break that is markup, not code: code ending
    // with the line break before a quote gives that line break up.
    if target == Target::MarkdownV2 {
        for q in &kept {
            for s in cut.iter_mut() {
                if s.kind.is_code() && s.end == q.start && starts.newline_at(text, q.start - 1) {
                    s.end -= 1;
                }
            }
        }
        for q in &mut kept {
            if starts.newline_at(text, q.end - 1) {
                for s in cut.iter_mut() {
                    if s.start >= q.start && s.end == q.end {
                        s.end -= 1;
                    }
                }
                q.end -= 1;
                if let Kind::Quote { newline, .. } = &mut q.kind {
                    *newline = true;
                }
            }
        }
        cut.retain(|s| s.start < s.end);
    }

    let mut spans = kept;
    spans.extend(cut);
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end), s.kind.rank(), s.order));
    walk(text, &starts, &spans)
}

/// May `kind` open inside the entities in `open`?
fn allowed(kind: &Kind<'_>, open: &[Kind<'_>]) -> bool {
    if open.iter().any(Kind::is_code) {
        return false;
    }
    if kind.is_quote() {
        !open.iter().any(|k| k.is_quote() || k.is_atomic())
    } else if kind.is_atomic() {
        !open.iter().any(Kind::is_atomic)
    } else {
        // A style inside the same style changes nothing and cannot be
        // written in MarkdownV2.
        !open.iter().any(|k| k.same_kind(kind))
    }
}

fn walk<'a>(text: &'a str, starts: &Starts, spans: &[Span<'a>]) -> Vec<Event<'a>> {
    let mut events = Vec::with_capacity(spans.len() * 2 + 1);
    let mut stack: Vec<usize> = Vec::new();
    let mut next = 0;
    let mut flushed = 0;
    for &(p, b) in &starts.at {
        if b > flushed {
            events.push(Event::Text(&text[flushed..b]));
            flushed = b;
        }
        // Close what ends here; an entity above one that closes but ending
        // later is closed with it and opened again.
        if stack.iter().any(|&i| spans[i].end <= p) {
            let mut reopen = Vec::new();
            while stack.iter().any(|&i| spans[i].end <= p) {
                let Some(top) = stack.pop() else { break };
                events.push(Event::Close(spans[top].kind));
                if spans[top].end > p {
                    reopen.push(top);
                }
            }
            for i in reopen.into_iter().rev() {
                events.push(Event::Open(spans[i].kind));
                stack.push(i);
            }
        }
        while next < spans.len() && spans[next].start <= p {
            let i = next;
            next += 1;
            let open: Vec<Kind<'_>> = stack.iter().map(|&j| spans[j].kind).collect();
            let s = &spans[i];
            if !allowed(&s.kind, &open) {
                continue;
            }
            if s.end > p {
                events.push(Event::Open(s.kind));
                stack.push(i);
            } else if matches!(s.kind, Kind::Quote { newline: true, .. }) && s.end == p {
                // A quote holding only its line break.
                events.push(Event::Open(s.kind));
                events.push(Event::Close(s.kind));
            }
        }
    }
    while let Some(top) = stack.pop() {
        events.push(Event::Close(spans[top].kind));
    }
    events
}
