//! When each method, parameter, type and field first appeared, as far as the
//! descriptions the importer has read can tell: the first of them (oldest
//! first) that has it gives its `since`. Older files read with
//! `import --history` extend the view back; a version never read leaves a
//! gap, which is why the schema also lists the versions read (`history`).

use super::build::Upstream;
use crate::schema::{version_key, Schema, TypeDef};

/// Names present in one version.
struct Present<'a> {
    version: &'a str,
    up: &'a Upstream,
}

impl Present<'_> {
    fn method(&self, name: &str) -> bool {
        self.up.methods.iter().any(|m| m.name == name)
    }

    fn param(&self, method: &str, name: &str) -> bool {
        self.up
            .methods
            .iter()
            .find(|m| m.name == method)
            .is_some_and(|m| m.params.iter().any(|p| p.name == name))
    }

    /// The type under its name or any earlier one.
    fn type_def(&self, t: &TypeDef) -> Option<&TypeDef> {
        std::iter::once(t.name.as_str())
            .chain(t.renamed_from.iter().map(|r| r.name.as_str()))
            .find_map(|n| self.up.types.iter().find(|u| u.name == n && !u.synthetic))
    }

    fn field(&self, t: &TypeDef, name: &str) -> bool {
        self.type_def(t)
            .and_then(|u| u.fields.as_ref())
            .is_some_and(|fs| fs.iter().any(|f| f.name == name))
    }
}

/// Keep the earlier of two versions.
fn earliest(current: &mut Option<String>, seen: Option<&str>) {
    if let Some(v) = seen {
        if current
            .as_deref()
            .is_none_or(|c| version_key(v) < version_key(c))
        {
            *current = Some(v.to_string());
        }
    }
}

/// Fill in `since` for everything `versions` can date (keeping an earlier
/// date the schema already has) and add their versions to `history`.
/// Synthetic unions are not dated: they name a use, not an API type.
pub fn derive(schema: &mut Schema, versions: &[&Upstream]) {
    let mut sorted: Vec<&Upstream> = versions.to_vec();
    sorted.sort_by_key(|u| version_key(&u.version));
    let present: Vec<Present> = sorted
        .iter()
        .map(|u| Present {
            version: u.version.as_str(),
            up: u,
        })
        .collect();
    let first = |f: &dyn Fn(&Present) -> bool| present.iter().find(|p| f(p)).map(|p| p.version);
    for m in &mut schema.methods {
        let name = m.name.clone();
        earliest(&mut m.since, first(&|p| p.method(&name)));
        for prm in &mut m.params {
            earliest(&mut prm.since, first(&|p| p.param(&name, &prm.name)));
        }
    }
    for t in schema.types.iter_mut().filter(|t| !t.synthetic) {
        let probe = TypeDef {
            name: t.name.clone(),
            renamed_from: t.renamed_from.clone(),
            ..TypeDef::default()
        };
        earliest(&mut t.since, first(&|p| p.type_def(&probe).is_some()));
        for f in t.fields.iter_mut().flatten() {
            earliest(&mut f.since, first(&|p| p.field(&probe, &f.name)));
        }
    }
    for u in &sorted {
        if !schema.history.contains(&u.version) {
            schema.history.push(u.version.clone());
        }
    }
    schema.history.sort_by_key(|v| version_key(v));
}
