//! Checks of the version facts: `history`, `compat_floor`, every `since`,
//! renames, previous return types (an older server's reply must still
//! decode as today's type) and provenance marks.

use std::collections::HashMap;

use super::{is_upper_camel, Checker};
use crate::schema::compat::may_be_absent;
use crate::schema::{is_version, Basis, Field, Provenance, TypeExpr};

impl Checker<'_> {
    fn version(&mut self, path: &str, v: &str) {
        if !is_version(v) {
            self.err(
                path,
                format!("`{v}` is not a Bot API version"),
                Some("write numbers separated by dots, e.g. \"10.4\"".into()),
            );
        }
    }

    fn since(&mut self, path: &str, since: Option<&str>) {
        if let Some(v) = since {
            self.version(&format!("{path}.since"), v);
        }
    }

    fn provenance(&mut self, path: &str, p: Option<&Provenance>) {
        let Some(p) = p else { return };
        let path = format!("{path}.provenance");
        self.version(&format!("{path}.version"), &p.version);
        if p.basis == Basis::Official && p.unverified.is_empty() {
            self.err(
                &path,
                "an `official` mark says nothing is uncertain",
                Some("list what no source showed in `unverified`, or drop the mark".into()),
            );
        }
        for (i, s) in p.sources.iter().enumerate() {
            self.plain_line(&format!("{path}.sources[{i}]"), "source", s);
            if s.trim().is_empty() {
                self.err(&format!("{path}.sources[{i}]"), "empty source", None);
            }
        }
        if let Some(n) = &p.note {
            self.plain_line(&format!("{path}.note"), "note", n);
        }
    }

    fn fields_versions(&mut self, path: &str, key: &str, fields: &[Field]) {
        for (j, f) in fields.iter().enumerate() {
            let fpath = format!("{path}.{key}[{j}]");
            self.since(&fpath, f.since.as_deref());
            self.provenance(&fpath, f.provenance.as_ref());
        }
    }

    pub(super) fn check_versions(&mut self) {
        let schema = &self.loaded.schema;
        for (i, v) in schema.history.iter().enumerate() {
            self.version(&format!("history[{i}]"), v);
        }
        if let Some(f) = &schema.compat_floor {
            self.version("compat_floor", f);
        }
        let mut old_names: HashMap<&str, usize> = HashMap::new();
        for (i, t) in schema.types.iter().enumerate() {
            let path = format!("types[{i}]");
            self.since(&path, t.since.as_deref());
            self.provenance(&path, t.provenance.as_ref());
            if let Some(fields) = &t.fields {
                self.fields_versions(&path, "fields", fields);
            }
            for (j, v) in t.union.iter().flat_map(|u| u.variants.iter()).enumerate() {
                self.provenance(
                    &format!("{path}.union.variants[{j}]"),
                    v.provenance.as_ref(),
                );
            }
            for (j, r) in t.renamed_from.iter().enumerate() {
                let rpath = format!("{path}.renamed_from[{j}]");
                self.version(&format!("{rpath}.version"), &r.version);
                if !is_upper_camel(&r.name) {
                    self.err(
                        &format!("{rpath}.name"),
                        format!("old name `{}` is not an UpperCamelCase identifier", r.name),
                        None,
                    );
                }
                if self.types.contains_key(r.name.as_str()) {
                    self.err(
                        &format!("{rpath}.name"),
                        format!(
                            "`{}` names a type of the schema; it cannot be an old name too",
                            r.name
                        ),
                        Some("remove the rename or the type".into()),
                    );
                }
                if let Some(first) = old_names.insert(r.name.as_str(), i) {
                    self.err(
                        &format!("{rpath}.name"),
                        format!("`{}` is already the old name of types[{first}]", r.name),
                        None,
                    );
                }
            }
        }
        for (i, m) in schema.methods.iter().enumerate() {
            let path = format!("methods[{i}]");
            self.since(&path, m.since.as_deref());
            self.provenance(&path, m.provenance.as_ref());
            self.fields_versions(&path, "params", &m.params);
            for (j, r) in m.previous_returns.iter().enumerate() {
                let rpath = format!("{path}.previous_returns[{j}]");
                self.version(&format!("{rpath}.until"), &r.until);
                if let Some(expr) = self.type_expr(&format!("{rpath}.type"), &r.ty) {
                    self.named_or(&format!("{rpath}.type"), &expr);
                    self.older_reply_decodes(&rpath, &m.name, &m.returns, &r.ty, &r.until);
                }
            }
        }
    }

    /// A server at `until` or before answers `method` with `old`; that reply
    /// must decode as `new`: every field `new` requires (unless a reply may
    /// leave it out) is in `old` with the same type.
    fn older_reply_decodes(&mut self, path: &str, method: &str, new: &str, old: &str, until: &str) {
        let (Ok(TypeExpr::Named(n)), Ok(TypeExpr::Named(o))) =
            (TypeExpr::parse(new), TypeExpr::parse(old))
        else {
            if new != old {
                self.err(
                    path,
                    format!("`{method}` returned `{old}` until {until}; only an object type can be checked against today's `{new}`"),
                    Some("keep previous return types to object types".into()),
                );
            }
            return;
        };
        let (Some(nt), Some(ot)) = (self.types.get(n.as_str()), self.types.get(o.as_str())) else {
            return;
        };
        let (Some(nf), Some(of)) = (&nt.fields, &ot.fields) else {
            self.err(
                path,
                format!("`{method}`: `{o}` and `{n}` must both be object types to compare their replies"),
                None,
            );
            return;
        };
        let schema = &self.loaded.schema;
        let missing: Vec<String> = nf
            .iter()
            .filter(|f| f.required && !may_be_absent(schema, nt, f))
            .filter(|f| {
                !of.iter().any(|x| {
                    x.name == f.name
                        && x.required
                        && x.ty.replace("True", "Boolean") == f.ty.replace("True", "Boolean")
                })
            })
            .map(|f| format!("`{}`", f.name))
            .collect();
        if !missing.is_empty() {
            self.err(
                path,
                format!(
                    "a reply of `{method}` from a server at Bot API {until} or older (a `{o}`) would not decode as `{n}`: it may lack {}",
                    missing.join(", ")
                ),
                Some(format!("make those fields of `{n}` optional, or date them with a `since` after the compatibility floor")),
            );
        }
    }
}
