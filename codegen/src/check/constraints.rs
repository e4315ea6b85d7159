//! Checks of a field's constraints (ranges, lengths, items, allowed values,
//! upload sizes, secrets' places) and of its default against them.

use super::*;

impl Checker<'_> {
    pub(super) fn check_constraints(
        &mut self,
        path: &str,
        f: &Field,
        expr: &TypeExpr,
        siblings: &[Field],
    ) {
        let leaf = self.leaf(expr);
        let numeric = matches!(leaf, Leaf::Integer | Leaf::Float);
        let wrong = |what: &str, needs: &str| {
            (
                format!("`{what}` does not apply to type `{}`", f.ty),
                Some(format!("`{what}` needs {needs}")),
            )
        };
        if (f.min.is_some() || f.max.is_some()) && !numeric {
            let (m, h) = wrong(
                if f.min.is_some() { "min" } else { "max" },
                "an Integer or Float",
            );
            self.err(path, m, h);
        }
        if (f.min_len.is_some() || f.max_len.is_some()) && leaf != Leaf::String {
            let (m, h) = wrong(
                if f.min_len.is_some() {
                    "min_len"
                } else {
                    "max_len"
                },
                "a String",
            );
            self.err(path, m, h);
        }
        if (f.min_len.is_some() || f.max_len.is_some()) && f.len_unit.is_none() {
            self.err(
                path,
                "a length limit without `len_unit`",
                Some("say how Telegram counts it: \"len_unit\": \"chars\" or \"bytes\"".into()),
            );
        }
        if (f.min_items.is_some() || f.max_items.is_some()) && !expr.is_array() {
            let (m, h) = wrong(
                if f.min_items.is_some() {
                    "min_items"
                } else {
                    "max_items"
                },
                "an `Array of ...` type",
            );
            self.err(path, m, h);
        }
        if f.allowed.is_some() && leaf != Leaf::String {
            let (m, h) = wrong("enum", "a String");
            self.err(path, m, h);
        }
        if f.allowed.as_ref().is_some_and(|a| a.is_empty()) {
            self.err(
                &format!("{path}.enum"),
                "`enum` lists no values",
                Some("list the allowed values or drop the key".into()),
            );
        }
        if f.max_upload.is_some() && leaf != Leaf::File {
            let (m, h) = wrong("max_upload", "an InputFile");
            self.err(path, m, h);
        }
        if let Some(sib) = &f.len_parsed_with {
            if !siblings.iter().any(|s| &s.name == sib) {
                self.err(
                    &format!("{path}.len_parsed_with"),
                    format!("no sibling `{sib}` to switch the length check off"),
                    Some("name the parse_mode parameter next to this one".into()),
                );
            }
        }
        let pairs = [
            ("min", f.min, f.max),
            (
                "min_len",
                f.min_len.map(|x| x as f64),
                f.max_len.map(|x| x as f64),
            ),
            (
                "min_items",
                f.min_items.map(|x| x as f64),
                f.max_items.map(|x| x as f64),
            ),
        ];
        for (key, lo, hi) in pairs {
            if let (Some(lo), Some(hi)) = (lo, hi) {
                if lo > hi {
                    self.err(
                        &format!("{path}.{key}"),
                        format!("`{key}` ({lo}) is greater than its maximum ({hi})"),
                        Some("swap the bounds or fix the one that is wrong".into()),
                    );
                }
            }
        }
        if leaf == Leaf::Integer {
            for (key, v) in [("min", f.min), ("max", f.max)] {
                if v.is_some_and(|x| x.fract() != 0.0) {
                    self.err(
                        &format!("{path}.{key}"),
                        format!("`{key}` of an Integer must be a whole number"),
                        None,
                    );
                }
            }
        }
        if let Some(d) = &f.default {
            self.check_default(path, f, expr, leaf, d);
        }
    }

    pub(super) fn check_default(
        &mut self,
        path: &str,
        f: &Field,
        expr: &TypeExpr,
        leaf: Leaf,
        d: &serde_json::Value,
    ) {
        let dpath = format!("{path}.default");
        if f.required {
            self.err(
                &dpath,
                "a required field cannot have a default",
                Some("drop `default` or make the field optional".into()),
            );
        }
        if expr.is_array() {
            return;
        }
        let fits = match leaf {
            Leaf::Integer => d.as_i64().is_some(),
            Leaf::Float => d.as_f64().is_some(),
            Leaf::String => d.is_string(),
            Leaf::Bool => d.is_boolean(),
            _ => true,
        };
        if !fits {
            self.err(
                &dpath,
                format!("default {d} does not have type `{}`", f.ty),
                Some("write the default as a JSON value of the field's type".into()),
            );
            return;
        }
        if let Some(x) = d.as_f64() {
            if f.min.is_some_and(|m| x < m) || f.max.is_some_and(|m| x > m) {
                self.err(
                    &dpath,
                    format!("default {d} breaks its own range"),
                    Some("fix the default or the bounds".into()),
                );
            }
        }
        if let Some(s) = d.as_str() {
            let n = match f.len_unit {
                Some(LenUnit::Bytes) => s.len() as u64,
                _ => s.chars().count() as u64,
            };
            if f.min_len.is_some_and(|m| n < m) || f.max_len.is_some_and(|m| n > m) {
                self.err(
                    &dpath,
                    format!("default {d} breaks its own length limit"),
                    Some("fix the default or the bounds".into()),
                );
            }
            if let Some(allowed) = &f.allowed {
                if !allowed.iter().any(|a| a == s) {
                    self.err(
                        &dpath,
                        format!(
                            "default {d} is not among the allowed values ({})",
                            allowed.join(", ")
                        ),
                        Some("add it to `enum` or fix the default".into()),
                    );
                }
            }
        }
    }
}
