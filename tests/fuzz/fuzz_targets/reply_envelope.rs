//! Reply envelopes (`{"ok":true,"result":..}` / error replies / proxy
//! pages) for a few result types, straight through the parser and through
//! a `Client` whose transport answers with the input: never a panic, the
//! same outcome both ways, and no bot token in any error text.
//!
//! Input: byte 0 picks the HTTP status, byte 1 the token, the rest is the
//! body.
#![no_main]

use botapi::fuzz_hooks::parse_reply_for_fuzz;
use botapi::methods::GetMe;
use botapi::transport::{
    BoxFuture, Download, HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind,
};
use botapi::types::{BotFullInfo, Message, Update};
use botapi::{Client, Error};
use botapi_fuzz::now;
use libfuzzer_sys::fuzz_target;

const STATUSES: [u16; 10] = [200, 400, 401, 403, 404, 409, 429, 500, 502, 0];
const TOKENS: [&str; 4] = [
    "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
    "42:short",
    "1:AAAAAAAAAAAAAAAA",
    "7:ok\":true,\"result\"",
];

struct Canned(HttpResponse);

impl Transport for Canned {
    fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let reply = self.0.clone();
        Box::pin(async move { Ok(reply) })
    }

    fn download(&self, _: String) -> BoxFuture<'_, Result<Download, TransportError>> {
        Box::pin(async { Err(TransportError::new(TransportErrorKind::Connect, "none")) })
    }
}

fn touch(e: &Error) {
    let _ = (e.to_string(), format!("{e:?}"));
    let _ = (e.api(), e.kind(), e.retry_after(), e.migrate_to_chat_id());
    let _ = (e.is_validation(), e.is_timeout());
}

fn parse<T: serde::de::DeserializeOwned>(status: u16, body: &[u8]) -> Option<T> {
    match parse_reply_for_fuzz::<T>(status, body) {
        Ok(v) => Some(v),
        Err(e) => {
            touch(&e);
            None
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let [s, t, body @ ..] = data else {
        return;
    };
    let status = STATUSES[usize::from(*s) % STATUSES.len()];
    let token = TOKENS[usize::from(*t) % TOKENS.len()];

    let _ = parse::<bool>(status, body);
    let _ = parse::<Vec<Update>>(status, body);
    let _ = parse::<Message>(status, body);
    let direct = parse::<BotFullInfo>(status, body);

    let client = Client::builder(token)
        .transport(Canned(HttpResponse {
            status,
            body: bytes::Bytes::copy_from_slice(body),
        }))
        .build()
        .expect("client");
    match now(client.send(&GetMe::new())) {
        Ok(user) => assert_eq!(Some(user), direct, "the client and the parser disagree"),
        Err(e) => {
            touch(&e);
            assert!(
                direct.is_none(),
                "the client failed where the parser did not: {e}"
            );
            let secret = token.split_once(':').map_or("", |(_, s)| s);
            for text in [e.to_string(), format!("{e:?}")] {
                assert!(!text.contains(token), "token in an error: {text}");
                assert!(
                    secret.len() < 8 || !text.contains(secret),
                    "token secret in an error: {text}"
                );
            }
        }
    }
});
