//! A real Redis on loopback for the tests that need one.
//!
//! `.ci/run` starts `redis-server` and sets `BOTAPI_TEST_REDIS`; tests then
//! share that server, each under keys of its own ([`TestRedis::namespace`]).
//! Without the variable, a test starts a private `redis-server` on a free
//! loopback port if the binary is installed (stopped when the returned
//! value is dropped), and otherwise prints `skipped: ...` and is skipped,
//! except under CI (`CI` set), where a missing Redis fails the test.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The environment variable naming the Redis server the tests use.
pub const REDIS_VAR: &str = "BOTAPI_TEST_REDIS";

/// A Redis server for one test.
#[derive(Debug)]
pub struct TestRedis {
    url: String,
    namespace: String,
    own: Option<Child>,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

impl TestRedis {
    /// The server the tests should use, or `None` (after printing why)
    /// when there is none outside CI. `test` names the keys' namespace.
    pub fn get(test: &str) -> Option<TestRedis> {
        let namespace = format!(
            "test-{}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            test
        );
        if let Ok(url) = std::env::var(REDIS_VAR) {
            assert!(
                ping(&url),
                "{REDIS_VAR}={url} does not answer PING; is redis-server running?"
            );
            return Some(TestRedis {
                url,
                namespace,
                own: None,
            });
        }
        let in_ci = std::env::var_os("CI").is_some();
        match start_private() {
            Some((url, child)) => Some(TestRedis {
                url,
                namespace,
                own: Some(child),
            }),
            None if in_ci => panic!(
                "{REDIS_VAR} is not set and no redis-server could be started: \
                 CI must provide Redis (.ci/run installs and starts it)"
            ),
            None => {
                println!("skipped: {test} needs Redis ({REDIS_VAR} unset, no redis-server)");
                None
            }
        }
    }

    /// `redis://127.0.0.1:PORT`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A prefix no other test uses.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }
}

impl Drop for TestRedis {
    fn drop(&mut self) {
        if let Some(child) = &mut self.own {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Start `redis-server` on a free loopback port, without persistence.
fn start_private() -> Option<(String, Child)> {
    let port = TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let url = format!("redis://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if ping(&url) {
            return Some((url, child));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut child = child;
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// Whether a Redis server answers `PING` at `url` (`redis://host:port`).
pub fn ping(url: &str) -> bool {
    use std::io::{Read, Write};
    let Some(addr) = url
        .strip_prefix("redis://")
        .map(|rest| rest.split('/').next().unwrap_or(rest))
        .map(|rest| rest.rsplit('@').next().unwrap_or(rest))
    else {
        return false;
    };
    let Ok(mut stream) = std::net::TcpStream::connect(addr) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut reply = [0u8; 7];
    stream.write_all(b"PING\r\n").is_ok()
        && stream.read_exact(&mut reply).is_ok()
        && &reply == b"+PONG\r\n"
}

/// A URL where nothing listens (a port just given up on 127.0.0.1).
pub fn unreachable_url() -> String {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(9);
    format!("redis://127.0.0.1:{port}")
}
