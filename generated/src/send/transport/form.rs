//! Request bodies of the default transport: bytes in memory, or a
//! `multipart/form-data` body whose parts' headers and text are written up
//! front and whose files are streamed as the body is sent, its length
//! announced when every file's length is known (chunked transfer otherwise).

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use http_body::{Frame, SizeHint};

use super::{BoxReader, FileData, Part, PartContent};

/// How much of a file is read for one frame.
const CHUNK: usize = 64 * 1024;

/// The body of a multipart request.
pub(crate) struct Form {
    boundary: String,
    pieces: VecDeque<Piece>,
    /// Bytes still to send, when known.
    remaining: Option<u64>,
    buf: BytesMut,
}

enum Piece {
    Bytes(Bytes),
    File {
        reader: BoxReader,
        /// What is left of its declared length, if it declared one.
        left: Option<u64>,
    },
}

impl Form {
    /// The body of `parts`, in order.
    pub(crate) fn new(parts: Vec<Part>) -> Form {
        let boundary = boundary();
        let mut pieces = VecDeque::with_capacity(parts.len() * 2 + 1);
        let mut remaining = Some(0u64);
        let mut add = |piece: Piece, len: Option<u64>| {
            remaining = remaining.zip(len).map(|(a, b)| a + b);
            pieces.push_back(piece);
        };
        for part in parts {
            let mut head = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"",
                quoted(&part.name)
            );
            match part.content {
                PartContent::Text(text) => {
                    head.push_str("\r\n\r\n");
                    head.push_str(&text);
                    head.push_str("\r\n");
                    let len = head.len() as u64;
                    add(Piece::Bytes(head.into()), Some(len));
                }
                PartContent::File {
                    file_name,
                    len,
                    data,
                } => {
                    head.push_str("; filename=\"");
                    head.push_str(&quoted(&file_name));
                    head.push_str("\"\r\n\r\n");
                    let head_len = head.len() as u64;
                    add(Piece::Bytes(head.into()), Some(head_len));
                    match data {
                        FileData::Bytes(bytes) => {
                            let n = bytes.len() as u64;
                            add(Piece::Bytes(bytes), Some(n));
                        }
                        FileData::Reader(reader) => add(Piece::File { reader, left: len }, len),
                    }
                    add(Piece::Bytes(Bytes::from_static(b"\r\n")), Some(2));
                }
            }
        }
        let tail = format!("--{boundary}--\r\n");
        let len = tail.len() as u64;
        add(Piece::Bytes(tail.into()), Some(len));
        Form {
            boundary,
            pieces,
            remaining,
            buf: BytesMut::new(),
        }
    }

    /// The request's `Content-Type`.
    pub(crate) fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    fn poll_frame(&mut self, cx: &mut Context<'_>) -> Poll<Option<io::Result<Frame<Bytes>>>> {
        loop {
            let data = match self.pieces.front_mut() {
                None => return Poll::Ready(None),
                Some(Piece::Bytes(bytes)) => {
                    let bytes = std::mem::take(bytes);
                    self.pieces.pop_front();
                    bytes
                }
                Some(Piece::File { reader, left }) => {
                    if self.buf.capacity() < CHUNK {
                        self.buf.reserve(CHUNK);
                    }
                    let n = match tokio_util::io::poll_read_buf(reader.as_mut(), cx, &mut self.buf)
                    {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e))),
                        Poll::Ready(Ok(n)) => n as u64,
                    };
                    if n == 0 {
                        if let Some(short) = left.filter(|&l| l > 0) {
                            return Poll::Ready(Some(Err(io::Error::new(
                                io::ErrorKind::UnexpectedEof,
                                format!("an uploaded file ended {short} bytes short of its length"),
                            ))));
                        }
                        self.pieces.pop_front();
                        continue;
                    }
                    if let Some(l) = left {
                        *l = l.checked_sub(n).ok_or_else(|| {
                            io::Error::new(
                                io::ErrorKind::InvalidData,
                                "an uploaded file is longer than its length",
                            )
                        })?;
                    }
                    self.buf.split().freeze()
                }
            };
            if data.is_empty() {
                continue;
            }
            if let Some(r) = &mut self.remaining {
                *r = r.saturating_sub(data.len() as u64);
            }
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
    }

    fn is_end_stream(&self) -> bool {
        self.pieces.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        match self.remaining {
            Some(n) => SizeHint::with_exact(n),
            None => SizeHint::default(),
        }
    }
}

/// A request body: bytes in memory (or none), or a multipart form.
pub(crate) enum OutBody {
    Full(Option<Bytes>),
    Form(Form),
}

impl http_body::Body for OutBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<io::Result<Frame<Bytes>>>> {
        match self.get_mut() {
            OutBody::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            OutBody::Form(form) => form.poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            OutBody::Full(bytes) => bytes.is_none(),
            OutBody::Form(form) => form.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            OutBody::Full(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            OutBody::Form(form) => form.size_hint(),
        }
    }
}

/// `value` as it may stand between the quotes of a header parameter: as
/// browsers write form data, a quote and line breaks are percent-escaped
/// and everything else (UTF-8 included) is kept.
fn quoted(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.contains(['"', '\r', '\n']) {
        return value.into();
    }
    value
        .replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .into()
}

/// A boundary no content is expected to contain: 128 random bits (from
/// the standard library's randomly keyed hasher) in hex.
fn boundary() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let state = std::collections::hash_map::RandomState::new();
    let word = |salt: u64| {
        let mut h = state.build_hasher();
        h.write_u64(COUNT.fetch_add(1, Ordering::Relaxed));
        h.write_u64(salt);
        h.finish()
    };
    format!("botapi-{:016x}{:016x}", word(1), word(2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    async fn collect(form: Form) -> io::Result<Vec<u8>> {
        Ok(OutBody::Form(form).collect().await?.to_bytes().to_vec())
    }

    fn file(len: Option<u64>, data: &'static [u8], from_reader: bool) -> Part {
        Part {
            name: "doc".into(),
            content: PartContent::File {
                file_name: "a \"b\"\r\n.txt".into(),
                len,
                data: if from_reader {
                    FileData::Reader(Box::pin(data))
                } else {
                    FileData::Bytes(Bytes::from_static(data))
                },
            },
        }
    }

    #[tokio::test]
    async fn writes_parts_in_order_with_an_exact_length() {
        for from_reader in [false, true] {
            let parts = vec![
                Part {
                    name: "chat_id".into(),
                    content: PartContent::Text("12".into()),
                },
                file(Some(5), b"hello", from_reader),
            ];
            let form = Form::new(parts);
            let b = form.boundary.clone();
            assert_eq!(
                form.content_type(),
                format!("multipart/form-data; boundary={b}")
            );
            let hint = form.size_hint().exact();
            let body = collect(form).await.unwrap();
            let expected = format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n12\r\n\
                 --{b}\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a %22b%22%0D%0A.txt\"\r\n\r\nhello\r\n\
                 --{b}--\r\n"
            );
            assert_eq!(String::from_utf8(body).unwrap(), expected);
            assert_eq!(hint, Some(expected.len() as u64));
        }
    }

    #[tokio::test]
    async fn a_file_of_unknown_length_leaves_the_length_open() {
        let form = Form::new(vec![file(None, b"hello", true)]);
        assert_eq!(form.size_hint().exact(), None);
        assert!(String::from_utf8(collect(form).await.unwrap())
            .unwrap()
            .contains("\r\n\r\nhello\r\n"));
    }

    #[tokio::test]
    async fn a_file_that_does_not_match_its_length_fails() {
        let short = collect(Form::new(vec![file(Some(9), b"hello", true)])).await;
        assert!(short.unwrap_err().to_string().contains("4 bytes short"));
        let long = collect(Form::new(vec![file(Some(2), b"hello", true)])).await;
        assert!(long.unwrap_err().to_string().contains("longer"));
    }

    #[test]
    fn boundaries_differ() {
        assert_ne!(boundary(), boundary());
        assert_eq!(boundary().len(), "botapi-".len() + 32);
    }
}
