//! Lowering the checked model to the IR: names via `naming`, resolved types
//! to Rust types, and every derived fact the emitters need, computed once
//! here: boxing of recursive and big fields ([`graph`]), which types are
//! received, how tagged variants group by tag value, which values need
//! validation or carry files, which replies the runtime decodes itself
//! ([`flags`]), and what replies of older servers may leave out.

mod accessors;
mod constraints;
mod enums;
mod flags;
mod graph;
mod rules;

use std::collections::BTreeMap;

use super::*;
use crate::check::{Checked, CheckedField, CheckedMethod, CheckedType, CheckedVariant, Ty};
use crate::naming::{self, Scope};
use crate::schema::{compat, TypeExpr};

use graph::Graph;

/// Nested values larger than this (estimated bytes) are boxed, keeping big
/// types like messages small on the stack and cheap to move.
const BOX_ABOVE: usize = 128;
/// A received object with this many fields or more is decoded straight into
/// a `Box` (only `Message` today: 121 fields, about 3.8 kB).
const INTO_BOX_FIELDS: usize = 60;

/// Methods of generated structs that a setter must not shadow.
const RESERVED_METHODS: &[&str] = &["new", "validate", "error_kind"];

/// The type and the method the generated docs cite as examples of a wire
/// name, when the schema has them (else its first type and method).
const EXAMPLE_TYPE: &str = "Message";
const EXAMPLE_METHOD: &str = "sendAudio";

/// The facts that make a method a send a flood limit counts: the wire name
/// of the chat parameter, the results that are messages put into a chat
/// (the message itself or its id, alone or in a list), and the parameter
/// that asks for paid broadcasting.
const CHAT_PARAM: &str = "chat_id";
const SENT_RESULTS: &[&str] = &["Message", "MessageId"];
const PAID_BROADCAST_PARAM: &str = "allow_paid_broadcast";

/// Lower a checked schema.
pub fn lower(checked: &Checked) -> Api {
    let cx = Cx::new(checked);
    let mut types: Vec<TypeItem> = checked.types.iter().map(|t| cx.lower_type(t)).collect();
    let mut methods: Vec<MethodItem> = checked.methods.iter().map(|m| cx.lower_method(m)).collect();
    flags::derive(&mut types, &mut methods);
    accessors::derive(&mut types);
    let declared = checked
        .schema
        .types
        .iter()
        .filter(|t| !t.accessors.is_empty())
        .map(|t| (t.name.clone(), t.accessors.clone()))
        .collect();
    accessors::derive_parts(&mut types, &declared);
    let enums = enums::lower(checked, &cx.enum_idents, &cx.kind_idents);
    let schema = checked.schema;
    let type_names: Vec<&str> = types.iter().map(|t| t.wire.as_str()).collect();
    let method_names: Vec<&str> = methods.iter().map(|m| m.wire.as_str()).collect();
    let example_type = example(EXAMPLE_TYPE, &type_names);
    let example_method = example(EXAMPLE_METHOD, &method_names);
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
        enums,
        example_type,
        example_method,
    }
}

/// `preferred` when `names` has it, else the first of `names`.
fn example(preferred: &str, names: &[&str]) -> String {
    let found = names.contains(&preferred);
    let name = if found {
        Some(&preferred)
    } else {
        names.first()
    };
    name.map_or_else(String::new, |n| n.to_string())
}

struct Cx<'c, 'a> {
    checked: &'c Checked<'a>,
    graph: Graph,
    /// Wire type name -> Rust name.
    type_idents: BTreeMap<String, String>,
    /// Kind enum names of `exclusive_optional` types, by wire type name.
    kind_idents: BTreeMap<String, String>,
    /// Old type names (renames) -> Rust names of their aliases.
    alias_idents: BTreeMap<String, String>,
    /// Named value sets -> Rust names of their enums.
    enum_idents: BTreeMap<String, String>,
    /// Object type -> (discriminator field, value) of the tagged union it is
    /// a variant of; the field is written by serialization, not stored.
    stripped: BTreeMap<String, (String, String)>,
    error_idents: BTreeMap<String, String>,
    method_idents: BTreeMap<String, (String, String)>,
}

impl<'c, 'a> Cx<'c, 'a> {
    fn new(checked: &'c Checked<'a>) -> Self {
        let schema = checked.schema;
        let mut scope = Scope::default();
        let mut type_idents = BTreeMap::new();
        for t in &schema.types {
            type_idents.insert(
                t.name.clone(),
                scope.claim_camel(naming::type_ident(&t.name)),
            );
        }
        let mut alias_idents = BTreeMap::new();
        for r in schema.types.iter().flat_map(|t| &t.renamed_from) {
            alias_idents.insert(
                r.name.clone(),
                scope.claim_camel(naming::type_ident(&r.name)),
            );
        }
        let mut kind_idents = BTreeMap::new();
        for t in schema
            .types
            .iter()
            .filter(|t| t.exclusive_optional.is_some())
        {
            let base = &type_idents[&t.name];
            kind_idents.insert(t.name.clone(), scope.claim_camel(format!("{base}Kind")));
        }
        let mut enum_idents = BTreeMap::new();
        for e in &schema.enums {
            enum_idents.insert(
                e.name.clone(),
                scope.claim_camel(naming::type_ident(&e.name)),
            );
        }
        let mut stripped = BTreeMap::new();
        for t in &schema.types {
            let Some(u) = &t.union else { continue };
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
        Cx {
            checked,
            graph: Graph::new(checked),
            type_idents,
            kind_idents,
            alias_idents,
            enum_idents,
            stripped,
            error_idents,
            method_idents,
        }
    }

    /// The discriminator shared by all variants of an untagged union whose
    /// variants all belong to tagged unions with that discriminator.
    fn inherited_tag(&self, variants: &[CheckedVariant]) -> Option<String> {
        let mut keys = variants
            .iter()
            .map(|v| self.stripped.get(&v.def.ty).map(|x| &x.0));
        let first = keys.next()??;
        keys.all(|k| k == Some(first)).then(|| first.clone())
    }

    /// Untagged variants are tried in order and ignore unknown fields, so
    /// the ones with more required fields go first: a venue is not mistaken
    /// for the plain location it extends. Ties keep schema order.
    fn most_specific_first<'v>(
        &self,
        variants: &'v [CheckedVariant<'a>],
    ) -> Vec<&'v CheckedVariant<'a>> {
        let required = |v: &CheckedVariant| {
            let named = match &v.ty {
                Ty::Named(n) => self.checked.type_named(n),
                _ => None,
            };
            named.map_or(0, |t| t.fields.iter().filter(|f| f.def.required).count())
        };
        let mut out: Vec<&CheckedVariant> = variants.iter().collect();
        out.sort_by_key(|v| std::cmp::Reverse(required(v)));
        out
    }

    fn rust_type(&self, ty: &Ty) -> RustType {
        match ty {
            Ty::Integer => RustType::I64,
            Ty::Float => RustType::F64,
            Ty::String => RustType::String,
            Ty::Bool => RustType::Bool,
            Ty::InputFile => RustType::InputFile,
            // Checked: every name is a type of the schema, and every type has an ident.
            Ty::Named(n) => RustType::Named(self.type_idents[n].clone()),
            Ty::Array(inner) => RustType::Vec(Box::new(self.rust_type(inner))),
        }
    }

    fn doc_link(&self, anchor: &str) -> String {
        format!("{}{}", self.checked.schema.doc_url, anchor)
    }

    /// The fields of `owner`; `def` is its type when it is an object type
    /// (for the compatibility facts of replies).
    fn lower_fields(
        &self,
        owner: &str,
        def: Option<&CheckedType>,
        fields: &[CheckedField],
        skip: Option<&str>,
    ) -> Vec<FieldItem> {
        let mut scope = Scope::default();
        let kept: Vec<&CheckedField> = fields
            .iter()
            .filter(|f| Some(f.def.name.as_str()) != skip)
            .collect();
        let idents: Vec<String> = kept
            .iter()
            .map(|f| scope.claim(naming::field_ident(&f.def.name)))
            .collect();
        kept.iter()
            .zip(&idents)
            .map(|(cf, ident)| {
                let f = cf.def;
                let mut ty = self.rust_type(&cf.ty);
                if let Some(e) = &f.enum_type {
                    ty = leaf_to(
                        ty,
                        &RustType::String,
                        RustType::Enum(self.enum_idents[e].clone()),
                    );
                }
                if let Some(kind) = f.id_of {
                    ty = leaf_to(ty, &RustType::I64, id_type(kind));
                }
                // Only a field naming a type directly is boxed (an `X or Y`
                // names a small union).
                if let (TypeExpr::Named(target), Ty::Named(_)) = (&cf.expr, &cf.ty) {
                    let big = self.graph.sizes.get(target).is_some_and(|s| *s > BOX_ABOVE);
                    if big || self.graph.reaches(target, owner) {
                        ty = RustType::Boxed(Box::new(ty));
                    }
                }
                let skip_if_set = f.len_parsed_with.as_ref().and_then(|s| {
                    kept.iter()
                        .position(|k| &k.def.name == s)
                        .map(|i| idents[i].clone())
                });
                let setter = if RESERVED_METHODS.contains(&ident.as_str()) {
                    format!("set_{ident}")
                } else {
                    ident.clone()
                };
                // Received types must decode what older servers send.
                let absent_before = def
                    .filter(|t| self.graph.received.contains(&t.def.name))
                    .filter(|t| compat::may_be_absent(self.checked.schema, t.def, f))
                    .and_then(|_| f.since.clone());
                FieldItem {
                    wire: f.name.clone(),
                    ident: ident.clone(),
                    setter,
                    ty,
                    type_expr: cf.expr.to_string(),
                    required: f.required && absent_before.is_none(),
                    absent_before,
                    summary: f.summary.clone(),
                    constraints: constraints::of(f, &cf.ty, skip_if_set),
                    default: f.default.as_ref().map(|d| d.to_string()),
                    validate_nested: false,
                    into_box: false,
                    has_files: false,
                    secret: f.secret,
                }
            })
            .collect()
    }

    fn tagged_variant(
        &self,
        union: &str,
        v: &CheckedVariant,
        value: String,
        fallback: bool,
    ) -> TaggedVariant {
        TaggedVariant {
            ident: v
                .def
                .name
                .clone()
                .unwrap_or_else(|| naming::variant_ident(union, &v.def.ty)),
            ty: match &v.ty {
                Ty::Named(n) => self.type_idents[n].clone(),
                // `check::model::assemble` refuses a tagged union whose
                // variant is not a named type.
                _ => unreachable!("a tagged variant that is not a named type passed the checks"),
            },
            // The variant object's tag field says how the tag is written.
            numeric: self
                .checked
                .type_named(&v.def.ty)
                .and_then(|o| {
                    let disc = self.stripped.get(&v.def.ty)?;
                    o.fields.iter().find(|f| f.def.name == disc.0)
                })
                .is_some_and(|f| f.ty == Ty::Integer),
            value,
            fallback,
            has_files: false,
        }
    }

    fn lower_type(&self, t: &CheckedType) -> TypeItem {
        let def = t.def;
        let ident = self.type_idents[&def.name].clone();
        let kind = match &def.union {
            Some(u) => match &u.discriminator {
                Some(d) => {
                    let variants = t
                        .variants
                        .iter()
                        .map(|v| {
                            let value = v.def.value.clone().unwrap_or_default();
                            self.tagged_variant(&def.name, v, value, v.def.fallback)
                        })
                        .collect();
                    tagged(d.clone(), variants, self.graph.received.contains(&def.name))
                }
                None => match self.inherited_tag(&t.variants) {
                    // Every variant is a variant of a tagged union with one
                    // discriminator: tell them apart by it, not by shape.
                    Some(disc) => {
                        let variants = t
                            .variants
                            .iter()
                            .map(|v| {
                                let value = self
                                    .stripped
                                    .get(&v.def.ty)
                                    .map(|x| x.1.clone())
                                    .unwrap_or_default();
                                self.tagged_variant(&def.name, v, value, false)
                            })
                            .collect();
                        tagged(disc, variants, self.graph.received.contains(&def.name))
                    }
                    None => TypeKind::Untagged {
                        variants: self
                            .most_specific_first(&t.variants)
                            .into_iter()
                            .map(|v| UntaggedVariant {
                                ident: v.def.name.clone().unwrap_or_else(|| {
                                    naming::variant_ident(&def.name, &v.def.ty.replace(' ', ""))
                                }),
                                ty: match v.def.id_of {
                                    Some(kind) => leaf_to(
                                        self.rust_type(&v.ty),
                                        &RustType::I64,
                                        id_type(kind),
                                    ),
                                    None => self.rust_type(&v.ty),
                                },
                                validate: false,
                                has_files: false,
                            })
                            .collect(),
                        unknown: self.graph.received.contains(&def.name),
                    },
                },
            },
            None => self.lower_object(t),
        };
        let aliases = def
            .renamed_from
            .iter()
            .map(|r| Alias {
                ident: self.alias_idents[&r.name].clone(),
                // A synthetic union's name is ours, not Telegram's.
                note: if def.synthetic {
                    format!(
                        "our name for this choice became `{ident}` with Bot API {}",
                        r.version
                    )
                } else {
                    format!("renamed to `{ident}` in Bot API {}", r.version)
                },
            })
            .collect();
        let (rules, first_wins) = match &kind {
            TypeKind::Object { fields, .. } => (
                rules::lower(&def.rules, fields),
                rules::first_wins(&def.rules),
            ),
            _ => (Vec::new(), Vec::new()),
        };
        TypeItem {
            wire: def.name.clone(),
            ident,
            aliases,
            rules,
            first_wins,
            accessors: Vec::new(),
            summary: def.summary.clone(),
            doc_link: def.doc.as_ref().map(|d| self.doc_link(d)),
            trimmed: def.trimmed.clone(),
            kind,
            needs_validate: false,
            has_files: false,
        }
    }

    fn lower_object(&self, t: &CheckedType) -> TypeKind {
        let def = t.def;
        let tag = self.stripped.get(&def.name).map(|(key, value)| Tag {
            key: key.clone(),
            value: value.clone(),
            numeric: t
                .fields
                .iter()
                .any(|f| &f.def.name == key && f.ty == Ty::Integer),
        });
        let mut all = self.lower_fields(
            &def.name,
            Some(t),
            &t.fields,
            tag.as_ref().map(|t| t.key.as_str()),
        );
        let exclusive = def.exclusive_optional.as_ref().map(|name| {
            let variants = all
                .iter()
                .filter(|f| !f.required)
                .map(|f| (naming::field_variant_ident(&f.wire), f.clone()))
                .collect();
            all.retain(|f| f.required);
            Exclusive {
                field: naming::field_ident(name),
                enum_ident: self.kind_idents[&def.name].clone(),
                variants,
            }
        });
        let mut taken: Vec<&str> = all.iter().map(|f| f.ident.as_str()).collect();
        if let Some(x) = &exclusive {
            taken.push(x.field.as_str());
        }
        let mut scope = Scope::with_reserved(&taken);
        let extra = scope.claim("extra".into());
        // The stand-ins are found with the other flags, once every type is
        // lowered.
        let into_box = (exclusive.is_none()
            && all.len() >= INTO_BOX_FIELDS
            && self.graph.received.contains(&def.name))
        .then(Vec::new);
        TypeKind::Object {
            fields: all,
            exclusive,
            tag,
            extra,
            into_box,
        }
    }

    fn lower_method(&self, m: &CheckedMethod) -> MethodItem {
        let def = m.def;
        let (struct_ident, fn_ident) = self.method_idents[&def.name].clone();
        let errors: Vec<String> = def
            .errors
            .iter()
            .filter_map(|e| self.error_idents.get(e).cloned())
            .collect();
        let params = self.lower_fields(&format!("method {}", def.name), None, &m.params, None);
        MethodItem {
            wire: def.name.clone(),
            error_enum: (!errors.is_empty()).then(|| format!("{struct_ident}ErrorKind")),
            struct_ident,
            fn_ident,
            summary: def.summary.clone(),
            doc_link: self.doc_link(&def.doc),
            chat_send: chat_send(&m.returns, &params),
            rules: rules::lower(&def.rules, &params),
            first_wins: rules::first_wins(&def.rules),
            params,
            returns: self.rust_type(&m.returns),
            errors,
            has_files: false,
            idempotent: def.idempotent,
            decode_in_runtime: false,
            paging: def.paginated.as_ref().and_then(|p| self.paging(m, p)),
        }
    }

    fn paging(&self, m: &CheckedMethod, p: &crate::schema::Pagination) -> Option<Paging> {
        let result = self.checked.type_named(m.returns.named()?)?;
        let items = result.fields.iter().find(|f| f.def.name == p.items)?;
        let Ty::Array(item) = &items.ty else {
            return None;
        };
        Some(Paging {
            offset: naming::field_ident(&p.offset),
            items: naming::field_ident(&p.items),
            total: naming::field_ident(&p.total),
            item: self.rust_type(item),
        })
    }
}

/// Whether a method with these parameters and this result puts messages
/// into one chat (see [`CHAT_PARAM`]), and how to read its chat and its
/// paid-broadcast switch.
fn chat_send(returns: &Ty, params: &[FieldItem]) -> Option<ChatSend> {
    let sent = match returns {
        Ty::Named(n) => SENT_RESULTS.contains(&n.as_str()),
        Ty::Array(inner) => matches!(&**inner, Ty::Named(n) if SENT_RESULTS.contains(&n.as_str())),
        _ => false,
    };
    let chat = params.iter().find(|p| p.wire == CHAT_PARAM && p.required)?;
    let paid_broadcast = params
        .iter()
        .find(|p| p.wire == PAID_BROADCAST_PARAM && p.ty == RustType::Bool)
        .map(|p| (p.ident.clone(), p.required));
    sent.then(|| ChatSend {
        chat: chat.ident.clone(),
        paid_broadcast,
    })
}

/// A tagged union: its variants grouped by tag value, values in order of
/// first use, and the fallback variant if there is one.
fn tagged(discriminator: String, variants: Vec<TaggedVariant>, streamed: bool) -> TypeKind {
    let mut groups: Vec<TagGroup> = Vec::new();
    for (i, v) in variants.iter().enumerate().filter(|(_, v)| !v.fallback) {
        match groups.iter_mut().find(|g| g.value == v.value) {
            Some(g) => g.variants.push(i),
            None => groups.push(TagGroup {
                value: v.value.clone(),
                variants: vec![i],
            }),
        }
    }
    let fallback = variants.iter().position(|v| v.fallback);
    // A method reading the tag, where tags are strings and every value is
    // a variant's (no fallback guessing by shape).
    let tag_accessor = (fallback.is_none() && !variants.iter().any(|v| v.numeric))
        .then(|| naming::field_ident(&discriminator));
    TypeKind::Tagged {
        discriminator,
        variants,
        groups,
        fallback,
        tag_accessor,
        streamed,
    }
}

/// The runtime's identifier newtype (in its `ids` module) for `kind`.
fn id_type(kind: IdKind) -> RustType {
    RustType::Id(
        match kind {
            IdKind::User => "UserId",
            IdKind::Chat => "ChatId",
            IdKind::Message => "MessageId",
        }
        .into(),
    )
}

/// `ty` with its leaf (under arrays and boxes) replaced by `to` when it is
/// `from`.
fn leaf_to(ty: RustType, from: &RustType, to: RustType) -> RustType {
    match ty {
        RustType::Vec(inner) => RustType::Vec(Box::new(leaf_to(*inner, from, to))),
        RustType::Boxed(inner) => RustType::Boxed(Box::new(leaf_to(*inner, from, to))),
        leaf if &leaf == from => to,
        other => other,
    }
}
