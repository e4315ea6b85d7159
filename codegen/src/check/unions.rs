//! Checks of unions: variants, discriminators and their values, fallbacks,
//! and types that are variants of several tagged unions.

use std::collections::HashMap;

use super::*;

impl Checker<'_> {
    pub(super) fn check_union(&mut self, i: usize, t: &TypeDef) {
        let Some(u) = &t.union else { return };
        let path = format!("types[{i}].union");
        if u.variants.is_empty() {
            self.err(
                &format!("{path}.variants"),
                format!("union `{}` has no variants", t.name),
                Some("list at least one variant".into()),
            );
        }
        let mut values = HashMap::new();
        let mut names = HashMap::new();
        for (j, v) in u.variants.iter().enumerate() {
            let vpath = format!("{path}.variants[{j}]");
            let Some(expr) = self.type_expr(&format!("{vpath}.type"), &v.ty) else {
                continue;
            };
            self.check_variant_id(&vpath, v.id_of, &expr);
            if let Some(name) = &v.name {
                if !is_upper_camel(name) {
                    self.err(
                        &format!("{vpath}.name"),
                        format!("variant name `{name}` is not an UpperCamelCase identifier"),
                        Some("use ASCII letters and digits, starting with a capital".into()),
                    );
                }
                if let Some(first) = names.insert(name.clone(), j) {
                    self.err(
                        &format!("{vpath}.name"),
                        format!("duplicate variant name `{name}` (first at variants[{first}])"),
                        None,
                    );
                }
            }
            match &u.discriminator {
                Some(disc) => {
                    let target = match &expr {
                        TypeExpr::Named(n) => self.types.get(n.as_str()).copied(),
                        _ => None,
                    };
                    match target.and_then(|t| t.fields.as_ref()) {
                        None => self.err(&format!("{vpath}.type"), format!("variant `{}` of tagged union `{}` is not an object type", v.ty, t.name), Some("tagged union variants must be object types that carry the discriminator field".into())),
                        Some(fields) => {
                            if !fields.iter().any(|f| &f.name == disc) {
                                self.err(&format!("{vpath}.type"), format!("variant `{}` has no discriminator field `{disc}`", v.ty), Some(format!("add a required String field `{disc}` to `{}`", v.ty)));
                            }
                        }
                    }
                    if v.fallback && v.value.is_some() {
                        self.err(
                            &format!("{vpath}.value"),
                            "a fallback variant takes no value",
                            Some("drop \"value\" or \"fallback\"".into()),
                        );
                    }
                    if v.fallback && u.variants.iter().filter(|x| x.fallback).count() > 1 {
                        self.err(
                            &format!("{vpath}.fallback"),
                            format!("union `{}` has more than one fallback variant", t.name),
                            Some("keep one".into()),
                        );
                    }
                    match &v.value {
                        None if v.fallback => {}
                        None => self.err(
                            &vpath,
                            format!(
                                "variant `{}` of `{}` lacks its discriminator value",
                                v.ty, t.name
                            ),
                            Some(format!(
                                "add \"value\": the `{disc}` Telegram sends for this variant"
                            )),
                        ),
                        Some(val) => {
                            // Variants may share a value; they are then tried
                            // in order (the first whose fields fit wins).
                            values.entry(val.clone()).or_insert(j);
                        }
                    }
                }
                None => {
                    if v.fallback {
                        self.err(
                            &format!("{vpath}.fallback"),
                            format!("union `{}` has no discriminator, so no fallback", t.name),
                            None,
                        );
                    }
                    if v.value.is_some() {
                        self.err(
                            &format!("{vpath}.value"),
                            format!(
                                "union `{}` has no discriminator, so variants take no value",
                                t.name
                            ),
                            Some("add \"discriminator\" to the union or drop \"value\"".into()),
                        );
                    }
                }
            }
        }
    }

    /// A type that is a variant of several tagged unions must carry the same
    /// discriminator and value in each: it writes its tag itself.
    pub(super) fn check_shared_variants(&mut self) {
        let mut seen: HashMap<&str, (usize, &str, &str)> = HashMap::new();
        for (i, t) in self.loaded.schema.types.iter().enumerate() {
            let Some(u) = &t.union else { continue };
            let Some(disc) = &u.discriminator else {
                continue;
            };
            for (j, v) in u.variants.iter().enumerate() {
                let value = v.value.as_deref().unwrap_or("");
                match seen.get(v.ty.as_str()) {
                    Some(&(first, d, val)) if d != disc || val != value => {
                        self.err(
                            &format!("types[{i}].union.variants[{j}]"),
                            format!("`{}` is tagged `{d}: {val}` in types[{first}] but `{disc}: {value}` here", v.ty),
                            Some("a type can carry only one tag; give the variants distinct types".into()),
                        );
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(v.ty.as_str(), (i, disc, value));
                    }
                }
            }
        }
    }
}
