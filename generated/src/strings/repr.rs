//! How a [`Str`](super::Str) holds its text: up to 23 bytes in place, longer
//! text in a shared heap block. Short text is put together in three words
//! from fixed-size reads of the source, so building one writes whole words
//! and never reads back bytes it has just copied (copying into a buffer and
//! reading it back stalled on store forwarding, bench/RESULTS.md).

use std::sync::Arc;

/// Up to this many bytes are kept in place.
pub(super) const INLINE_CAP: usize = 23;

/// The length of text kept in place: 0 to 23. Its other byte values are
/// free, so `Repr` and `Option<Str>` need no room for a tag.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
#[rustfmt::skip]
#[allow(dead_code)] // made from a byte in `Inline::new`, never by name but `L0`
enum InlineLen {
    L0, L1, L2, L3, L4, L5, L6, L7, L8, L9, L10, L11, L12, L13, L14, L15,
    L16, L17, L18, L19, L20, L21, L22, L23,
}

/// Text kept in place: the bytes, zero after the text, then the length.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
pub(super) struct Inline {
    bytes: [u8; INLINE_CAP],
    len: InlineLen,
}

#[derive(Clone)]
pub(super) enum Repr {
    Inline(Inline),
    Heap(Arc<str>),
}

/// Up to 8 bytes of `b` (at most 8 long) as a little-endian word, zero
/// above them, from at most two reads of fixed size.
#[inline(always)]
fn word(b: &[u8]) -> u64 {
    let n = b.len();
    if n >= 4 {
        // Two reads of 4 that overlap when n < 8: the shared bytes agree.
        let lo = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64;
        let hi = u32::from_le_bytes([b[n - 4], b[n - 3], b[n - 2], b[n - 1]]) as u64;
        lo | (hi << ((n - 4) * 8))
    } else if n >= 2 {
        let lo = u16::from_le_bytes([b[0], b[1]]) as u64;
        let hi = u16::from_le_bytes([b[n - 2], b[n - 1]]) as u64;
        lo | (hi << ((n - 2) * 8))
    } else if n == 1 {
        b[0] as u64
    } else {
        0
    }
}

impl Inline {
    /// `text` in place, if it fits.
    #[inline]
    pub(super) fn new(text: &str) -> Option<Inline> {
        let b = text.as_bytes();
        let n = b.len();
        if n > INLINE_CAP {
            return None;
        }
        let (w0, w1, w2) = if n > 16 {
            (word(&b[..8]), word(&b[8..16]), word(&b[16..]))
        } else if n > 8 {
            (word(&b[..8]), word(&b[8..]), 0)
        } else {
            (word(b), 0, 0)
        };
        // The length goes in the last byte (byte 23), above the text.
        let w2 = w2 | ((n as u64) << 56);
        let mut all = [0u8; 24];
        all[..8].copy_from_slice(&w0.to_le_bytes());
        all[8..16].copy_from_slice(&w1.to_le_bytes());
        all[16..].copy_from_slice(&w2.to_le_bytes());
        // SAFETY: `Inline` is 24 bytes (`repr(C)`: 23 bytes, then the
        // length) and every byte pattern of the first 23 is valid; byte 23
        // is `n`, at most 23, a valid `InlineLen`.
        Some(unsafe { std::mem::transmute::<[u8; 24], Inline>(all) })
    }

    #[inline(always)]
    fn as_str(&self) -> &str {
        let len = self.len as usize;
        // SAFETY: `len` <= 23 (an `InlineLen`), and `bytes[..len]` was
        // copied from a `&str` (`new`), so it is valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(self.bytes.get_unchecked(..len)) }
    }
}

impl Repr {
    #[inline]
    pub(super) fn new(text: &str) -> Repr {
        match Inline::new(text) {
            Some(i) => Repr::Inline(i),
            None => Repr::Heap(Arc::from(text)),
        }
    }

    /// The empty text.
    #[inline]
    pub(super) const fn empty() -> Repr {
        Repr::Inline(Inline {
            bytes: [0; INLINE_CAP],
            len: InlineLen::L0,
        })
    }

    #[inline(always)]
    pub(super) fn as_str(&self) -> &str {
        match self {
            Repr::Inline(i) => i.as_str(),
            Repr::Heap(h) => h,
        }
    }

    #[inline]
    pub(super) fn is_heap(&self) -> bool {
        matches!(self, Repr::Heap(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_length_and_byte_position_reads_back() {
        assert_eq!(std::mem::size_of::<Repr>(), 24);
        assert_eq!(std::mem::size_of::<Option<Repr>>(), 24);
        let source: Vec<u8> = (0..40u8).map(|i| b'a' + (i % 26)).collect();
        for n in 0..=30 {
            let text = std::str::from_utf8(&source[..n]).unwrap();
            let r = Repr::new(text);
            assert_eq!(r.as_str(), text, "length {n}");
            assert_eq!(r.is_heap(), n > INLINE_CAP, "length {n}");
        }
        // Multi-byte text, cut only at character boundaries.
        let text = "€ß😀x€ß😀";
        for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
            assert_eq!(Repr::new(&text[..i]).as_str(), &text[..i]);
        }
        assert_eq!(Repr::empty().as_str(), "");
    }
}
