//! Importing an upstream machine-readable Bot API description into our
//! schema: read either format ([`formats`]), mine constraints ([`mine`]),
//! build our model ([`build`]), apply curated patches ([`overlay`]), merge
//! with the existing schema keeping curated facts ([`merge`]), and report
//! what changed ([`report`]).

pub mod build;
pub mod formats;
pub mod merge;
pub mod mine;
pub mod overlay;
pub mod raw;
pub mod report;

use std::path::Path;

pub use build::Upstream;
pub use merge::{merge, Merged};
pub use overlay::Overlay;
pub use report::{diff, Change, ChangeReport};

use crate::schema::Schema;

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// Not JSON.
    #[error("{path} is not JSON: {source}")]
    Json {
        /// File.
        path: String,
        /// Cause.
        source: serde_json::Error,
    },
    /// JSON of an unexpected shape.
    #[error("unsupported upstream format: {0}")]
    Format(String),
}

/// Read an upstream description in either supported format.
pub fn read_upstream(path: &Path) -> Result<Upstream, ImportError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Io {
        path: shown.clone(),
        source,
    })?;
    parse_upstream(&shown, &text)
}

/// Parse upstream text (`name` is used in errors).
pub fn parse_upstream(name: &str, text: &str) -> Result<Upstream, ImportError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|source| ImportError::Json {
            path: name.to_string(),
            source,
        })?;
    let raw = formats::parse(&value)?;
    Ok(build::build(&raw))
}

/// What one import produced.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The new schema.
    pub schema: Schema,
    /// What changed against the previous schema.
    pub report: ChangeReport,
    /// Curated facts upstream contradicts, and curation notes.
    pub conflicts: Vec<String>,
    /// Items still lacking a summary in our words.
    pub missing_summaries: Vec<String>,
}

/// Import `upstream` on top of `existing`, applying `overlay` first.
pub fn import(existing: &Schema, mut upstream: Upstream, overlay: Option<&Overlay>) -> Imported {
    let mut notes = overlay
        .map(|o| overlay::apply(o, &mut upstream))
        .unwrap_or_default();
    let Merged { schema, conflicts } = merge(existing, upstream);
    notes.extend(conflicts);
    let report = diff(existing, &schema);
    let mut missing = Vec::new();
    missing.extend(
        schema
            .methods
            .iter()
            .filter(|m| m.summary.trim().is_empty())
            .map(|m| m.name.clone()),
    );
    missing.extend(
        schema
            .types
            .iter()
            .filter(|t| t.summary.trim().is_empty())
            .map(|t| t.name.clone()),
    );
    Imported {
        schema,
        report,
        conflicts: notes,
        missing_summaries: missing,
    }
}

/// An empty schema to import into from scratch.
pub fn empty_schema() -> Schema {
    Schema {
        json_schema: Some("./api.schema.json".into()),
        version: String::new(),
        release_date: String::new(),
        doc_url: "https://core.telegram.org/bots/api".into(),
        notes: Vec::new(),
        errors: Vec::new(),
        methods: Vec::new(),
        types: Vec::new(),
    }
}

/// The schema as written to `schema/api.json`: pretty JSON, 2-space indent,
/// trailing newline. The same schema always gives the same bytes.
pub fn to_json(schema: &Schema) -> String {
    let mut s = serde_json::to_string_pretty(schema).unwrap_or_default();
    s.push('\n');
    s
}
