//! Checks of the named value sets (`enums`), the fields that use them
//! (`enum_type`), identifier marks (`id_of`) and rules across fields.

use std::collections::HashMap;

use super::*;
use crate::schema::{IdKind, Rule, TypeDef};

impl Checker<'_> {
    pub(super) fn check_enums(&mut self) {
        let schema = &self.loaded.schema;
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, e) in schema.enums.iter().enumerate() {
            let path = format!("enums[{i}]");
            if let Some(first) = seen.insert(e.name.as_str(), i) {
                self.err(
                    &format!("{path}.name"),
                    format!("duplicate value set `{}` (first at enums[{first}])", e.name),
                    Some("remove or rename one of the two".into()),
                );
            }
            if !is_upper_camel(&e.name) {
                self.err(
                    &format!("{path}.name"),
                    format!("`{}` is not an UpperCamelCase identifier", e.name),
                    Some("use ASCII letters and digits, starting with a capital".into()),
                );
            }
            if self.types.contains_key(e.name.as_str())
                || schema
                    .types
                    .iter()
                    .any(|t| t.renamed_from.iter().any(|r| r.name == e.name))
            {
                self.err(
                    &format!("{path}.name"),
                    format!("`{}` is already the name of a type", e.name),
                    Some("give the value set a name no type has".into()),
                );
            }
            self.summary(&path, &e.summary);
            match (&e.parts_of, e.values.is_empty()) {
                (Some(owner), true) => {
                    let exclusive = self
                        .types
                        .get(owner.as_str())
                        .is_some_and(|t| t.exclusive_optional.is_some());
                    if !exclusive {
                        self.err(
                            &format!("{path}.parts_of"),
                            format!("`{owner}` is not a type with `exclusive_optional` parts"),
                            Some(
                                "name a type whose optional parts are exclusive, like the update"
                                    .into(),
                            ),
                        );
                    }
                }
                (Some(_), false) => self.err(
                    &format!("{path}.values"),
                    "a value set takes its values from `parts_of` or lists them, not both",
                    Some("remove `values` or `parts_of`".into()),
                ),
                (None, true) => self.err(
                    &format!("{path}.values"),
                    format!("value set `{}` has no values", e.name),
                    Some("list at least one value, or name a type with `parts_of`".into()),
                ),
                (None, false) => {}
            }
            let mut values = HashMap::new();
            for (j, v) in e.values.iter().enumerate() {
                let vpath = format!("{path}.values[{j}]");
                if v.value.is_empty() || v.value.chars().any(char::is_control) {
                    self.err(
                        &format!("{vpath}.value"),
                        format!("value {:?} is empty or holds a control character", v.value),
                        None,
                    );
                }
                if let Some(first) = values.insert(v.value.as_str(), j) {
                    self.err(
                        &format!("{vpath}.value"),
                        format!(
                            "value `{}` listed twice (first at values[{first}])",
                            v.value
                        ),
                        None,
                    );
                }
                let derived = crate::naming::type_ident(&v.value);
                if v.name.is_none() && !crate::naming::is_identifier(&derived) {
                    self.err(
                        &vpath,
                        format!("value `{}` makes no Rust name (`{derived}`)", v.value),
                        Some("give it a `name`, an UpperCamelCase variant name".into()),
                    );
                }
                if let Some(n) = &v.name {
                    if !is_upper_camel(n) {
                        self.err(
                            &format!("{vpath}.name"),
                            format!("variant name `{n}` is not an UpperCamelCase identifier"),
                            None,
                        );
                    }
                }
                if !v.summary.is_empty() {
                    self.one_line(&vpath, &v.summary);
                }
            }
        }
    }

    /// `enum_type` and `id_of` of one field, whose parsed type is `expr`.
    pub(super) fn check_field_marks(&mut self, path: &str, f: &Field, expr: &TypeExpr) {
        let leaf = self.leaf(expr);
        if let Some(name) = &f.enum_type {
            if self.loaded.schema.enum_def(name).is_none() {
                let hint = closest(
                    name,
                    self.loaded.schema.enums.iter().map(|e| e.name.as_str()),
                )
                .map_or_else(
                    || format!("define `{name}` under `enums`"),
                    |c| format!("did you mean `{c}`?"),
                );
                self.err(
                    &format!("{path}.enum_type"),
                    format!("unknown value set `{name}`"),
                    Some(hint),
                );
            }
            if leaf != Leaf::String {
                self.err(
                    &format!("{path}.enum_type"),
                    format!("`enum_type` applies to strings, not to `{}`", f.ty),
                    Some("remove it, or use it on a String field".into()),
                );
            }
        }
        if f.id_of.is_some() && leaf != Leaf::Integer {
            self.err(
                &format!("{path}.id_of"),
                format!("`id_of` applies to integers, not to `{}`", f.ty),
                Some("put it on an Integer field, or on the Integer variant of a union".into()),
            );
        }
    }

    pub(super) fn check_variant_id(&mut self, vpath: &str, id_of: Option<IdKind>, expr: &TypeExpr) {
        if id_of.is_some() && *expr != TypeExpr::Integer {
            self.err(
                &format!("{vpath}.id_of"),
                "`id_of` applies to an Integer variant",
                Some("remove it".into()),
            );
        }
    }

    /// The rules of an object type or a method, against its fields.
    pub(super) fn check_rules(&mut self, path: &str, rules: &[Rule], fields: &[Field]) {
        for (j, r) in rules.iter().enumerate() {
            let rpath = format!("{path}.rules[{j}]");
            let names = r.fields();
            let mut seen = HashMap::new();
            for n in &names {
                match fields.iter().find(|f| &f.name == n) {
                    None => {
                        let hint = closest(n, fields.iter().map(|f| f.name.as_str()))
                            .map(|c| format!("did you mean `{c}`?"));
                        self.err(
                            &rpath,
                            format!("the rule names `{n}`, which is not here"),
                            hint,
                        );
                    }
                    Some(f) if f.required => self.err(
                        &rpath,
                        format!("the rule names `{n}`, which is required anyway"),
                        Some("rules relate optional fields only".into()),
                    ),
                    Some(_) => {}
                }
                if seen.insert(*n, ()).is_some() {
                    self.err(&rpath, format!("the rule names `{n}` twice"), None);
                }
            }
            let too_few = match r {
                Rule::ExactlyOne { fields, .. }
                | Rule::AtMostOne { fields, .. }
                | Rule::AtLeastOne { fields, .. }
                | Rule::FirstWins { fields, .. } => fields.len() < 2,
                Rule::OneGroup { groups, .. } => {
                    groups.len() < 2 || groups.iter().any(Vec::is_empty)
                }
                Rule::RequiredUnless { unless, .. } => unless.is_empty(),
                Rule::RequiredWith { .. } => false,
            };
            if too_few {
                self.err(
                    &rpath,
                    "the rule relates too few fields",
                    Some("name at least two fields (or two non-empty groups)".into()),
                );
            }
        }
    }

    /// Accessors declared on an object with exclusive parts.
    pub(super) fn check_accessors(&mut self, i: usize, t: &TypeDef) {
        for (j, a) in t.accessors.iter().enumerate() {
            let path = format!("types[{i}].accessors[{j}]");
            if t.exclusive_optional.is_none() {
                self.err(
                    &path,
                    "accessors are declared on objects with exclusive parts only",
                    Some("remove it; unions get accessors for shared fields by themselves".into()),
                );
            }
            if !is_snake(&a.name) {
                self.err(
                    &format!("{path}.name"),
                    format!("`{}` is not a snake_case name", a.name),
                    None,
                );
            }
            self.summary(&path, &a.summary);
            if a.paths.is_empty()
                || a.paths
                    .iter()
                    .any(|p| p.split('.').count() > 2 || p.split('.').any(|s| !is_snake(s)))
            {
                self.err(
                    &format!("{path}.paths"),
                    "paths are `field` or `field.accessor`, snake_case, at least one",
                    None,
                );
            }
        }
    }

    pub(super) fn check_type_rules(&mut self, i: usize, t: &TypeDef) {
        if t.rules.is_empty() {
            return;
        }
        match &t.fields {
            Some(fields) => self.check_rules(&format!("types[{i}]"), &t.rules, fields),
            None => self.err(
                &format!("types[{i}].rules"),
                "only objects have rules across fields",
                Some("remove `rules` from the union".into()),
            ),
        }
    }
}
