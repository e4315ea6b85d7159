//! A blocking face of the client (cargo feature `blocking`), for scripts and
//! programs without an async runtime: it owns a small single-threaded tokio
//! runtime and waits for each call on it.

use std::future::IntoFuture;
use std::ops::Deref;

use crate::error::Error;
use crate::receive::polling::Poller;
use crate::send::client::Client;
use crate::send::request::Request;
use crate::types::Update;

/// A [`Client`] whose calls block the current thread.
///
/// Calls are built as usual through `Deref` to the async client and handed
/// to [`BlockingClient::wait`]:
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let bot = botapi::blocking::BlockingClient::new(botapi::Client::from_env()?)?;
/// let me = bot.wait(bot.get_me())?;
/// bot.wait(bot.send_message(42, format!("I am {}", me.first_name)))?;
/// # Ok(()) }
/// ```
///
/// Do not use it from inside an async runtime (tokio forbids blocking a
/// runtime thread on another runtime); use [`Client`] there.
#[derive(Debug)]
pub struct BlockingClient {
    client: Client,
    runtime: tokio::runtime::Runtime,
}

impl BlockingClient {
    /// Wrap `client`, starting the runtime the calls run on.
    pub fn new(client: Client) -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Config(format!("cannot start a runtime: {e}")))?;
        Ok(BlockingClient { client, runtime })
    }

    /// Run a call (or any future) to completion on this client's runtime.
    pub fn wait<F: IntoFuture>(&self, call: F) -> F::Output {
        self.runtime.block_on(call.into_future())
    }

    /// Send a request and wait for its result.
    pub fn send<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.runtime.block_on(self.client.send(request))
    }

    /// Long-poll updates as an iterator; see [`Poller`] for the settings.
    pub fn updates(&self, poller: Poller) -> Updates<'_> {
        Updates {
            runtime: &self.runtime,
            poller,
            failed: false,
        }
    }
}

impl Deref for BlockingClient {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

/// Updates from long polling, one per `next()`; ends after the first error
/// that needs the caller (which it yields).
#[derive(Debug)]
pub struct Updates<'a> {
    runtime: &'a tokio::runtime::Runtime,
    poller: Poller,
    failed: bool,
}

impl Updates<'_> {
    /// The offset that confirms every update handed out so far.
    pub fn next_offset(&self) -> Option<i64> {
        self.poller.next_offset()
    }
}

impl Iterator for Updates<'_> {
    type Item = Result<Update, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let item = self.runtime.block_on(self.poller.next());
        self.failed = item.is_err();
        Some(item)
    }
}
