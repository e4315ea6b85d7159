//! Shared checks of the fuzz targets in `fuzz_targets/`.

use std::future::Future;
use std::task::{Context, Poll, Waker};

use botapi_codegen::import;
use botapi_codegen::schema::load::load_str;

/// Run the importer on `text` as the `import` subcommand does, from an
/// empty schema, and then once more on top of its own result (the merge of
/// an existing schema). Errors are fine; panics are not. What it writes must
/// load again as the same schema.
pub fn import_text(name: &str, text: &str) {
    let Ok(upstream) = import::parse_upstream(name, text) else {
        return;
    };
    let first = import::import(&import::empty_schema(), upstream.clone(), None);
    let json = import::to_json(&first.schema);
    let _ = first.report.to_markdown();
    let _ = first.report.to_string();
    let reloaded = load_str("imported.json", &json)
        .unwrap_or_else(|e| panic!("the importer wrote a schema that does not load: {e}\n{json}"));
    assert_eq!(
        reloaded.schema, first.schema,
        "the imported schema changes when written and loaded again"
    );
    let second = import::import(&first.schema, upstream, None);
    let _ = import::to_json(&second.schema);
    let _ = second.report.to_markdown();
}

/// Poll a future that never waits (every transport here answers at once).
pub fn now<F: Future>(fut: F) -> F::Output {
    let mut fut = std::pin::pin!(fut);
    match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("a future waited although nothing it awaits can block"),
    }
}
