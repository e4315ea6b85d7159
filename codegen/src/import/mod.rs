//! Importing an upstream machine-readable Bot API description into our
//! schema: read any supported format ([`formats`]), mine constraints
//! ([`mine`]), build our model ([`build`]), apply the curated layers
//! ([`overlay`]), merge with the existing schema keeping curated facts and
//! checking marked ones ([`merge`]), date what appeared when ([`since`]),
//! and report what changed ([`report`], [`changelog`]).

pub mod build;
pub mod changelog;
pub mod coverage;
mod differences;
pub mod enums;
pub mod formats;
pub mod merge;
pub mod mine;
pub mod overlay;
pub mod raw;
pub mod report;
pub mod rules;
pub mod since;

use std::path::Path;

pub use build::Upstream;
pub use changelog::Step;
pub use coverage::Coverage;
pub use merge::{merge, Marks, Merged};
pub use overlay::{Layer, Overlay};
pub use report::{diff, Change, ChangeReport};

use crate::schema::{version_key, Schema};

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
    /// What changed against the previous schema, with the marked facts
    /// upstream confirmed or contradicted.
    pub report: ChangeReport,
    /// One report per version newer than the previous schema (for the changelog).
    pub steps: Vec<Step>,
    /// Curated facts upstream contradicts, and curation notes.
    pub conflicts: Vec<String>,
    /// Items still lacking a summary in our words.
    pub missing_summaries: Vec<String>,
    /// Value lists and the named sets covering them, rules across fields,
    /// identifier marks.
    pub coverage: Coverage,
}

/// Import `upstream` on top of `existing`, applying the `overlay` layers that
/// follow upstream's version.
pub fn import(existing: &Schema, upstream: Upstream, overlay: Option<&Overlay>) -> Imported {
    import_with_history(existing, upstream, overlay, &[])
}

/// [`import`], also dating items by the older descriptions in `history`
/// (any order): an item's `since` is the first version that has it.
pub fn import_with_history(
    existing: &Schema,
    upstream: Upstream,
    overlay: Option<&Overlay>,
    history: &[Upstream],
) -> Imported {
    let raw_version = upstream.version.clone();
    let (snapshots, mut notes) = match overlay {
        Some(o) => overlay::apply_layers(o, upstream),
        None => (
            vec![overlay::Snapshot {
                version: upstream.version.clone(),
                upstream,
                layer: None,
            }],
            Vec::new(),
        ),
    };
    let last = snapshots
        .last()
        .map_or_else(empty_upstream, |s| s.upstream.clone());
    let listed = last.listed.clone();
    let Merged {
        mut schema,
        conflicts,
        marks,
    } = merge(existing, last, Some(&raw_version));
    notes.extend(conflicts);
    notes.extend(rules::prune(&mut schema));
    build::mark_ids(&mut schema);
    let (enum_coverage, learnt) = enums::assign(&mut schema, &listed);
    notes.extend(learnt);
    let mut dated: Vec<&Upstream> = history.iter().collect();
    dated.extend(snapshots.iter().map(|s| &s.upstream));
    since::derive(&mut schema, &dated);
    let mut steps = Vec::new();
    let mut prev = existing.clone();
    let count = snapshots.len();
    for (i, snap) in snapshots.iter().enumerate() {
        if version_key(&snap.version) <= version_key(&existing.version) {
            continue;
        }
        let at = if i + 1 == count {
            schema.clone()
        } else {
            merge(existing, snap.upstream.clone(), Some(&raw_version)).schema
        };
        let layer = snap.layer.and_then(|l| overlay.map(|o| &o.layers[l]));
        steps.push(Step {
            version: snap.version.clone(),
            release_date: snap.upstream.release_date.clone(),
            report: diff(&prev, &at),
            migrations: layer.map(|l| l.migrations.clone()).unwrap_or_default(),
            marked: count_marks(&schema, &snap.version),
        });
        prev = at;
    }
    let mut report = diff(existing, &schema);
    report.confirmed = marks.confirmed;
    report.contradicted = marks.contradicted;
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
    missing.extend(
        schema
            .enums
            .iter()
            .filter(|e| e.summary.trim().is_empty())
            .map(|e| format!("value set {}", e.name)),
    );
    let coverage = Coverage::of(&schema, enum_coverage);
    Imported {
        schema,
        report,
        steps,
        conflicts: notes,
        missing_summaries: missing,
        coverage,
    }
}

/// Marks of `version` in `schema`.
fn count_marks(schema: &Schema, version: &str) -> usize {
    crate::schema::marks::marked(schema)
        .iter()
        .filter(|m| m.provenance.version == version)
        .count()
}

fn empty_upstream() -> Upstream {
    Upstream {
        format: "none",
        version: String::new(),
        release_date: String::new(),
        methods: Vec::new(),
        types: Vec::new(),
        listed: Vec::new(),
    }
}

/// An empty schema to import into from scratch.
pub fn empty_schema() -> Schema {
    Schema {
        json_schema: Some("./api.schema.json".into()),
        doc_url: "https://core.telegram.org/bots/api".into(),
        ..Schema::default()
    }
}

/// The schema as written to `schema/api.json`: pretty JSON, 2-space indent,
/// trailing newline. The same schema always gives the same bytes.
pub fn to_json(schema: &Schema) -> String {
    let mut s = serde_json::to_string_pretty(schema).unwrap_or_default();
    s.push('\n');
    s
}
