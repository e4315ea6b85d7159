//! Reading a signed query string into its fields, strictly, and writing the
//! text that was signed (the data-check-string).

use super::{shown, AuthError};

/// The fields of signed data: decoded, each key once, sorted by key (byte
/// order, as the data-check-string wants them).
#[derive(Debug)]
pub(super) struct Fields(Vec<(String, String)>);

impl Fields {
    /// Reads `key=value&key=value`, percent-decoding keys and values (`+` is
    /// a space). The empty string has no fields.
    pub(super) fn parse(query: &str) -> Result<Fields, AuthError> {
        if query.is_empty() {
            return Fields::new(Vec::new());
        }
        let mut pairs = Vec::new();
        for part in query.split('&') {
            let Some((key, value)) = part.split_once('=') else {
                return Err(AuthError::Malformed(if part.is_empty() {
                    "an empty field".to_string()
                } else {
                    format!("a field without '=': {:?}", shown(part))
                }));
            };
            pairs.push((decode(key)?, decode(value)?));
        }
        Fields::new(pairs)
    }

    /// Checks decoded pairs (keys non-empty and once, no `=` in a key, no
    /// line break anywhere) and sorts them.
    pub(super) fn new(mut pairs: Vec<(String, String)>) -> Result<Fields, AuthError> {
        for (key, value) in &pairs {
            if key.is_empty() {
                return Err(AuthError::Malformed("an empty key".to_string()));
            }
            if key.contains(['=', '\n']) {
                return Err(AuthError::Malformed(format!(
                    "a key with '=' or a line break: {:?}",
                    shown(key)
                )));
            }
            if value.contains('\n') {
                return Err(AuthError::Malformed(format!(
                    "a line break in the value of {:?}",
                    shown(key)
                )));
            }
        }
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(w) = pairs.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(AuthError::DuplicateKey(shown(&w[0].0)));
        }
        Ok(Fields(pairs))
    }

    /// The value of `key`.
    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| self.0[i].1.as_str())
    }

    /// The value of `key` when present and not empty.
    pub(super) fn non_empty(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|v| !v.is_empty())
    }

    /// `key=value` for every field but those in `skip`, sorted, one per
    /// line, after `prefix`.
    pub(super) fn check_string(&self, prefix: &str, skip: &[&str]) -> String {
        let mut out = String::from(prefix);
        let mut first = true;
        for (key, value) in self.0.iter().filter(|(k, _)| !skip.contains(&k.as_str())) {
            if !first {
                out.push('\n');
            }
            first = false;
            out.push_str(key);
            out.push('=');
            out.push_str(value);
        }
        out
    }

    /// The fields, sorted by key.
    pub(super) fn into_pairs(self) -> Vec<(String, String)> {
        self.0
    }
}

/// Percent-decodes one key or value (`+` is a space); the result must be
/// UTF-8.
fn decode(raw: &str) -> Result<String, AuthError> {
    let bad = || AuthError::BadEncoding(shown(raw));
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|&b| hex_digit(b, true));
                let lo = bytes.get(i + 2).and_then(|&b| hex_digit(b, true));
                let (Some(hi), Some(lo)) = (hi, lo) else {
                    return Err(bad());
                };
                out.push(hi << 4 | lo);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| bad())
}

/// The value of a hex digit; uppercase only when `upper` allows it.
fn hex_digit(b: u8, upper: bool) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' if upper => Some(b - b'A' + 10),
        _ => None,
    }
}

/// A SHA-256 sized hash written as Telegram writes it: 64 lowercase hex
/// digits.
pub(super) fn hash_bytes(hex: &str) -> Option<[u8; 32]> {
    let hex = hex.as_bytes();
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        *o = hex_digit(pair[0], false)? << 4 | hex_digit(pair[1], false)?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        Fields::parse(q).unwrap().into_pairs()
    }

    #[test]
    fn decodes_and_sorts() {
        assert_eq!(
            pairs("b=%7B%22a%22%3A1%7D&a=x+y%20z&c="),
            [
                ("a".to_string(), "x y z".to_string()),
                ("b".to_string(), "{\"a\":1}".to_string()),
                ("c".to_string(), String::new()),
            ]
        );
        // The first '=' splits; later ones belong to the value.
        assert_eq!(pairs("a=b=c")[0].1, "b=c");
        assert_eq!(pairs("a=%C3%A9%e2%82%ac")[0].1, "é€");
        assert!(pairs("").is_empty());
        // Byte order: uppercase before lowercase, '_' between them.
        let keys: Vec<String> = pairs("b=1&_=2&B=3&a_b=4&a=5")
            .into_iter()
            .map(|p| p.0)
            .collect();
        assert_eq!(keys, ["B", "_", "a", "a_b", "b"]);
    }

    #[test]
    fn refuses_what_telegram_never_sends() {
        let cases = [
            ("a=1&&b=2", "empty field"),
            ("a=1&", "empty field"),
            ("&a=1", "empty field"),
            ("a", "without '='"),
            ("=1", "empty key"),
            ("a%3Db=1", "key with '='"),
            ("a%0A=1", "key with '='"),
            ("a=1%0Ab=2", "line break in the value"),
        ];
        for (q, why) in cases {
            match Fields::parse(q) {
                Err(AuthError::Malformed(m)) => assert!(m.contains(why), "{q}: {m}"),
                other => panic!("{q}: {other:?}"),
            }
        }
        for q in [
            "a=%", "a=%4", "a=%zz", "a=%C3", "a=%FF", "%C3%28=1", "a=%%41",
        ] {
            assert!(
                matches!(Fields::parse(q), Err(AuthError::BadEncoding(_))),
                "{q}"
            );
        }
        assert_eq!(
            Fields::parse("a=1&b=2&a=3").unwrap_err(),
            AuthError::DuplicateKey("a".into())
        );
        // Two spellings of one key are one key.
        assert!(matches!(
            Fields::parse("a=1&%61=2"),
            Err(AuthError::DuplicateKey(_))
        ));
    }

    #[test]
    fn writes_the_check_string() {
        let f = Fields::parse("hash=h&b=2&signature=s&a=1").unwrap();
        assert_eq!(f.check_string("", &["hash"]), "a=1\nb=2\nsignature=s");
        assert_eq!(
            f.check_string("7:WebAppData\n", &["hash", "signature"]),
            "7:WebAppData\na=1\nb=2"
        );
        assert_eq!(f.get("b"), Some("2"));
        assert_eq!(f.get("c"), None);
        let empty = Fields::parse("hash=").unwrap();
        assert_eq!(empty.non_empty("hash"), None);
        assert_eq!(empty.check_string("", &["hash"]), "");
    }

    #[test]
    fn reads_lowercase_hex_hashes_only() {
        let h = "00ff10".repeat(10) + "abcd";
        assert_eq!(hash_bytes(&h).unwrap()[..3], [0x00, 0xff, 0x10]);
        assert_eq!(hash_bytes(&h.to_uppercase()), None);
        assert_eq!(hash_bytes(&h[1..]), None);
        assert_eq!(hash_bytes(&(h.clone() + "0")), None);
        assert_eq!(hash_bytes(&h.replace('a', "g")), None);
        assert_eq!(hash_bytes(""), None);
    }
}
