//! Generates bindings for the `mini` fixture schema into `OUT_DIR/mini`
//! with the codegen library, as a downstream crate's build script would.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let schema = manifest.join("../../codegen/tests/fixtures/mini/api.json");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("mini");
    println!("cargo::rerun-if-changed={}", schema.display());
    if let Err(e) = botapi_codegen::generate_for_build(&schema, &out) {
        // Cargo shows this output; exit non-zero so the build stops with it.
        eprintln!("{e}");
        std::process::exit(1);
    }
}
