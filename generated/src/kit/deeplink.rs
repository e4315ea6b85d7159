//! Deep links: `https://t.me/<bot>?start=...` and its kin, with the payload
//! rules checked, and packing of any bytes into an allowed payload.
//!
//! What each link does, and what the bot gets:
//!
//! | link | opens | the payload arrives |
//! |---|---|---|
//! | [`start`] | a private chat with the bot | as `/start PAYLOAD` |
//! | [`start_group`] | a group picker, to add the bot | as `/start@bot PAYLOAD` in the group |
//! | [`start_attach`] | the bot's attachment menu entry | in the Mini App's `start_param` |
//! | [`start_app`] | the bot's main Mini App | in the Mini App's `start_param` |
//! | [`start_named_app`] | a Mini App by its short name | in the Mini App's `start_param` |
//!
//! Payload rules: `A`-`Z`, `a`-`z`, `0`-`9`, `_` and `-`; up to 64
//! characters for `start` and `startgroup` (Bot API docs, "Deep linking",
//! which recommend base64url for other content). For `startattach` and
//! `startapp` the characters are the same (TDLib accepts base64url
//! characters there); the limit of 512 characters rests on one secondary
//! source (the Telegram Mini Apps community docs, "Start Parameter"), as
//! Telegram's own pages give none.
//!
//! ```
//! use botapi::kit::deeplink;
//!
//! let link = deeplink::start("my_bot", "invite-42")?;
//! assert_eq!(link, "https://t.me/my_bot?start=invite-42");
//!
//! // Anything else goes packed: base64url without padding, 48 bytes fit
//! // in a start payload.
//! let payload = deeplink::pack("ref=Zoë&x=1".as_bytes());
//! assert_eq!(payload, "cmVmPVpvw6smeD0x");
//! let link = deeplink::start("my_bot", &payload)?;
//! // ... and when `/start cmVmPVpvw6smeD0x` comes back:
//! assert_eq!(deeplink::unpack(&payload)?, "ref=Zoë&x=1".as_bytes());
//!
//! assert!(deeplink::start("my_bot", "no spaces").is_err());
//! assert!(deeplink::start("my_bot", &"x".repeat(65)).is_err());
//! # let _ = link;
//! # Ok::<(), deeplink::DeepLinkError>(())
//! ```

/// Longest `start` and `startgroup` payload.
pub const START_MAX: usize = 64;

/// Longest `startattach` and `startapp` payload (one secondary source; see
/// the module docs).
pub const APP_MAX: usize = 512;

/// A link or payload that breaks Telegram's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeepLinkError {
    /// Not a username: 1 to 32 characters of `A`-`Z`, `a`-`z`, `0`-`9` and
    /// `_`, starting with a letter, without `__` or a final `_`.
    Username(String),
    /// Not a Mini App short name: a username of at least 3 characters.
    AppName(String),
    /// A `start` payload is empty.
    Empty,
    /// A payload is too long.
    TooLong {
        /// `start`, `startgroup`, `startattach` or `startapp`.
        param: &'static str,
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A payload holds a character outside `A-Z a-z 0-9 _ -`.
    Character {
        /// `start`, `startgroup`, `startattach` or `startapp`.
        param: &'static str,
        /// The first character not allowed.
        found: char,
    },
    /// Not a payload [`pack`] wrote.
    Unpack(&'static str),
}

impl std::fmt::Display for DeepLinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Username(value) => write!(f, "{value:?} is not a username (1 to 32 of A-Z, a-z, 0-9 and _, starting with a letter, no `__`, no final `_`)"),
            Self::AppName(value) => write!(f, "{value:?} is not a Mini App short name (3 to 32 of A-Z, a-z, 0-9 and _, starting with a letter)"),
            Self::Empty => write!(f, "a start payload cannot be empty"),
            Self::TooLong { param, len, max } => write!(f, "a {param} payload is at most {max} characters, got {len}"),
            Self::Character { param, found } => write!(f, "a {param} payload is made of A-Z, a-z, 0-9, _ and -, got {found:?} (pack other content)"),
            Self::Unpack(value) => write!(f, "not a packed payload: {value}"),
        }
    }
}

impl std::error::Error for DeepLinkError {}

/// Username rules as TDLib checks them (`is_valid_username`).
fn check_username(name: &str) -> Result<&str, DeepLinkError> {
    let name = name.trim_start_matches('@');
    let b = name.as_bytes();
    let ok = (1..=32).contains(&b.len())
        && b[0].is_ascii_alphabetic()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
        && b.last() != Some(&b'_')
        && !name.contains("__");
    if ok {
        Ok(name)
    } else {
        Err(DeepLinkError::Username(name.to_string()))
    }
}

fn check_payload(param: &'static str, payload: &str, max: usize) -> Result<(), DeepLinkError> {
    if let Some(found) = payload
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Err(DeepLinkError::Character { param, found });
    }
    if payload.len() > max {
        return Err(DeepLinkError::TooLong {
            param,
            len: payload.len(),
            max,
        });
    }
    Ok(())
}

fn link(path: &str, param: &str, payload: &str) -> String {
    if payload.is_empty() {
        format!("https://t.me/{path}?{param}")
    } else {
        format!("https://t.me/{path}?{param}={payload}")
    }
}

/// A link that opens a private chat with `bot`; pressing Start sends the
/// bot `/start PAYLOAD`. `payload`: 1 to 64 characters of `A-Z a-z 0-9 _ -`.
pub fn start(bot: &str, payload: &str) -> Result<String, DeepLinkError> {
    let bot = check_username(bot)?;
    if payload.is_empty() {
        return Err(DeepLinkError::Empty);
    }
    check_payload("start", payload, START_MAX)?;
    Ok(link(bot, "start", payload))
}

/// A link that lets the user add `bot` to a group; the bot then gets
/// `/start@bot PAYLOAD` there. `payload`: up to 64 characters of
/// `A-Z a-z 0-9 _ -`, or empty for none.
pub fn start_group(bot: &str, payload: &str) -> Result<String, DeepLinkError> {
    let bot = check_username(bot)?;
    check_payload("startgroup", payload, START_MAX)?;
    Ok(link(bot, "startgroup", payload))
}

/// A link that opens `bot`'s attachment menu entry (its Mini App gets the
/// payload as `start_param`). `payload`: up to 512 characters of
/// `A-Z a-z 0-9 _ -`, or empty for none.
pub fn start_attach(bot: &str, payload: &str) -> Result<String, DeepLinkError> {
    let bot = check_username(bot)?;
    check_payload("startattach", payload, APP_MAX)?;
    Ok(link(bot, "startattach", payload))
}

/// A link that opens `bot`'s main Mini App (set up with BotFather), which
/// gets the payload as `start_param`. `payload`: up to 512 characters of
/// `A-Z a-z 0-9 _ -`, or empty for none.
pub fn start_app(bot: &str, payload: &str) -> Result<String, DeepLinkError> {
    let bot = check_username(bot)?;
    check_payload("startapp", payload, APP_MAX)?;
    Ok(link(bot, "startapp", payload))
}

/// A link that opens `bot`'s Mini App named `app` (its short name from
/// BotFather, `t.me/bot/app`), which gets the payload as `start_param`.
pub fn start_named_app(bot: &str, app: &str, payload: &str) -> Result<String, DeepLinkError> {
    let bot = check_username(bot)?;
    if app.len() < 3 || check_username(app).is_err() {
        return Err(DeepLinkError::AppName(app.to_string()));
    }
    check_payload("startapp", payload, APP_MAX)?;
    Ok(link(&format!("{bot}/{app}"), "startapp", payload))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `bytes` as an allowed payload: base64url without padding (4 characters
/// for every 3 bytes, so up to 48 bytes fit in a `start` payload).
pub fn pack(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// The bytes of a payload [`pack`] wrote. Padding (`=`) is not expected;
/// any character outside base64url, a length that no byte count gives, or
/// stray bits in the last character is an error.
pub fn unpack(payload: &str) -> Result<Vec<u8>, DeepLinkError> {
    let digits: Vec<u32> = payload
        .bytes()
        .map(|c| {
            ALPHABET
                .iter()
                .position(|&a| a == c)
                .map(|p| p as u32)
                .ok_or(DeepLinkError::Unpack("a character outside base64url"))
        })
        .collect::<Result<_, _>>()?;
    if digits.len() % 4 == 1 {
        return Err(DeepLinkError::Unpack("a length no byte count gives"));
    }
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &d)| n | d << (18 - 6 * i));
        let bytes = chunk.len() - 1;
        if n & ((1 << (24 - 8 * bytes)) - 1) != 0 {
            return Err(DeepLinkError::Unpack("stray bits in the last character"));
        }
        out.extend((0..bytes).map(|i| (n >> (16 - 8 * i)) as u8));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn links_for_each_parameter() {
        assert_eq!(
            start("@My_bot", "a-b_C9").unwrap(),
            "https://t.me/My_bot?start=a-b_C9"
        );
        assert_eq!(
            start_group("my_bot", "").unwrap(),
            "https://t.me/my_bot?startgroup"
        );
        assert_eq!(
            start_group("my_bot", "g1").unwrap(),
            "https://t.me/my_bot?startgroup=g1"
        );
        assert_eq!(
            start_attach("my_bot", "").unwrap(),
            "https://t.me/my_bot?startattach"
        );
        assert_eq!(
            start_app("my_bot", "x").unwrap(),
            "https://t.me/my_bot?startapp=x"
        );
        assert_eq!(
            start_named_app("my_bot", "shop", "item-7").unwrap(),
            "https://t.me/my_bot/shop?startapp=item-7"
        );
    }

    #[test]
    fn rules_are_checked() {
        assert_eq!(start("b0t", ""), Err(DeepLinkError::Empty));
        assert!(start("b0t", &"x".repeat(64)).is_ok());
        assert_eq!(
            start("b0t", &"x".repeat(65)),
            Err(DeepLinkError::TooLong {
                param: "start",
                len: 65,
                max: 64
            })
        );
        assert_eq!(
            start_group("b0t", "a.b"),
            Err(DeepLinkError::Character {
                param: "startgroup",
                found: '.'
            })
        );
        assert!(start_app("b0t", &"x".repeat(512)).is_ok());
        assert!(start_attach("b0t", &"x".repeat(513)).is_err());
        assert!(start("b0t", "é").is_err());
        for bad in ["", "1bot", "bot_", "my__bot", "my-bot", &"b".repeat(33)] {
            assert_eq!(
                start(bad, "x"),
                Err(DeepLinkError::Username(bad.to_string())),
                "{bad}"
            );
        }
        assert_eq!(
            start_named_app("b0t", "ab", "x"),
            Err(DeepLinkError::AppName("ab".into()))
        );
    }

    #[test]
    fn packing_is_base64url_without_padding() {
        // RFC 4648's test vectors, padding dropped, in the URL-safe alphabet.
        for (raw, packed) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(pack(raw.as_bytes()), packed);
            assert_eq!(unpack(packed).unwrap(), raw.as_bytes());
        }
        assert_eq!(pack(&[0xfb, 0xff, 0xbf]), "-_-_");
        assert!(unpack("Zm9v=").is_err());
        assert!(unpack("Zm9vY").is_err());
        assert!(unpack("Zh").is_err(), "stray bits");
        assert!(start("b0t", &pack(&[0xff; 48])).is_ok());
        assert!(start("b0t", &pack(&[0xff; 49])).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        /// Any bytes pack into an allowed payload and unpack to themselves.
        #[test]
        fn any_bytes_round_trip(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let p = pack(&bytes);
            prop_assert!(check_payload("startapp", &p, APP_MAX).is_ok());
            prop_assert_eq!(p.len(), (bytes.len() * 4).div_ceil(3));
            prop_assert_eq!(unpack(&p).unwrap(), bytes);
        }
    }
}
