//! Semantic checks of a loaded schema. Every problem is collected (never just
//! the first), located by JSON path and line:column, with a hint.

mod constraints;
mod enums;
pub mod model;
mod text;
mod unions;
mod versions;

use text::*;

use std::collections::{BTreeSet, HashMap};

pub use model::{Checked, CheckedField, CheckedMethod, CheckedType, CheckedVariant, Ty};

use crate::diag::{Diagnostic, Diagnostics};
use crate::schema::load::Loaded;
use crate::schema::{Field, LenUnit, TypeDef, TypeExpr};

/// Check `loaded`: every problem at once, or the checked model lowering
/// works from (type expressions parsed and resolved).
pub fn check(loaded: &Loaded) -> Result<Checked<'_>, Diagnostics> {
    let mut c = Checker::new(loaded);
    c.run();
    if !c.diags.is_empty() {
        return Err(Diagnostics(c.diags));
    }
    model::assemble(&loaded.schema, &c.parsed).map_err(|model::Missing(path)| {
        Diagnostics(vec![loaded.diag(
            &path,
            "internal error: this type expression passed the checks but was not parsed",
            Some("please report this".to_string()),
        )])
    })
}

struct Checker<'a> {
    loaded: &'a Loaded,
    diags: Vec<Diagnostic>,
    /// Type name -> definition (lookups only; never iterated for output).
    types: HashMap<&'a str, &'a TypeDef>,
    /// Sorted variant lists of synthetic unions, for `X or Y` lookups.
    synthetic: Vec<BTreeSet<TypeExpr>>,
    /// Every type expression that parsed with known names, by JSON path.
    parsed: HashMap<String, TypeExpr>,
}

/// What kind of value a type expression denotes once arrays are peeled off.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Leaf {
    Integer,
    Float,
    String,
    Bool,
    File,
    Object,
    Union,
    Unknown,
}

impl<'a> Checker<'a> {
    fn new(loaded: &'a Loaded) -> Self {
        let schema = &loaded.schema;
        let mut types = HashMap::new();
        for t in &schema.types {
            types.entry(t.name.as_str()).or_insert(t);
        }
        let synthetic = schema
            .types
            .iter()
            .filter(|t| t.synthetic)
            .filter_map(|t| t.union.as_ref())
            .map(|u| {
                u.variants
                    .iter()
                    .filter_map(|v| TypeExpr::parse(&v.ty).ok())
                    .collect()
            })
            .collect();
        Checker {
            loaded,
            diags: Vec::new(),
            types,
            synthetic,
            parsed: HashMap::new(),
        }
    }

    fn err(&mut self, path: &str, message: impl Into<String>, hint: impl Into<Option<String>>) {
        self.diags
            .push(self.loaded.diag(path, message, hint.into()));
    }

    fn run(&mut self) {
        let schema = &self.loaded.schema;
        if !is_date(&schema.release_date) {
            self.err(
                "release_date",
                format!("`{}` is not a date", schema.release_date),
                Some("write it as YYYY-MM-DD".into()),
            );
        }
        if schema.version.trim().is_empty() {
            self.err(
                "version",
                "the API version is empty",
                Some("write the Bot API version, e.g. \"10.3\"".into()),
            );
        }
        if schema.version.chars().any(char::is_control) {
            self.err(
                "version",
                format!(
                    "the API version {:?} holds a line break or control character",
                    schema.version
                ),
                Some("write the Bot API version on one line, e.g. \"10.3\"".into()),
            );
        }
        if !is_doc_url(&schema.doc_url) {
            self.err(
                "doc_url",
                format!("`{}` is not a plain http(s) URL", schema.doc_url),
                Some(
                    "write the base URL of the official docs without spaces, quotes, `<>` or control characters, e.g. \"https://core.telegram.org/bots/api\"".into(),
                ),
            );
        }
        self.check_errors();
        self.check_types();
        self.check_shared_variants();
        self.check_methods();
        self.check_versions();
        self.check_enums();
        for (i, t) in self.loaded.schema.types.iter().enumerate() {
            self.check_type_rules(i, t);
            self.check_accessors(i, t);
        }
        for (i, m) in self.loaded.schema.methods.iter().enumerate() {
            self.check_rules(&format!("methods[{i}]"), &m.rules, &m.params);
        }
    }

    fn check_errors(&mut self) {
        let mut seen = HashMap::new();
        for (i, e) in self.loaded.schema.errors.iter().enumerate() {
            let path = format!("errors[{i}]");
            if let Some(first) = seen.insert(e.name.as_str(), i) {
                self.err(
                    &format!("{path}.name"),
                    format!("duplicate error `{}` (first at errors[{first}])", e.name),
                    Some("give each catalogue entry a unique name".into()),
                );
            }
            if !is_upper_camel(&e.name) {
                self.err(
                    &format!("{path}.name"),
                    format!(
                        "error name `{}` is not an UpperCamelCase identifier",
                        e.name
                    ),
                    Some("use ASCII letters and digits, starting with a capital".into()),
                );
            }
            if !(100..=599).contains(&e.code) {
                self.err(
                    &format!("{path}.code"),
                    format!("error code {} is not an HTTP-like status", e.code),
                    Some("use the `error_code` Telegram sends (400, 403, 429...)".into()),
                );
            }
            if e.description.trim().is_empty() {
                self.err(
                    &format!("{path}.description"),
                    "the error description is empty",
                    Some("write the text Telegram sends, or its fixed prefix".into()),
                );
            }
            self.summary(&path, &e.summary);
        }
    }

    fn summary(&mut self, path: &str, summary: &str) {
        if summary.trim().is_empty() {
            self.err(
                &format!("{path}.summary"),
                "the summary is empty",
                Some(
                    "write one line in your own words (never copied from the official docs)".into(),
                ),
            );
        }
        self.one_line(path, summary);
    }

    /// A summary is one line of text: no line breaks or other control characters.
    fn one_line(&mut self, path: &str, summary: &str) {
        self.plain_line(&format!("{path}.summary"), "summary", summary);
    }

    /// `text`, found at `path` and called `what` in the message, is one
    /// line of plain text.
    fn plain_line(&mut self, path: &str, what: &str, text: &str) {
        if let Some(c) = text.chars().find(|c| c.is_control()) {
            self.err(
                path,
                format!("the {what} holds the control character {c:?}"),
                Some(format!("write the {what} as one line of plain text")),
            );
        }
    }

    fn check_types(&mut self) {
        let mut seen = HashMap::new();
        for (i, t) in self.loaded.schema.types.iter().enumerate() {
            let path = format!("types[{i}]");
            if let Some(first) = seen.insert(t.name.as_str(), i) {
                self.err(
                    &format!("{path}.name"),
                    format!("duplicate type `{}` (first at types[{first}])", t.name),
                    Some("remove or rename one of the two definitions".into()),
                );
            }
            if !is_upper_camel(&t.name) {
                self.err(
                    &format!("{path}.name"),
                    format!("type name `{}` is not an UpperCamelCase identifier", t.name),
                    Some("use ASCII letters and digits, starting with a capital".into()),
                );
            }
            if matches!(
                t.name.as_str(),
                "Integer" | "Float" | "String" | "Boolean" | "True" | "InputFile"
            ) {
                self.err(
                    &format!("{path}.name"),
                    format!("`{}` is a built-in type and cannot be redefined", t.name),
                    Some("rename the type".into()),
                );
            }
            self.summary(&path, &t.summary);
            if t.doc.is_none() && !t.synthetic {
                self.err(&path, format!("type `{}` has no `doc` anchor", t.name), Some("add \"doc\": \"#anchor\", or mark a type with no official entry \"synthetic\": true".into()));
            }
            if let Some(doc) = &t.doc {
                self.anchor(&format!("{path}.doc"), doc);
            }
            match (&t.fields, &t.union) {
                (Some(fields), None) => self.check_fields(&path, "fields", fields),
                (None, Some(_)) => self.check_union(i, t),
                (Some(_), Some(_)) => self.err(
                    &path,
                    format!("type `{}` has both `fields` and `union`", t.name),
                    Some("an object has `fields`, a union has `union`; keep one".into()),
                ),
                (None, None) => self.err(
                    &path,
                    format!("type `{}` has neither `fields` nor `union`", t.name),
                    Some("add \"fields\": [] for an empty object".into()),
                ),
            }
            if let Some(name) = &t.exclusive_optional {
                self.check_exclusive(&path, t, name);
            }
            if t.synthetic && t.union.is_none() {
                self.err(
                    &format!("{path}.synthetic"),
                    "only unions can be synthetic",
                    Some("remove \"synthetic\" or make the type a union".into()),
                );
            }
        }
    }

    fn check_exclusive(&mut self, path: &str, t: &TypeDef, name: &str) {
        let Some(fields) = &t.fields else {
            self.err(
                &format!("{path}.exclusive_optional"),
                "`exclusive_optional` needs an object type",
                None,
            );
            return;
        };
        if !is_snake(name) {
            self.err(
                &format!("{path}.exclusive_optional"),
                format!("`{name}` is not a snake_case field name"),
                Some("use lowercase ASCII letters, digits and `_`".into()),
            );
        }
        if fields.iter().any(|f| f.name == name) {
            self.err(
                &format!("{path}.exclusive_optional"),
                format!("`{name}` clashes with a field of `{}`", t.name),
                Some("pick another name, e.g. \"kind\"".into()),
            );
        }
        if !fields.iter().any(|f| !f.required) {
            self.err(
                &format!("{path}.exclusive_optional"),
                format!("`{}` has no optional fields to make exclusive", t.name),
                None,
            );
        }
    }

    fn check_methods(&mut self) {
        let errors: BTreeSet<&str> = self
            .loaded
            .schema
            .errors
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        let mut seen = HashMap::new();
        for (i, m) in self.loaded.schema.methods.iter().enumerate() {
            let path = format!("methods[{i}]");
            if let Some(first) = seen.insert(m.name.as_str(), i) {
                self.err(
                    &format!("{path}.name"),
                    format!("duplicate method `{}` (first at methods[{first}])", m.name),
                    Some("remove or rename one of the two definitions".into()),
                );
            }
            if !is_lower_camel(&m.name) {
                self.err(
                    &format!("{path}.name"),
                    format!(
                        "method name `{}` is not a lowerCamelCase identifier",
                        m.name
                    ),
                    Some("use ASCII letters and digits, starting with a lowercase letter".into()),
                );
            }
            self.summary(&path, &m.summary);
            self.anchor(&format!("{path}.doc"), &m.doc);
            if let Some(expr) = self.type_expr(&format!("{path}.returns"), &m.returns) {
                self.named_or(&format!("{path}.returns"), &expr);
            }
            self.check_fields(&path, "params", &m.params);
            let mut refs = HashMap::new();
            for (j, e) in m.errors.iter().enumerate() {
                let epath = format!("{path}.errors[{j}]");
                if !errors.contains(e.as_str()) {
                    let hint = closest(e, errors.iter().copied()).map_or_else(
                        || "add it to the top-level `errors` catalogue".to_string(),
                        |c| format!("did you mean `{c}`? Otherwise add it to the top-level `errors` catalogue"),
                    );
                    self.err(&epath, format!("unknown error `{e}`"), Some(hint));
                }
                if let Some(first) = refs.insert(e.as_str(), j) {
                    self.err(
                        &epath,
                        format!("error `{e}` listed twice (first at errors[{first}])"),
                        None,
                    );
                }
            }
            if let Some(p) = &m.paginated {
                self.check_pagination(&path, m, p);
            }
        }
    }

    fn check_pagination(
        &mut self,
        path: &str,
        m: &crate::schema::Method,
        p: &crate::schema::Pagination,
    ) {
        for (key, name) in [("offset", &p.offset), ("limit", &p.limit)] {
            if !m.params.iter().any(|f| &f.name == name && !f.required) {
                self.err(
                    &format!("{path}.paginated.{key}"),
                    format!("`{name}` is not an optional parameter of `{}`", m.name),
                    None,
                );
            }
        }
        let Some(ret) = self.types.get(m.returns.as_str()) else {
            return; // the unknown return type was reported already
        };
        match ret.fields.as_ref() {
            None => self.err(
                &format!("{path}.paginated"),
                format!("pagination needs `{}` to return an object type", m.name),
                None,
            ),
            Some(fields) => {
                if !fields
                    .iter()
                    .any(|f| f.name == p.items && f.ty.starts_with("Array of"))
                {
                    self.err(
                        &format!("{path}.paginated.items"),
                        format!("`{}` has no array field `{}`", m.returns, p.items),
                        None,
                    );
                }
                if !fields
                    .iter()
                    .any(|f| f.name == p.total && f.ty == "Integer")
                {
                    self.err(
                        &format!("{path}.paginated.total"),
                        format!("`{}` has no Integer field `{}`", m.returns, p.total),
                        None,
                    );
                }
            }
        }
    }

    fn check_fields(&mut self, owner: &str, key: &str, fields: &[Field]) {
        let mut seen = HashMap::new();
        for (j, f) in fields.iter().enumerate() {
            let path = format!("{owner}.{key}[{j}]");
            if let Some(first) = seen.insert(f.name.as_str(), j) {
                self.err(
                    &format!("{path}.name"),
                    format!(
                        "duplicate {} `{}` (first at {key}[{first}])",
                        if key == "params" {
                            "parameter"
                        } else {
                            "field"
                        },
                        f.name
                    ),
                    Some("remove or rename one of the two".into()),
                );
            }
            self.one_line(&path, &f.summary);
            if !is_snake(&f.name) {
                self.err(
                    &format!("{path}.name"),
                    format!("`{}` is not a snake_case name", f.name),
                    Some(
                        "use lowercase ASCII letters, digits and `_`, starting with a letter"
                            .into(),
                    ),
                );
            }
            let Some(expr) = self.type_expr(&format!("{path}.type"), &f.ty) else {
                continue;
            };
            self.named_or(&format!("{path}.type"), &expr);
            self.check_field_marks(&path, f, &expr);
            self.check_constraints(&path, f, &expr, fields);
            if f.secret && (key != "params" || f.ty != "String") {
                self.err(
                    &format!("{path}.secret"),
                    format!(
                        "`secret` applies to String parameters of methods, not to `{}` of type `{}`",
                        f.name, f.ty
                    ),
                    Some("remove `secret`, or move it to a String method parameter".into()),
                );
            }
        }
    }

    fn anchor(&mut self, path: &str, doc: &str) {
        let ok = doc.len() > 1
            && doc.starts_with('#')
            && doc[1..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok {
            self.err(
                path,
                format!("`{doc}` is not a doc anchor"),
                Some("write the anchor of the official doc entry, e.g. \"#sendaudio\"".into()),
            );
        }
    }

    /// Parse a type expression and check that every name exists.
    fn type_expr(&mut self, path: &str, src: &str) -> Option<TypeExpr> {
        match TypeExpr::parse(src) {
            Err(e) => {
                self.err(
                    path,
                    format!(
                        "cannot parse type `{src}`: {} (at offset {})",
                        e.message, e.offset
                    ),
                    Some("write e.g. `Integer`, `Array of PhotoSize`, `Integer or String`".into()),
                );
                None
            }
            Ok(expr) => {
                let mut ok = true;
                for name in expr.named() {
                    if !self.types.contains_key(name) {
                        ok = false;
                        let hint = closest(
                            name,
                            self.loaded.schema.types.iter().map(|t| t.name.as_str()),
                        )
                        .map_or_else(
                            || format!("define `{name}` under `types`"),
                            |c| {
                                format!(
                                    "did you mean `{c}`? Otherwise define `{name}` under `types`"
                                )
                            },
                        );
                        self.err(path, format!("unknown type `{name}`"), Some(hint));
                    }
                }
                if ok {
                    self.parsed.insert(path.to_string(), expr.clone());
                }
                ok.then_some(expr)
            }
        }
    }

    /// An `X or Y` in a field or return type must be named by a synthetic union.
    fn named_or(&mut self, path: &str, expr: &TypeExpr) {
        let mut missing = Vec::new();
        expr.walk(&mut |e| {
            if let TypeExpr::Or(alts) = e {
                let set: BTreeSet<TypeExpr> = alts.iter().cloned().collect();
                let is_file = set == BTreeSet::from([TypeExpr::InputFile, TypeExpr::String]);
                if !is_file && !self.synthetic.contains(&set) {
                    missing.push(e.to_string());
                }
            }
        });
        for m in missing {
            self.err(
                path,
                format!("`{m}` has no name"),
                Some(
                    "add a type with \"synthetic\": true whose union lists exactly these variants"
                        .into(),
                ),
            );
        }
    }

    fn leaf(&self, expr: &TypeExpr) -> Leaf {
        match expr {
            TypeExpr::Integer => Leaf::Integer,
            TypeExpr::Float => Leaf::Float,
            TypeExpr::String => Leaf::String,
            TypeExpr::Boolean | TypeExpr::True => Leaf::Bool,
            TypeExpr::InputFile => Leaf::File,
            TypeExpr::Array(inner) => self.leaf(inner),
            TypeExpr::Or(alts) if alts.contains(&TypeExpr::InputFile) => Leaf::File,
            TypeExpr::Or(_) => Leaf::Union,
            TypeExpr::Named(n) => match self.types.get(n.as_str()) {
                Some(t) if t.union.is_some() => Leaf::Union,
                Some(_) => Leaf::Object,
                None => Leaf::Unknown,
            },
        }
    }
}
