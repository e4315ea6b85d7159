//! Schema loader and checker on arbitrary text; a schema they accept must
//! lower and emit code that parses (an `EmitError` is a generator bug).
#![no_main]

use botapi_codegen::{check, emit, ir, schema::load::load_str};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = match load_str("fuzz.json", src) {
        Ok(l) => l,
        Err(diags) => {
            let _ = diags.to_string();
            return;
        }
    };
    let checked = match check::check(&loaded) {
        Ok(c) => c,
        Err(diags) => {
            let _ = diags.to_string();
            return;
        }
    };
    let api = ir::lower(&checked);
    for opts in [
        emit::Options::default(),
        emit::Options {
            runtime_path: "::botapi".into(),
            client_methods: false,
            schema_name: "fuzz.json".into(),
        },
    ] {
        if let Err(e) = emit::emit(&api, &opts) {
            panic!("a schema the checker accepts emits code that does not parse: {e}");
        }
    }
});
