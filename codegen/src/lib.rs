//! botapi-codegen: generates the `botapi` crate from `schema/api.json`.
//!
//! Pipeline: [`schema::load`] (serde model, located syntax errors) ->
//! [`check`] (all semantic errors at once) -> [`ir`] (names, Rust types) ->
//! [`emit`] (`quote!` tokens, `prettyplease`) -> [`write`] (write-if-changed
//! or `--check`). [`import`] turns upstream descriptions into our schema.

pub mod check;
pub mod diag;
pub mod emit;
pub mod import;
pub mod ir;
pub mod naming;
pub mod schema;
pub mod write;

pub use diag::{Diagnostic, Diagnostics};

use std::path::Path;

/// Anything that stops generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The schema is broken: every problem, located.
    #[error("{0}")]
    Schema(Diagnostics),
    /// A generator bug: emitted code does not parse.
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
    /// Reading or writing files failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Load, check, lower and emit a schema file.
pub fn generate(
    schema_path: &Path,
    opts: &emit::Options,
) -> Result<Vec<emit::GeneratedFile>, Error> {
    let loaded = schema::load::load_file(schema_path).map_err(Error::Schema)?;
    let checked = check::check(&loaded).map_err(Error::Schema)?;
    let api = ir::lower(&checked);
    Ok(emit::emit(&api, opts)?)
}

/// For `build.rs`: generate from `schema_path` into `out_dir` (usually
/// `OUT_DIR`) for a crate that depends on `botapi` as its runtime. Include
/// the four files as sibling modules named `types`, `methods`,
/// `client_methods` and `error_kinds`.
pub fn generate_for_build(schema_path: &Path, out_dir: &Path) -> Result<(), Error> {
    let opts = emit::Options {
        runtime_path: "::botapi".into(),
        client_methods: false,
        schema_name: schema_path
            .file_name()
            .map_or_else(|| "schema".into(), |n| n.to_string_lossy().into_owned()),
    };
    let files = generate(schema_path, &opts)?;
    write::write_files(out_dir, &files, false)?;
    Ok(())
}
