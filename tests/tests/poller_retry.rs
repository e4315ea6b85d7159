//! The poller retries under a `RetryPolicy`, the same one calls use: its
//! base back-off, attempts and total wait are honoured against the mock Bot
//! API server, its default never gives up, the client's own policy does not
//! multiply its retries, and a policy with a budget still stops calls.
//!
//! Request times are taken by a transport that wraps the default one and
//! notes when each request leaves.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use botapi::transport::{
    BoxFuture, Download, HttpRequest, HttpResponse, HyperTransport, Transport, TransportError,
};
use botapi::{Client, Error, RetryPolicy};
use botapi_tests::{MockBotApi, Reply};
use serde_json::json;

const TOKEN: &str = "42:poller-retry-token";

/// The default transport, noting when each request was sent.
#[derive(Clone)]
struct Timed {
    inner: HyperTransport,
    sent: Arc<Mutex<Vec<(&'static str, Instant)>>>,
}

impl Timed {
    fn new() -> Timed {
        Timed {
            inner: HyperTransport::with_connect_timeout(Duration::from_secs(5)).expect("transport"),
            sent: Arc::default(),
        }
    }

    /// Time between one request and the next, in order.
    fn gaps(&self) -> Vec<Duration> {
        let sent = self.sent.lock().unwrap();
        sent.windows(2).map(|w| w[1].1 - w[0].1).collect()
    }

    fn count(&self) -> usize {
        self.sent.lock().unwrap().len()
    }
}

impl Transport for Timed {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.sent
            .lock()
            .unwrap()
            .push((request.method, Instant::now()));
        self.inner.send(request)
    }

    fn download(&self, url: String) -> BoxFuture<'_, Result<Download, TransportError>> {
        self.inner.download(url)
    }
}

fn client(server: &MockBotApi, timed: &Timed, retry: Option<RetryPolicy>) -> Client {
    let mut b = Client::builder(TOKEN)
        .base_url(server.url())
        .transport(timed.clone());
    if let Some(p) = retry {
        b = b.retry(p);
    }
    b.build().expect("client")
}

fn update(id: i64) -> serde_json::Value {
    json!({"update_id": id, "message": {"message_id": id, "date": 1, "chat": {"id": 1, "type": "private"}, "text": format!("m{id}")}})
}

fn down() -> Reply {
    Reply::raw(502, "text/html", "<html>bad gateway</html>")
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// `gap` is at least `want` (a sleep never ends early) and not far beyond.
fn assert_gap(gap: Duration, want: Duration) {
    assert!(
        gap >= want && gap < want + ms(400),
        "waited {gap:?}, the policy says {want:?}"
    );
}

#[tokio::test]
async fn the_pollers_back_off_comes_from_its_policy() {
    let server = MockBotApi::start().await;
    for _ in 0..4 {
        server.reply(down());
    }
    server.reply(Reply::ok(json!([update(1)])));
    let timed = Timed::new();
    let mut poller = client(&server, &timed, None)
        .poller()
        .timeout(0)
        .retry(RetryPolicy {
            base_backoff: ms(100),
            ..RetryPolicy::forever()
        })
        .max_backoff(ms(150));
    assert_eq!(poller.next().await.unwrap().update_id, 1);
    let gaps = timed.gaps();
    assert_eq!(gaps.len(), 4, "four failed polls, then the one that worked");
    // 100 ms, doubling, capped at 150 ms (uncapped, the last would be 800).
    for (gap, want) in gaps.into_iter().zip([100, 150, 150, 150]) {
        assert_gap(gap, ms(want));
    }
}

#[tokio::test]
async fn a_poller_stops_after_the_policys_attempts_and_starts_again() {
    let server = MockBotApi::start().await;
    for _ in 0..3 {
        server.reply(down());
    }
    server.reply(Reply::ok(json!([update(7)])));
    let timed = Timed::new();
    let mut poller = client(&server, &timed, None)
        .poller()
        .timeout(0)
        .retry(RetryPolicy {
            max_attempts: 3,
            max_total_wait: Duration::from_secs(10),
            base_backoff: ms(20),
        });
    let err = poller.next().await.unwrap_err();
    assert!(
        matches!(err, Error::Decode { status: 502, .. }),
        "the last failure is returned: {err:?}"
    );
    assert_eq!(timed.count(), 3, "three attempts in all");
    let gaps = timed.gaps();
    assert_gap(gaps[0], ms(20));
    assert_gap(gaps[1], ms(40));
    // The next call is a new run of attempts, from the same offset.
    assert_eq!(poller.next().await.unwrap().update_id, 7);
    assert_eq!(timed.count(), 4);
}

#[tokio::test]
async fn a_poller_stops_when_its_total_wait_would_pass_the_budget() {
    let server = MockBotApi::start().await;
    for _ in 0..5 {
        server.reply(down());
    }
    let timed = Timed::new();
    let mut poller = client(&server, &timed, None)
        .poller()
        .timeout(0)
        .retry(RetryPolicy {
            max_attempts: u32::MAX,
            max_total_wait: ms(100),
            base_backoff: ms(40),
        });
    poller.next().await.unwrap_err();
    // Waits of 40 and 80 ms would make 120 ms: it gives up after the second.
    assert_eq!(timed.count(), 2);
}

#[tokio::test]
async fn the_default_poller_never_gives_up() {
    let server = MockBotApi::start().await;
    // Far more failures in a row than a call's default policy allows.
    for _ in 0..12 {
        server.reply(down());
    }
    server.reply(Reply::error(
        429,
        "Too Many Requests: retry after 0",
        Some(json!({"retry_after": 0})),
    ));
    server.reply(Reply::ok(json!([update(3)])));
    let timed = Timed::new();
    let mut poller = client(&server, &timed, None)
        .poller()
        .timeout(0)
        .max_backoff(ms(5));
    assert_eq!(poller.next().await.unwrap().update_id, 3);
    assert_eq!(timed.count(), 14);
}

#[tokio::test]
async fn flood_control_is_waited_in_full_past_the_back_off_cap() {
    let server = MockBotApi::start().await;
    server.reply(Reply::error(
        429,
        "Too Many Requests: retry after 1",
        Some(json!({"retry_after": 1})),
    ));
    server.reply(Reply::ok(json!([update(4)])));
    let timed = Timed::new();
    let mut poller = client(&server, &timed, None)
        .poller()
        .timeout(0)
        .max_backoff(ms(10));
    assert_eq!(poller.next().await.unwrap().update_id, 4);
    assert_gap(timed.gaps()[0], Duration::from_secs(1));
}

#[tokio::test]
async fn the_clients_policy_does_not_multiply_the_pollers() {
    let server = MockBotApi::start().await;
    for _ in 0..10 {
        server.reply(down());
    }
    let timed = Timed::new();
    let calls = RetryPolicy {
        max_attempts: 4,
        max_total_wait: Duration::from_secs(10),
        base_backoff: ms(5),
    };
    let c = client(&server, &timed, Some(calls));
    let mut poller = c.poller().timeout(0).retry(RetryPolicy {
        max_attempts: 2,
        max_total_wait: Duration::from_secs(10),
        base_backoff: ms(5),
    });
    poller.next().await.unwrap_err();
    assert_eq!(timed.count(), 2, "the poller's two attempts, not 2 x 4");
    // Calls keep the client's policy: getMe is tried four times.
    c.get_me().await.unwrap_err();
    assert_eq!(timed.count(), 6);
}

#[tokio::test]
async fn a_policy_with_a_total_budget_still_stops_calls() {
    let server = MockBotApi::start().await;
    server.reply(down()).reply(down());
    let timed = Timed::new();
    let c = client(
        &server,
        &timed,
        Some(RetryPolicy {
            max_attempts: 10,
            max_total_wait: ms(100),
            base_backoff: ms(40),
        }),
    );
    let err = c.get_me().await.unwrap_err();
    assert!(matches!(err, Error::Decode { status: 502, .. }), "{err:?}");
    // 40 ms, then 80 ms would pass the 100 ms budget.
    assert_eq!(timed.count(), 2);
    assert_gap(timed.gaps()[0], ms(40));

    // Flood control longer than the whole budget is not waited for at all.
    server.reply(Reply::error(
        429,
        "Too Many Requests: retry after 30",
        Some(json!({"retry_after": 30})),
    ));
    let started = Instant::now();
    let err = c.get_me().await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(timed.count(), 3);
}
