//! Named value sets (`enums`) and the fields that use them (`enum_type`),
//! made after the merge from the value lists mined from upstream prose, and
//! the coverage of those lists.
//!
//! Which set a string field gets, first match wins:
//! 1. a name rule ([`name_rule`]): every `parse_mode` and `*_parse_mode` is
//!    a `ParseMode`, every `allowed_updates` an `UpdateType` (when the schema
//!    defines that set);
//! 2. a curated assignment: the field already names a `curated` set (kept on
//!    re-import, also where the prose lists nothing, like `Dice.emoji`);
//! 3. its listed values, unless the list is only examples or a deliberate
//!    exception ([`EXCEPTIONS`]): the curated set with the same values, else
//!    a set of its own named `<Owner><Field>` (shared by every field listing
//!    the same values), which keeps its summary and value names across
//!    imports.
//!
//! A curated set learns the values upstream lists for a field assigned to
//! it (each one reported). A set no field uses any more is dropped unless it
//! is curated.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;

use super::mine::ValueList;
use crate::schema::{EnumDef, EnumValue, Field, Schema};

/// The values upstream prose lists for one string field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Method or type name.
    pub owner: String,
    /// Parameter or field name.
    pub field: String,
    /// What the prose lists.
    pub list: ValueList,
}

/// The set a field takes by its name alone: every `parse_mode` and
/// `*_parse_mode` a `ParseMode`, every `allowed_updates` an `UpdateType`.
pub fn name_rule(field: &str) -> Option<&'static str> {
    if field == "parse_mode" || field.ends_with("_parse_mode") {
        Some("ParseMode")
    } else if field == "allowed_updates" {
        Some("UpdateType")
    } else {
        None
    }
}

/// Fields whose prose quotes values that are not the field's values, with
/// the reason (ours). `*` stands for any owner.
pub const EXCEPTIONS: &[(&str, &str)] = &[
    (
        "*.text_parse_mode",
        "the quoted values are the entity kinds the text keeps; the field is a ParseMode",
    ),
    (
        "InputSticker.keywords",
        "the quoted values name the sticker types that take keywords; keywords are free text",
    ),
    (
        "EncryptedPassportElement.data",
        "the quoted values name the element types that carry data; the field is encrypted data",
    ),
];

/// The reason given for a list of examples.
pub const EXAMPLES: &str = "the prose gives examples, not the set of values";

/// Why `owner.field` is a deliberate exception, if it is one.
pub fn exception(owner: &str, field: &str) -> Option<&'static str> {
    EXCEPTIONS.iter().find_map(|(at, why)| {
        let (o, f) = at.split_once('.')?;
        ((o == "*" || o == owner) && f == field).then_some(*why)
    })
}

/// How the value lists of upstream prose are covered by named sets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnumCoverage {
    /// Fields whose prose lists values.
    pub listed: usize,
    /// Of those, fields with an `enum_type` that holds every listed value.
    pub covered: usize,
    /// Deliberate exceptions: `Owner.field` and why.
    pub exceptions: Vec<(String, String)>,
    /// Fields with listed values and no set holding them (none, normally).
    pub uncovered: Vec<String>,
    /// Named sets in the schema.
    pub sets: usize,
    /// Fields and parameters with an `enum_type`, listed or not.
    pub with_enum_type: usize,
}

/// Every field of the schema with its owner: types first, then methods.
fn all_fields(schema: &mut Schema) -> Vec<(String, &mut Field)> {
    let mut out: Vec<(String, &mut Field)> = Vec::new();
    for t in &mut schema.types {
        let name = t.name.clone();
        for f in t.fields.iter_mut().flatten() {
            out.push((name.clone(), f));
        }
    }
    for m in &mut schema.methods {
        let name = m.name.clone();
        for f in &mut m.params {
            out.push((name.clone(), f));
        }
    }
    out
}

fn value_set(values: &[String]) -> BTreeSet<&str> {
    values.iter().map(String::as_str).collect()
}

fn def_values(e: &EnumDef) -> Vec<String> {
    e.values.iter().map(|v| v.value.clone()).collect()
}

/// The wire names of a set's values; for a `parts_of` set, the optional
/// fields of that type.
fn known_values(schema: &Schema, e: &EnumDef) -> Vec<String> {
    match &e.parts_of {
        Some(owner) => schema
            .type_def(owner)
            .and_then(|t| t.fields.as_ref())
            .map(|fs| {
                fs.iter()
                    .filter(|f| !f.required)
                    .map(|f| f.name.clone())
                    .collect()
            })
            .unwrap_or_default(),
        None => def_values(e),
    }
}

/// A name for a set first listed at `owner.field`, free among types and sets.
fn fresh_name(schema: &Schema, taken: &[EnumDef], owner: &str, field: &str) -> String {
    let base = format!(
        "{}{}",
        owner.to_upper_camel_case(),
        field.to_upper_camel_case()
    );
    let free = |n: &str| schema.type_def(n).is_none() && !taken.iter().any(|e| e.name == n);
    if free(&base) {
        return base;
    }
    (2..)
        .map(|i| format!("{base}{i}"))
        .find(|n| free(n))
        .unwrap_or(base)
}

/// Give named sets to the fields of `schema` (the merged schema, whose
/// `enums` are the previous schema's) from the value lists of upstream
/// prose. Returns the coverage and one note per value a curated set learnt.
pub fn assign(schema: &mut Schema, listed: &[Listed]) -> (EnumCoverage, Vec<String>) {
    let previous = std::mem::take(&mut schema.enums);
    let curated: Vec<EnumDef> = previous
        .iter()
        .filter(|e| e.curated.is_some())
        .cloned()
        .collect();
    let mut sets: Vec<EnumDef> = curated.clone();
    let mut notes = Vec::new();
    let lookup = |owner: &str, field: &str| {
        listed
            .iter()
            .find(|l| l.owner == owner && l.field == field)
            .map(|l| &l.list)
    };
    let view = schema.clone();
    for (owner, f) in all_fields(schema) {
        let prior = f.enum_type.take();
        let leaf_is_string = f.ty.trim_start_matches("Array of ") == "String";
        if !leaf_is_string {
            continue;
        }
        if let Some(set) = name_rule(&f.name).filter(|n| sets.iter().any(|e| e.name == *n)) {
            f.enum_type = Some(set.to_string());
            continue;
        }
        let list =
            lookup(&owner, &f.name).filter(|l| !l.examples && exception(&owner, &f.name).is_none());
        if let Some(name) = prior.filter(|p| curated.iter().any(|e| &e.name == p)) {
            if let (Some(list), Some(set)) = (list, sets.iter_mut().find(|e| e.name == name)) {
                for v in &list.values {
                    if set.parts_of.is_none() && !set.values.iter().any(|x| &x.value == v) {
                        notes.push(format!(
                            "{owner}.{}: value `{v}` added to the curated set {name}",
                            f.name
                        ));
                        set.values.push(EnumValue {
                            value: v.clone(),
                            ..EnumValue::default()
                        });
                    }
                }
            }
            f.enum_type = Some(name);
            continue;
        }
        let Some(list) = list else { continue };
        let wanted = value_set(&list.values);
        let same = sets
            .iter()
            .filter(|e| e.parts_of.is_none())
            .find(|e| value_set(&def_values(e)) == wanted);
        let name = match same {
            Some(e) => e.name.clone(),
            None => {
                // A set made by an earlier import keeps its name (and so its
                // summary and value names); a new one is named after the
                // first field listing it.
                let earlier = previous.iter().find(|e| {
                    e.curated.is_none()
                        && e.parts_of.is_none()
                        && value_set(&def_values(e)) == wanted
                        && !sets.iter().any(|s| s.name == e.name)
                });
                let name = earlier.map_or_else(
                    || fresh_name(&view, &sets, &owner, &f.name),
                    |e| e.name.clone(),
                );
                let before = previous.iter().find(|e| e.name == name);
                sets.push(EnumDef {
                    name: name.clone(),
                    summary: before.map(|e| e.summary.clone()).unwrap_or_default(),
                    values: list
                        .values
                        .iter()
                        .map(|v| {
                            before
                                .and_then(|e| e.values.iter().find(|x| &x.value == v))
                                .cloned()
                                .unwrap_or_else(|| EnumValue {
                                    value: v.clone(),
                                    ..EnumValue::default()
                                })
                        })
                        .collect(),
                    parts_of: None,
                    curated: None,
                });
                name
            }
        };
        f.enum_type = Some(name);
    }
    // Previous order first (curated and mined alike), then new sets.
    let used: BTreeSet<String> = all_fields(schema)
        .into_iter()
        .filter_map(|(_, f)| f.enum_type.clone())
        .collect();
    let mut ordered: Vec<EnumDef> = Vec::new();
    for p in &previous {
        if let Some(e) = sets.iter().find(|e| e.name == p.name) {
            ordered.push(e.clone());
        }
    }
    for e in &sets {
        if !ordered.iter().any(|o| o.name == e.name) {
            ordered.push(e.clone());
        }
    }
    ordered.retain(|e| e.curated.is_some() || used.contains(&e.name));
    schema.enums = ordered;
    (coverage(schema, listed), notes)
}

/// The coverage of `listed` by the named sets of `schema`.
pub fn coverage(schema: &Schema, listed: &[Listed]) -> EnumCoverage {
    let mut out = EnumCoverage {
        sets: schema.enums.len(),
        ..EnumCoverage::default()
    };
    let field = |owner: &str, name: &str| -> Option<&Field> {
        schema
            .type_def(owner)
            .and_then(|t| t.fields.as_ref())
            .or_else(|| {
                schema
                    .methods
                    .iter()
                    .find(|m| m.name == owner)
                    .map(|m| &m.params)
            })?
            .iter()
            .find(|f| f.name == name)
    };
    out.with_enum_type = schema
        .methods
        .iter()
        .flat_map(|m| &m.params)
        .chain(schema.types.iter().flat_map(|t| t.fields.iter().flatten()))
        .filter(|f| f.enum_type.is_some())
        .count();
    for l in listed {
        let Some(f) = field(&l.owner, &l.field) else {
            continue;
        };
        out.listed += 1;
        let at = format!("{}.{}", l.owner, l.field);
        if let Some(why) = exception(&l.owner, &l.field) {
            out.exceptions.push((at, why.to_string()));
            continue;
        }
        let holds = f
            .enum_type
            .as_deref()
            .and_then(|n| schema.enum_def(n))
            .is_some_and(|e| {
                let known = known_values(schema, e);
                l.list.values.iter().all(|v| known.contains(v))
            });
        if holds {
            out.covered += 1;
        } else if l.list.examples {
            out.exceptions.push((at, EXAMPLES.to_string()));
        } else {
            out.uncovered
                .push(format!("{at} ({})", l.list.values.join(", ")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exceptions_match_owner_or_any() {
        assert!(exception("sendGift", "text_parse_mode").is_some());
        assert!(exception("InputSticker", "keywords").is_some());
        assert!(exception("Sticker", "keywords").is_none());
    }
}
