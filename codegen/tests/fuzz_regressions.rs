//! Inputs the fuzz targets in `tests/fuzz/` found to break the generator,
//! kept as ordinary tests.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use botapi_codegen::schema::load::{load_str, Spans};

/// Run `f` on its own thread and fail if it takes more than 10 s (a hang
/// must fail the test, not stall the suite).
fn within_10s<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|_| panic!("{what} did not finish within 10 s"))
}

/// `schema_load`: a `}` where an array item should be made the position
/// index loop forever, growing without bound, instead of reporting the
/// syntax error.
#[test]
fn brace_inside_an_array_is_a_syntax_error_not_a_hang() {
    for src in [
        "[}",
        r#"{"types":[{"name":"A","fields":["x" "name": 1}]}"#,
        r#"{"methods": [ {"name": "a"} }"#,
    ] {
        let diags = within_10s("load_str", move || {
            load_str("broken.json", src).unwrap_err()
        });
        assert_eq!(diags.len(), 1, "{src}: {diags}");
        let _ = within_10s("Spans::index", move || Spans::index(src));
    }
}
