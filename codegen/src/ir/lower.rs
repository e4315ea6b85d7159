//! Lowering a checked schema to the IR: names via `naming`, type expressions
//! to Rust types, and the derived facts (boxing of recursive fields, which
//! types need validation or carry files, which unions are received).

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::naming::{self, Scope};
use crate::schema::{compat, Field, LenUnit, Schema, TypeDef, TypeExpr};

/// Nested values larger than this (estimated bytes) are boxed, keeping big
/// types like `Message` small on the stack and cheap to move.
const BOX_ABOVE: usize = 128;

/// Methods of generated structs that a setter must not shadow.
const RESERVED_METHODS: &[&str] = &["new", "validate", "error_kind"];

/// Lower a schema that passed `check`. Names that `check` rejects never reach
/// here, so lookups that fail fall back to the raw name instead of panicking.
pub fn lower(schema: &Schema) -> Api {
    let cx = Cx::new(schema);
    let mut types: Vec<TypeItem> = schema.types.iter().map(|t| cx.lower_type(t)).collect();
    let mut methods: Vec<MethodItem> = schema.methods.iter().map(|m| cx.lower_method(m)).collect();
    derive_flags(&mut types, &mut methods);
    Api {
        version: schema.version.clone(),
        release_date: schema.release_date.clone(),
        compat_floor: schema.compat_floor.clone(),
        doc_url: schema.doc_url.clone(),
        errors: schema
            .errors
            .iter()
            .map(|e| ErrorItem {
                ident: cx.error_idents[&e.name].clone(),
                code: e.code,
                description: e.description.clone(),
                summary: e.summary.clone(),
            })
            .collect(),
        types,
        methods,
    }
}

struct Cx<'a> {
    schema: &'a Schema,
    /// Wire type name -> Rust name.
    type_idents: BTreeMap<String, String>,
    /// Kind enum names of `exclusive_optional` types, by wire type name.
    kind_idents: BTreeMap<String, String>,
    /// Sorted variant set of a synthetic union -> its Rust name.
    synthetic: BTreeMap<BTreeSet<TypeExpr>, String>,
    /// Object type -> (discriminator field, value) of the tagged union it is
    /// a variant of; the field is written by serialization, not stored.
    stripped: BTreeMap<String, (String, String)>,
    /// Non-array edges between types, for recursion detection.
    edges: BTreeMap<String, BTreeSet<String>>,
    /// Types reachable from a method's return type.
    received: BTreeSet<String>,
    error_idents: BTreeMap<String, String>,
    method_idents: BTreeMap<String, (String, String)>,
    /// Old type names (renames) -> Rust names of their aliases.
    alias_idents: BTreeMap<String, String>,
    /// Estimated in-memory size of each type if nothing were boxed.
    sizes: BTreeMap<String, usize>,
}

impl<'a> Cx<'a> {
    fn new(schema: &'a Schema) -> Self {
        let mut scope = Scope::default();
        let mut type_idents = BTreeMap::new();
        let mut kind_idents = BTreeMap::new();
        for t in &schema.types {
            type_idents.insert(
                t.name.clone(),
                scope.claim_camel(naming::type_ident(&t.name)),
            );
        }
        let mut alias_idents = BTreeMap::new();
        for t in &schema.types {
            for r in &t.renamed_from {
                alias_idents.insert(
                    r.name.clone(),
                    scope.claim_camel(naming::type_ident(&r.name)),
                );
            }
        }
        for t in &schema.types {
            if t.exclusive_optional.is_some() {
                let base = &type_idents[&t.name];
                kind_idents.insert(t.name.clone(), scope.claim_camel(format!("{base}Kind")));
            }
        }
        let mut synthetic = BTreeMap::new();
        let mut stripped = BTreeMap::new();
        for t in &schema.types {
            let Some(u) = &t.union else { continue };
            if t.synthetic {
                let set = u
                    .variants
                    .iter()
                    .filter_map(|v| TypeExpr::parse(&v.ty).ok())
                    .collect();
                synthetic.insert(set, type_idents[&t.name].clone());
            }
            if let Some(d) = &u.discriminator {
                for v in u.variants.iter().filter(|v| !v.fallback) {
                    let value = v.value.clone().unwrap_or_default();
                    stripped.entry(v.ty.clone()).or_insert((d.clone(), value));
                }
            }
        }
        let mut method_scope = Scope::default();
        let mut fn_scope = Scope::with_reserved(&["call", "send", "new", "builder"]);
        let mut method_idents = BTreeMap::new();
        for m in &schema.methods {
            let s = method_scope.claim_camel(naming::method_struct_ident(&m.name));
            let f = fn_scope.claim(naming::method_fn_ident(&m.name));
            method_idents.insert(m.name.clone(), (s, f));
        }
        // Error kind enums share the methods module with request structs.
        let mut error_scope = Scope::default();
        let error_idents = schema
            .errors
            .iter()
            .map(|e| {
                (
                    e.name.clone(),
                    error_scope.claim_camel(naming::type_ident(&e.name)),
                )
            })
            .collect();
        let mut cx = Cx {
            schema,
            type_idents,
            kind_idents,
            synthetic,
            stripped,
            edges: BTreeMap::new(),
            received: BTreeSet::new(),
            error_idents,
            method_idents,
            alias_idents,
            sizes: BTreeMap::new(),
        };
        cx.edges = cx.type_edges();
        cx.received = cx.received_types();
        for t in &schema.types {
            let size = cx.estimate(&t.name, &mut BTreeSet::new());
            cx.sizes.insert(t.name.clone(), size);
        }
        cx
    }

    /// The discriminator shared by all variants of an untagged union whose
    /// variants all belong to tagged unions with that discriminator.
    fn inherited_tag(&self, u: &crate::schema::Union) -> Option<String> {
        let mut keys = u
            .variants
            .iter()
            .map(|v| self.stripped.get(&v.ty).map(|x| &x.0));
        let first = keys.next()??;
        keys.all(|k| k == Some(first)).then(|| first.clone())
    }

    /// Untagged variants are tried in order and ignore unknown fields, so
    /// the ones with more required fields go first: a venue is not mistaken
    /// for the plain location it extends. Ties keep schema order.
    fn most_specific_first<'v>(
        &self,
        variants: &'v [crate::schema::Variant],
    ) -> Vec<&'v crate::schema::Variant> {
        let required = |v: &crate::schema::Variant| {
            self.type_def(&v.ty)
                .and_then(|t| t.fields.as_ref())
                .map_or(0, |f| f.iter().filter(|f| f.required).count())
        };
        let mut out: Vec<&crate::schema::Variant> = variants.iter().collect();
        out.sort_by_key(|v| std::cmp::Reverse(required(v)));
        out
    }

    fn type_def(&self, name: &str) -> Option<&'a TypeDef> {
        self.schema.types.iter().find(|t| t.name == name)
    }

    /// Named types a type holds directly (not through an array).
    fn type_edges(&self) -> BTreeMap<String, BTreeSet<String>> {
        let mut out = BTreeMap::new();
        for t in &self.schema.types {
            let mut set = BTreeSet::new();
            let exprs: Vec<&str> = match (&t.fields, &t.union) {
                (Some(fields), _) => fields.iter().map(|f| f.ty.as_str()).collect(),
                (_, Some(u)) => u.variants.iter().map(|v| v.ty.as_str()).collect(),
                _ => Vec::new(),
            };
            for e in exprs.into_iter().filter_map(|s| TypeExpr::parse(s).ok()) {
                direct_names(&e, &mut set);
            }
            out.insert(t.name.clone(), set);
        }
        out
    }

    fn received_types(&self) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<String> = Vec::new();
        for m in &self.schema.methods {
            if let Ok(e) = TypeExpr::parse(&m.returns) {
                stack.extend(e.named().into_iter().map(str::to_string));
            }
        }
        while let Some(name) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let Some(t) = self.type_def(&name) else {
                continue;
            };
            let exprs: Vec<&str> = match (&t.fields, &t.union) {
                (Some(fields), _) => fields.iter().map(|f| f.ty.as_str()).collect(),
                (_, Some(u)) => u.variants.iter().map(|v| v.ty.as_str()).collect(),
                _ => Vec::new(),
            };
            for e in exprs.into_iter().filter_map(|s| TypeExpr::parse(s).ok()) {
                stack.extend(e.named().into_iter().map(str::to_string));
                for alt in or_sets(&e) {
                    if let Some(name) = self.synthetic_name(&alt) {
                        stack.push(name);
                    }
                }
            }
        }
        seen
    }

    /// Wire name of the synthetic union naming `set`.
    fn synthetic_name(&self, set: &BTreeSet<TypeExpr>) -> Option<String> {
        let ident = self.synthetic.get(set)?;
        self.type_idents
            .iter()
            .find(|(_, v)| *v == ident)
            .map(|(k, _)| k.clone())
    }

    /// Rough size in bytes of a type whose nested values are stored inline
    /// (a type already being measured counts as a pointer).
    fn estimate(&self, name: &str, busy: &mut BTreeSet<String>) -> usize {
        if let Some(s) = self.sizes.get(name) {
            return *s;
        }
        let Some(t) = self.type_def(name) else {
            return 8;
        };
        if !busy.insert(name.to_string()) {
            return 8;
        }
        let expr_size = |cx: &Self, e: &TypeExpr, busy: &mut BTreeSet<String>| -> usize {
            match e {
                TypeExpr::Integer | TypeExpr::Float => 8,
                TypeExpr::Boolean | TypeExpr::True => 1,
                TypeExpr::String | TypeExpr::Array(_) => 24,
                TypeExpr::InputFile => 48,
                TypeExpr::Named(n) => cx.estimate(n, busy),
                TypeExpr::Or(_) => 32,
            }
        };
        let size = match (&t.fields, &t.union) {
            (Some(fields), _) => fields
                .iter()
                .filter_map(|f| TypeExpr::parse(&f.ty).ok().map(|e| (f.required, e)))
                .map(|(req, e)| {
                    let inner = expr_size(self, &e, busy);
                    let niche = matches!(e, TypeExpr::String | TypeExpr::Array(_));
                    if req || niche {
                        inner
                    } else {
                        inner + 8
                    }
                })
                .sum(),
            (_, Some(u)) => {
                8 + u
                    .variants
                    .iter()
                    .filter_map(|v| TypeExpr::parse(&v.ty).ok())
                    .map(|e| expr_size(self, &e, busy))
                    .max()
                    .unwrap_or(0)
                    .max(32)
            }
            _ => 0,
        };
        busy.remove(name);
        size
    }

    /// Does `from` reach `to` through non-array edges?
    fn reaches(&self, from: &str, to: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                if let Some(next) = self.edges.get(&n) {
                    stack.extend(next.iter().cloned());
                }
            }
        }
        false
    }

    fn rust_type(&self, e: &TypeExpr) -> RustType {
        match e {
            TypeExpr::Integer => RustType::I64,
            TypeExpr::Float => RustType::F64,
            TypeExpr::String => RustType::String,
            TypeExpr::Boolean | TypeExpr::True => RustType::Bool,
            TypeExpr::InputFile => RustType::InputFile,
            TypeExpr::Named(n) => RustType::Named(
                self.type_idents
                    .get(n)
                    .cloned()
                    .unwrap_or_else(|| n.clone()),
            ),
            TypeExpr::Array(inner) => RustType::Vec(Box::new(self.rust_type(inner))),
            TypeExpr::Or(alts) => {
                let set: BTreeSet<TypeExpr> = alts.iter().cloned().collect();
                if set.contains(&TypeExpr::InputFile) {
                    RustType::InputFile
                } else {
                    RustType::Named(
                        self.synthetic
                            .get(&set)
                            .cloned()
                            .unwrap_or_else(|| e.to_string()),
                    )
                }
            }
        }
    }

    fn doc_link(&self, anchor: &str) -> String {
        format!("{}{}", self.schema.doc_url, anchor)
    }

    /// The fields of `owner`; `def` is its type when it is an object type
    /// (for the compatibility facts of replies).
    fn lower_fields(
        &self,
        owner: &str,
        def: Option<&TypeDef>,
        fields: &[Field],
        skip: Option<&str>,
    ) -> Vec<FieldItem> {
        let mut scope = Scope::default();
        let kept: Vec<&Field> = fields
            .iter()
            .filter(|f| Some(f.name.as_str()) != skip)
            .collect();
        let idents: Vec<String> = kept
            .iter()
            .map(|f| scope.claim(naming::field_ident(&f.name)))
            .collect();
        kept.iter()
            .zip(&idents)
            .map(|(f, ident)| {
                let expr = TypeExpr::parse(&f.ty).unwrap_or(TypeExpr::String);
                let mut ty = self.rust_type(&expr);
                if let TypeExpr::Named(target) = &expr {
                    let big = self.sizes.get(target).is_some_and(|s| *s > BOX_ABOVE);
                    if big || self.reaches(target, owner) {
                        ty = RustType::Boxed(Box::new(ty));
                    }
                }
                let skip_if_set = f.len_parsed_with.as_ref().and_then(|s| {
                    kept.iter()
                        .position(|k| &k.name == s)
                        .map(|i| idents[i].clone())
                });
                let setter = if RESERVED_METHODS.contains(&ident.as_str()) {
                    format!("set_{ident}")
                } else {
                    ident.clone()
                };
                // Received types must decode what older servers send.
                let absent_before = def
                    .filter(|t| self.received.contains(&t.name))
                    .filter(|t| compat::may_be_absent(self.schema, t, f))
                    .and_then(|_| f.since.clone());
                FieldItem {
                    wire: f.name.clone(),
                    ident: ident.clone(),
                    setter,
                    ty,
                    type_expr: expr.to_string(),
                    required: f.required && absent_before.is_none(),
                    absent_before,
                    summary: f.summary.clone(),
                    constraints: constraints(f, &expr, skip_if_set),
                    default: f.default.as_ref().map(|d| d.to_string()),
                    validate_nested: false,
                    has_files: false,
                    secret: f.secret,
                }
            })
            .collect()
    }

    fn lower_type(&self, t: &TypeDef) -> TypeItem {
        let ident = self.type_idents[&t.name].clone();
        let kind = match (&t.fields, &t.union) {
            (_, Some(u)) => match &u.discriminator {
                Some(d) => TypeKind::Tagged {
                    discriminator: d.clone(),
                    variants: u
                        .variants
                        .iter()
                        .map(|v| TaggedVariant {
                            ident: v
                                .name
                                .clone()
                                .unwrap_or_else(|| naming::variant_ident(&t.name, &v.ty)),
                            ty: self
                                .type_idents
                                .get(&v.ty)
                                .cloned()
                                .unwrap_or_else(|| v.ty.clone()),
                            value: v.value.clone().unwrap_or_default(),
                            fallback: v.fallback,
                        })
                        .collect(),
                },
                None if self.inherited_tag(u).is_some() => {
                    // Every variant is a variant of a tagged union with one
                    // discriminator: tell them apart by it, not by shape.
                    let disc = self.inherited_tag(u).unwrap_or_default();
                    TypeKind::Tagged {
                        discriminator: disc,
                        variants: u
                            .variants
                            .iter()
                            .map(|v| TaggedVariant {
                                ident: v
                                    .name
                                    .clone()
                                    .unwrap_or_else(|| naming::variant_ident(&t.name, &v.ty)),
                                ty: self
                                    .type_idents
                                    .get(&v.ty)
                                    .cloned()
                                    .unwrap_or_else(|| v.ty.clone()),
                                value: self
                                    .stripped
                                    .get(&v.ty)
                                    .map(|x| x.1.clone())
                                    .unwrap_or_default(),
                                fallback: false,
                            })
                            .collect(),
                    }
                }
                None => TypeKind::Untagged {
                    variants: self
                        .most_specific_first(&u.variants)
                        .into_iter()
                        .map(|v| {
                            let expr = TypeExpr::parse(&v.ty).unwrap_or(TypeExpr::String);
                            UntaggedVariant {
                                ident: v.name.clone().unwrap_or_else(|| {
                                    naming::variant_ident(&t.name, &v.ty.replace(' ', ""))
                                }),
                                ty: self.rust_type(&expr),
                            }
                        })
                        .collect(),
                    unknown: self.received.contains(&t.name),
                },
            },
            (fields, None) => {
                let fields = fields.as_deref().unwrap_or_default();
                let tag = self.stripped.get(&t.name).map(|(key, value)| Tag {
                    key: key.clone(),
                    value: value.clone(),
                    numeric: fields.iter().any(|f| &f.name == key && f.ty == "Integer"),
                });
                let mut all = self.lower_fields(
                    &t.name,
                    Some(t),
                    fields,
                    tag.as_ref().map(|t| t.key.as_str()),
                );
                let exclusive = t.exclusive_optional.as_ref().map(|name| {
                    let variants = all
                        .iter()
                        .filter(|f| !f.required)
                        .map(|f| (naming::field_variant_ident(&f.wire), f.clone()))
                        .collect();
                    all.retain(|f| f.required);
                    Exclusive {
                        field: naming::field_ident(name),
                        enum_ident: self.kind_idents[&t.name].clone(),
                        variants,
                    }
                });
                let mut taken: Vec<&str> = all.iter().map(|f| f.ident.as_str()).collect();
                if let Some(x) = &exclusive {
                    taken.push(x.field.as_str());
                }
                let mut scope = Scope::with_reserved(&taken);
                let extra = scope.claim("extra".into());
                TypeKind::Object {
                    fields: all,
                    exclusive,
                    tag,
                    extra,
                }
            }
        };
        let aliases = t
            .renamed_from
            .iter()
            .map(|r| Alias {
                ident: self.alias_idents[&r.name].clone(),
                note: format!("renamed to `{ident}` in Bot API {}", r.version),
            })
            .collect();
        TypeItem {
            wire: t.name.clone(),
            ident,
            aliases,
            summary: t.summary.clone(),
            doc_link: t.doc.as_ref().map(|d| self.doc_link(d)),
            trimmed: t.trimmed.clone(),
            kind,
            needs_validate: false,
            has_files: false,
        }
    }

    fn lower_method(&self, m: &crate::schema::Method) -> MethodItem {
        let (struct_ident, fn_ident) = self.method_idents[&m.name].clone();
        let returns = TypeExpr::parse(&m.returns)
            .map(|e| self.rust_type(&e))
            .unwrap_or(RustType::Bool);
        let errors: Vec<String> = m
            .errors
            .iter()
            .filter_map(|e| self.error_idents.get(e).cloned())
            .collect();
        MethodItem {
            wire: m.name.clone(),
            error_enum: (!errors.is_empty()).then(|| format!("{struct_ident}ErrorKind")),
            struct_ident,
            fn_ident,
            summary: m.summary.clone(),
            doc_link: self.doc_link(&m.doc),
            params: self.lower_fields(&format!("method {}", m.name), None, &m.params, None),
            returns,
            errors,
            has_files: false,
            idempotent: m.name.starts_with("get"),
            paging: m.paginated.as_ref().and_then(|p| self.paging(m, p)),
        }
    }

    fn paging(&self, m: &crate::schema::Method, p: &crate::schema::Pagination) -> Option<Paging> {
        let result = self.type_def(&m.returns)?;
        let items = result.fields.as_ref()?.iter().find(|f| f.name == p.items)?;
        let TypeExpr::Array(item) = TypeExpr::parse(&items.ty).ok()? else {
            return None;
        };
        Some(Paging {
            offset: naming::field_ident(&p.offset),
            items: naming::field_ident(&p.items),
            total: naming::field_ident(&p.total),
            item: self.rust_type(&item),
        })
    }
}

/// Named types in `e` that are held directly, not inside an array.
fn direct_names(e: &TypeExpr, out: &mut BTreeSet<String>) {
    match e {
        TypeExpr::Named(n) => {
            out.insert(n.clone());
        }
        TypeExpr::Or(alts) => alts.iter().for_each(|a| direct_names(a, out)),
        _ => {}
    }
}

/// The `or` alternatives sets appearing in `e`.
fn or_sets(e: &TypeExpr) -> Vec<BTreeSet<TypeExpr>> {
    let mut out = Vec::new();
    e.walk(&mut |x| {
        if let TypeExpr::Or(alts) = x {
            out.push(alts.iter().cloned().collect());
        }
    });
    out
}

fn leaf(e: &TypeExpr) -> &TypeExpr {
    match e {
        TypeExpr::Array(inner) => leaf(inner),
        other => other,
    }
}

fn constraints(f: &Field, expr: &TypeExpr, skip_if_set: Option<String>) -> Constraints {
    let bound =
        |lo: Option<f64>, hi: Option<f64>| (lo.is_some() || hi.is_some()).then_some((lo, hi));
    let mut c = Constraints {
        items: (f.min_items.is_some() || f.max_items.is_some())
            .then_some((f.min_items, f.max_items)),
        allowed: f.allowed.clone(),
        max_upload: f.max_upload,
        ..Constraints::default()
    };
    match leaf(expr) {
        TypeExpr::Integer => {
            c.int_range =
                bound(f.min, f.max).map(|(a, b)| (a.map(|x| x as i64), b.map(|x| x as i64)))
        }
        TypeExpr::Float => c.float_range = bound(f.min, f.max),
        _ => {}
    }
    if f.min_len.is_some() || f.max_len.is_some() {
        c.len = Some(Length {
            min: f.min_len,
            max: f.max_len,
            bytes: f.len_unit == Some(LenUnit::Bytes),
            skip_if_set,
        });
    }
    c
}

/// Compute `needs_validate`/`has_files` for types (to a fixpoint), then for
/// fields and methods.
fn derive_flags(types: &mut [TypeItem], methods: &mut [MethodItem]) {
    loop {
        let validate: BTreeSet<String> = types
            .iter()
            .filter(|t| t.needs_validate)
            .map(|t| t.ident.clone())
            .collect();
        let files: BTreeSet<String> = types
            .iter()
            .filter(|t| t.has_files)
            .map(|t| t.ident.clone())
            .collect();
        let mut changed = false;
        for t in types.iter_mut() {
            let (v, f) = type_flags(t, &validate, &files);
            if v != t.needs_validate || f != t.has_files {
                t.needs_validate = v;
                t.has_files = f;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let validate: BTreeSet<String> = types
        .iter()
        .filter(|t| t.needs_validate)
        .map(|t| t.ident.clone())
        .collect();
    let files: BTreeSet<String> = types
        .iter()
        .filter(|t| t.has_files)
        .map(|t| t.ident.clone())
        .collect();
    for t in types.iter_mut() {
        if let TypeKind::Object {
            fields, exclusive, ..
        } = &mut t.kind
        {
            fields
                .iter_mut()
                .for_each(|f| field_flags(f, &validate, &files));
            if let Some(x) = exclusive {
                x.variants
                    .iter_mut()
                    .for_each(|(_, f)| field_flags(f, &validate, &files));
            }
        }
    }
    for m in methods.iter_mut() {
        m.params
            .iter_mut()
            .for_each(|f| field_flags(f, &validate, &files));
        m.has_files = m.params.iter().any(|p| p.has_files);
    }
}

fn field_flags(f: &mut FieldItem, validate: &BTreeSet<String>, files: &BTreeSet<String>) {
    f.validate_nested = mentions(&f.ty, validate);
    f.has_files = f.ty_has_file() || mentions(&f.ty, files);
}

impl FieldItem {
    fn ty_has_file(&self) -> bool {
        fn go(t: &RustType) -> bool {
            match t {
                RustType::InputFile => true,
                RustType::Vec(i) | RustType::Boxed(i) => go(i),
                _ => false,
            }
        }
        go(&self.ty)
    }
}

fn mentions(t: &RustType, set: &BTreeSet<String>) -> bool {
    match t {
        RustType::Named(n) => set.contains(n),
        RustType::Vec(i) | RustType::Boxed(i) => mentions(i, set),
        _ => false,
    }
}

fn type_flags(t: &TypeItem, validate: &BTreeSet<String>, files: &BTreeSet<String>) -> (bool, bool) {
    let mut v = t.needs_validate;
    let mut f = t.has_files;
    let mut see = |ty: &RustType, c: Option<&Constraints>| {
        v |= c.is_some_and(Constraints::any) || mentions(ty, validate);
        f |= mentions(ty, files)
            || matches!(ty.unboxed(), RustType::InputFile)
            || matches!(ty.unboxed(), RustType::Vec(i) if **i == RustType::InputFile);
    };
    match &t.kind {
        TypeKind::Object {
            fields, exclusive, ..
        } => {
            fields.iter().for_each(|x| see(&x.ty, Some(&x.constraints)));
            if let Some(x) = exclusive {
                x.variants
                    .iter()
                    .for_each(|(_, x)| see(&x.ty, Some(&x.constraints)));
            }
        }
        TypeKind::Tagged { variants, .. } => {
            variants
                .iter()
                .for_each(|x| see(&RustType::Named(x.ty.clone()), None));
        }
        TypeKind::Untagged { variants, .. } => variants.iter().for_each(|x| see(&x.ty, None)),
    }
    (v, f)
}
