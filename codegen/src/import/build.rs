//! From the raw upstream description to our model: mined constraints,
//! value lists, rules across fields, identifier marks, union discriminators,
//! upload limits, and synthetic unions naming every `X or Y`. Summaries stay
//! empty: upstream prose is never carried over.

use std::collections::BTreeSet;

use super::enums::Listed;
use super::mine::{constant_value, method_upload_limit, mine_field, value_list};
use super::raw::{RawApi, RawField, RawType};
use super::rules::{field_rules, settle, type_rules};
use crate::schema::{Field, IdKind, Method, TypeDef, TypeExpr, Union, Variant};

/// Facts of one upstream version in our model (summaries empty).
#[derive(Debug, Clone)]
pub struct Upstream {
    /// Where it came from.
    pub format: &'static str,
    /// Version.
    pub version: String,
    /// Release date.
    pub release_date: String,
    /// Methods in doc order.
    pub methods: Vec<Method>,
    /// Types in doc order, synthetic unions last.
    pub types: Vec<TypeDef>,
    /// The value lists the prose gives for string fields, by owner and
    /// field; named sets are made of them after the merge.
    pub listed: Vec<Listed>,
}

/// What an integer field identifies, by its name (and its owner's, for
/// `id`): `user_id`, `*_user_id`, `user_ids`, `*_user_ids`, `User.id` and
/// `BotFullInfo.id` a user; `chat_id`, `*_chat_id`, `Chat.id` and
/// `ChatFullInfo.id` a chat; `message_id`, `*_message_id` and `message_ids`
/// a message. `message_thread_id` and the other topic ids are not such ids;
/// `ephemeral_message_id` counts in a space of its own (an ephemeral message
/// is not a message of the chat's history) and stays unmarked.
pub fn id_of(owner: &str, field: &str, ty: &str) -> Option<IdKind> {
    if ty.trim_start_matches("Array of ") != "Integer" {
        return None;
    }
    let base = field
        .strip_suffix('s')
        .filter(|_| ty.starts_with("Array of "));
    let name = base.unwrap_or(field);
    if name == "id" {
        return match owner {
            "User" | "BotFullInfo" => Some(IdKind::User),
            "Chat" | "ChatFullInfo" => Some(IdKind::Chat),
            _ => None,
        };
    }
    let is = |id: &str| name == id || name.ends_with(&format!("_{id}"));
    if name == "ephemeral_message_id" {
        None
    } else if is("user_id") {
        Some(IdKind::User)
    } else if is("chat_id") {
        Some(IdKind::Chat)
    } else if is("message_id") {
        Some(IdKind::Message)
    } else {
        None
    }
}

/// Mark the identifiers of a merged schema that lack a mark: fields the
/// curation layers added, and the integer of the `ChatId` union, get what
/// [`id_of`] says (a mark already there is kept).
pub fn mark_ids(schema: &mut crate::schema::Schema) {
    for m in &mut schema.methods {
        for p in &mut m.params {
            p.id_of = p.id_of.or_else(|| id_of(&m.name, &p.name, &p.ty));
        }
    }
    for t in &mut schema.types {
        for f in t.fields.iter_mut().flatten() {
            f.id_of = f.id_of.or_else(|| id_of(&t.name, &f.name, &f.ty));
        }
        // The choice of a chat by number or by @username (whatever we call
        // it): its integer is a chat id.
        let chat_choice = t.synthetic
            && t.union.as_ref().is_some_and(|u| {
                let mut tys: Vec<&str> = u.variants.iter().map(|v| v.ty.as_str()).collect();
                tys.sort_unstable();
                tys == ["Integer", "String"]
            });
        if chat_choice {
            for v in t.union.iter_mut().flat_map(|u| &mut u.variants) {
                if v.ty == "Integer" {
                    v.id_of = v.id_of.or(Some(IdKind::Chat));
                }
            }
        }
    }
}

fn field(owner: &str, raw: &RawField, siblings: &[&str]) -> Field {
    let mut f = Field {
        name: raw.name.clone(),
        ty: raw.ty.clone(),
        required: raw.required,
        id_of: id_of(owner, &raw.name, &raw.ty),
        ..Field::default()
    };
    mine_field(&mut f, &raw.prose, siblings);
    // A stated constant ("always “photo”") is the field's only allowed value.
    if f.ty == "String" && f.allowed.is_none() {
        f.allowed = constant_value(&raw.prose).map(|c| vec![c]);
    }
    f
}

/// The field all `variants` share whose single allowed value differs between
/// them, with those values: the discriminator of a union of them.
fn constant_discriminator(variants: &[&TypeDef]) -> Option<(String, Vec<String>)> {
    let first = variants.first()?.fields.as_ref()?;
    first.iter().find_map(|candidate| {
        let values: Vec<String> = variants
            .iter()
            .map(|t| {
                let f = t
                    .fields
                    .as_ref()?
                    .iter()
                    .find(|f| f.name == candidate.name)?;
                match f.allowed.as_deref() {
                    Some([one]) => Some(one.clone()),
                    _ => None,
                }
            })
            .collect::<Option<_>>()?;
        let distinct: BTreeSet<&String> = values.iter().collect();
        (distinct.len() > 1).then(|| (candidate.name.clone(), values))
    })
}

fn fields(owner: &str, raw: &[RawField]) -> Vec<Field> {
    let names: Vec<&str> = raw.iter().map(|f| f.name.as_str()).collect();
    raw.iter().map(|f| field(owner, f, &names)).collect()
}

/// The value lists of an owner's string fields.
fn listed(owner: &str, raw: &[RawField], out: &mut Vec<Listed>) {
    for f in raw {
        if f.ty.trim_start_matches("Array of ") != "String" {
            continue;
        }
        if let Some(list) = value_list(&f.prose, &f.markup) {
            out.push(Listed {
                owner: owner.to_string(),
                field: f.name.clone(),
                list,
            });
        }
    }
}

/// The rules an owner's prose and its fields' prose state.
fn rules(prose: &str, raw: &[RawField], fields: &[Field]) -> Vec<crate::schema::Rule> {
    let mut found = type_rules(prose, fields);
    for f in raw {
        found.extend(field_rules(&f.name, &f.prose));
    }
    settle(found, fields)
}

/// The field all variants share whose value is a stated constant in each.
fn discriminator(variants: &[String], types: &[RawType]) -> Option<(String, Vec<String>)> {
    let objects: Vec<&Vec<RawField>> = variants
        .iter()
        .map(|v| {
            types
                .iter()
                .find(|t| &t.name == v)
                .and_then(|t| t.fields.as_ref())
        })
        .collect::<Option<_>>()?;
    let first = objects.first()?;
    first.iter().find_map(|candidate| {
        let values: Vec<String> = objects
            .iter()
            .map(|fs| {
                fs.iter()
                    .find(|f| f.name == candidate.name)
                    .and_then(|f| constant_value(&f.prose))
            })
            .collect::<Option<_>>()?;
        // Variants may share a value (cached and uncached inline results);
        // a field holding one value for all is no discriminator.
        let distinct: BTreeSet<&String> = values.iter().collect();
        (distinct.len() > 1 || values.len() == 1).then(|| (candidate.name.clone(), values))
    })
}

/// Preferred names of well-known anonymous unions; others join with `Or`.
fn synthetic_name(alts: &[TypeExpr]) -> String {
    let names: BTreeSet<String> = alts.iter().map(ToString::to_string).collect();
    let is = |list: &[&str]| names.len() == list.len() && list.iter().all(|n| names.contains(*n));
    if is(&["Integer", "String"]) {
        return "Recipient".into();
    }
    if is(&[
        "InlineKeyboardMarkup",
        "ReplyKeyboardMarkup",
        "ReplyKeyboardRemove",
        "ForceReply",
    ]) {
        return "ReplyMarkup".into();
    }
    if names.iter().all(|n| n.starts_with("InputMedia")) && names.len() >= 4 {
        if names.contains("InputMediaVoiceNote") {
            return "InputRichMedia".into();
        }
        if names.contains("InputMediaDocument") && !names.contains("InputMediaAnimation") {
            return "MediaGroupItem".into();
        }
    }
    alts.iter()
        .map(|e| e.to_string().replace("Array of ", "ArrayOf"))
        .collect::<Vec<_>>()
        .join("Or")
}

fn variant_name(expr: &TypeExpr, synthetic: &str) -> Option<String> {
    match (synthetic, expr) {
        ("Recipient", TypeExpr::Integer) => Some("Id".into()),
        ("Recipient", TypeExpr::String) => Some("Username".into()),
        ("ReplyMarkup", TypeExpr::Named(n)) => Some(
            match n.as_str() {
                "InlineKeyboardMarkup" => "Inline",
                "ReplyKeyboardMarkup" => "Keyboard",
                "ReplyKeyboardRemove" => "Remove",
                _ => "ForceReply",
            }
            .into(),
        ),
        (_, TypeExpr::Named(_)) => None,
        (_, other) => Some(
            other
                .to_string()
                .replace("Array of ", "ArrayOf")
                .replace(' ', ""),
        ),
    }
}

/// Convert a raw description into our model.
pub fn build(raw: &RawApi) -> Upstream {
    let mut found = Vec::new();
    for m in &raw.methods {
        listed(&m.name, &m.params, &mut found);
    }
    for t in &raw.types {
        listed(&t.name, t.fields.as_deref().unwrap_or_default(), &mut found);
    }
    let mut types: Vec<TypeDef> = raw
        .types
        .iter()
        .map(|t| {
            let union = t.variants.as_ref().map(|vs| {
                let disc = discriminator(vs, &raw.types);
                Union {
                    discriminator: disc.as_ref().map(|d| d.0.clone()),
                    variants: vs
                        .iter()
                        .enumerate()
                        .map(|(i, v)| Variant {
                            ty: v.clone(),
                            value: disc.as_ref().map(|d| d.1[i].clone()),
                            ..Variant::default()
                        })
                        .collect(),
                }
            });
            let own = t.fields.as_deref().map(|f| fields(&t.name, f));
            TypeDef {
                name: t.name.clone(),
                summary: String::new(),
                doc: Some(t.anchor.clone()),
                rules: match (&own, &t.fields) {
                    (Some(own), Some(raw)) => rules(&t.prose, raw, own),
                    _ => Vec::new(),
                },
                fields: own,
                union,
                ..TypeDef::default()
            }
        })
        .collect();
    let methods: Vec<Method> = raw
        .methods
        .iter()
        .map(|m| {
            let mut params = fields(&m.name, &m.params);
            if let Some(limit) = method_upload_limit(&m.prose) {
                if let Some(p) = params
                    .iter_mut()
                    .find(|p| p.required && p.ty.contains("InputFile"))
                {
                    p.max_upload = Some(limit);
                }
            }
            Method {
                // The rule; curated in the schema where it is wrong.
                idempotent: m.name.starts_with("get"),
                name: m.name.clone(),
                summary: String::new(),
                doc: m.anchor.clone(),
                returns: m.returns.clone(),
                rules: rules("", &m.params, &params),
                params,
                errors: Vec::new(),
                ..Method::default()
            }
        })
        .collect();
    add_synthetic(&mut types, &methods);
    Upstream {
        format: raw.format,
        version: raw.version.clone(),
        release_date: raw.release_date.clone(),
        methods,
        types,
        listed: found,
    }
}

/// Every `X or Y` (other than `InputFile or String`) needs a named union.
pub fn add_synthetic(types: &mut Vec<TypeDef>, methods: &[Method]) {
    // Each distinct set of alternatives, with the order of its first use.
    let mut sets: Vec<(BTreeSet<TypeExpr>, Vec<TypeExpr>)> = Vec::new();
    let mut exprs: Vec<&str> = methods.iter().map(|m| m.returns.as_str()).collect();
    exprs.extend(
        methods
            .iter()
            .flat_map(|m| m.params.iter().map(|p| p.ty.as_str())),
    );
    exprs.extend(
        types
            .iter()
            .flat_map(|t| t.fields.iter().flatten().map(|f| f.ty.as_str())),
    );
    for e in exprs.iter().filter_map(|s| TypeExpr::parse(s).ok()) {
        e.walk(&mut |x| {
            if let TypeExpr::Or(alts) = x {
                let set: BTreeSet<TypeExpr> = alts.iter().cloned().collect();
                if !set.contains(&TypeExpr::InputFile) && !sets.iter().any(|(s, _)| *s == set) {
                    sets.push((set, alts.clone()));
                }
            }
        });
    }
    for (set, alts) in sets {
        let exists = types.iter().any(|t| {
            t.synthetic
                && t.union.as_ref().is_some_and(|u| {
                    u.variants
                        .iter()
                        .filter_map(|v| TypeExpr::parse(&v.ty).ok())
                        .collect::<BTreeSet<_>>()
                        == set
                })
        });
        if exists {
            continue;
        }
        let name = synthetic_name(&alts);
        let members: Option<Vec<&TypeDef>> = alts
            .iter()
            .map(|e| match e {
                TypeExpr::Named(n) => types.iter().find(|t| &t.name == n && t.fields.is_some()),
                _ => None,
            })
            .collect();
        let disc = members.as_deref().and_then(constant_discriminator);
        types.push(TypeDef {
            name: name.clone(),
            summary: String::new(),
            doc: None,
            fields: None,
            union: Some(Union {
                discriminator: disc.as_ref().map(|d| d.0.clone()),
                variants: alts
                    .iter()
                    .enumerate()
                    .map(|(i, e)| Variant {
                        ty: e.to_string(),
                        value: disc.as_ref().map(|d| d.1[i].clone()),
                        name: variant_name(e, &name),
                        // A chat by number: its integer is a chat id.
                        id_of: (name == "Recipient" && *e == TypeExpr::Integer)
                            .then_some(IdKind::Chat),
                        ..Variant::default()
                    })
                    .collect(),
            }),
            synthetic: true,
            ..TypeDef::default()
        });
    }
}
