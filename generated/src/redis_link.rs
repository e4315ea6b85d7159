//! One connection to Redis (cargo feature `redis`), shared by the throttle's
//! limiter and the update queue: opened on first use with time limits on
//! connecting and on every answer, dropped after a failure and opened again
//! on the next use. Its descriptions never show the password of the URL.

use std::fmt;
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, RedisError};

/// A Redis server, and the connection to it once there is one.
pub(crate) struct Link {
    client: redis::Client,
    config: AsyncConnectionConfig,
    /// `host:port` (or the socket path), for messages.
    place: String,
    conn: tokio::sync::Mutex<Option<MultiplexedConnection>>,
}

impl fmt::Debug for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Link").field("redis", &self.place).finish()
    }
}

impl Link {
    /// Check `url` (`redis://[user:password@]host:port[/db]`) and remember
    /// how to connect; nothing is connected yet. The error never repeats
    /// the URL, which may hold a password.
    pub(crate) fn open(url: &str, timeout: Duration) -> Result<Link, String> {
        let client = redis::Client::open(url)
            .map_err(|e| format!("not a usable Redis URL ({})", e.kind_text()))?;
        let place = match client.get_connection_info().addr() {
            redis::ConnectionAddr::Tcp(host, port) => format!("{host}:{port}"),
            redis::ConnectionAddr::TcpTls { host, port, .. } => format!("{host}:{port}"),
            other => other.to_string(),
        };
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout));
        Ok(Link {
            client,
            config,
            place,
            conn: tokio::sync::Mutex::new(None),
        })
    }

    /// Where the server is, without credentials.
    pub(crate) fn place(&self) -> &str {
        &self.place
    }

    /// The open connection, or a new one.
    pub(crate) async fn conn(&self) -> Result<MultiplexedConnection, RedisError> {
        let mut slot = self.conn.lock().await;
        if let Some(conn) = &*slot {
            return Ok(conn.clone());
        }
        let conn = self
            .client
            .get_multiplexed_async_connection_with_config(&self.config)
            .await?;
        *slot = Some(conn.clone());
        Ok(conn)
    }

    /// Forget the connection after a failure; the next use opens another.
    pub(crate) async fn broken(&self) {
        *self.conn.lock().await = None;
    }

    /// After `err`: forget the connection if it is lost (the next use opens
    /// another), and describe the failure.
    pub(crate) async fn failed(&self, err: &RedisError) -> String {
        if err.is_io_error()
            || err.is_timeout()
            || err.is_connection_dropped()
            || err.is_connection_refusal()
        {
            self.broken().await;
        }
        self.describe(err)
    }

    /// A failure as text: what kind, where; never the URL.
    pub(crate) fn describe(&self, err: &RedisError) -> String {
        format!("Redis at {}: {}", self.place, err.kind_text())
    }
}

/// The text of an error without anything that could hold the URL.
trait KindText {
    fn kind_text(&self) -> String;
}

impl KindText for RedisError {
    fn kind_text(&self) -> String {
        let mut text = format!("{:?}", self.kind());
        if self.is_timeout() {
            text.push_str(" (timed out)");
        } else if self.is_connection_refusal() {
            text.push_str(" (connection refused)");
        } else if let Some(detail) = self.detail() {
            text.push_str(": ");
            text.push_str(detail);
        }
        text
    }
}
