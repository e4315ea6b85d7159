//! Readers for the two upstream formats: PaulSonOfLars' `api.json` (maps of
//! methods and types with structured returns and subtypes) and aiogram's
//! butcher `schema.json` (doc sections whose return types and union members
//! exist only in prose, derived here).

use serde_json::Value;

use super::raw::{
    iso_date, join_alternatives, normalize_type, RawApi, RawField, RawMethod, RawType,
};
use super::ImportError;

/// Read either format, telling them apart by their top-level keys.
pub fn parse(value: &Value) -> Result<RawApi, ImportError> {
    if value.get("methods").is_some_and(Value::is_object)
        && value.get("types").is_some_and(Value::is_object)
    {
        paul(value)
    } else if value.get("items").is_some_and(Value::is_array) && value.get("api").is_some() {
        aiogram(value)
    } else if value.get("objects").is_some_and(Value::is_array)
        && value.get("methods").is_some_and(Value::is_array)
        && value.get("version").is_some_and(Value::is_object)
    {
        ark0f(value)
    } else {
        Err(ImportError::Format(
            "neither PaulSonOfLars' api.json (`methods`/`types` maps), aiogram's schema.json (`api`/`items`) nor ark0f's custom_v2.json (`version`/`methods`/`objects`)".into(),
        ))
    }
}

fn s<'a>(v: &'a Value, key: &str, ctx: &str) -> Result<&'a str, ImportError> {
    v.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| ImportError::Format(format!("{ctx}: missing string `{key}`")))
}

fn anchor_of(href: &str, name: &str) -> String {
    href.rsplit_once('#').map_or_else(
        || format!("#{}", name.to_lowercase()),
        |(_, a)| format!("#{a}"),
    )
}

fn prose_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

fn paul(v: &Value) -> Result<RawApi, ImportError> {
    let version = s(v, "version", "top level")?
        .trim_start_matches("Bot API ")
        .to_string();
    let release_date = iso_date(s(v, "release_date", "top level")?);
    let field = |f: &Value, ctx: &str| -> Result<RawField, ImportError> {
        let types: Vec<String> = f
            .get("types")
            .and_then(Value::as_array)
            .ok_or_else(|| ImportError::Format(format!("{ctx}: missing `types`")))?
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect();
        Ok(RawField {
            name: s(f, "name", ctx)?.to_string(),
            ty: join_alternatives(&types),
            required: f.get("required").and_then(Value::as_bool).unwrap_or(false),
            prose: prose_of(f.get("description")),
            markup: String::new(),
        })
    };
    let mut methods = Vec::new();
    for (name, m) in v["methods"].as_object().into_iter().flatten() {
        let ctx = format!("method {name}");
        let returns: Vec<String> = m
            .get("returns")
            .and_then(Value::as_array)
            .ok_or_else(|| ImportError::Format(format!("{ctx}: missing `returns`")))?
            .iter()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect();
        let params = m
            .get("fields")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|f| field(f, &ctx))
            .collect::<Result<_, _>>()?;
        methods.push(RawMethod {
            name: name.clone(),
            anchor: anchor_of(m.get("href").and_then(Value::as_str).unwrap_or(""), name),
            // Paul's format writes `Boolean` for the docs' "Returns True".
            returns: join_alternatives(&returns).replace("Boolean", "True"),
            params,
            prose: prose_of(m.get("description")),
        });
    }
    let mut types = Vec::new();
    for (name, t) in v["types"].as_object().into_iter().flatten() {
        if name == "InputFile" {
            continue; // a built-in of our grammar
        }
        let ctx = format!("type {name}");
        let variants = t.get("subtypes").and_then(Value::as_array).map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        });
        let fields = match &variants {
            Some(_) => None,
            None => Some(
                t.get("fields")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|f| field(f, &ctx))
                    .collect::<Result<_, _>>()?,
            ),
        };
        types.push(RawType {
            name: name.clone(),
            anchor: anchor_of(t.get("href").and_then(Value::as_str).unwrap_or(""), name),
            fields,
            variants,
            prose: prose_of(t.get("description")),
        });
    }
    Ok(RawApi {
        format: "PaulSonOfLars api.json",
        version,
        release_date,
        methods,
        types,
    })
}

/// A `type_info` of ark0f's format in our grammar.
fn ark0f_type(ti: &Value, ctx: &str) -> Result<String, ImportError> {
    let kind = s(ti, "type", ctx)?;
    Ok(match kind {
        "integer" => "Integer".into(),
        "float" => "Float".into(),
        "string" => "String".into(),
        "bool" => {
            // A flag that can only be true is written with `default: true`.
            if ti.get("default") == Some(&Value::Bool(true)) {
                "True".into()
            } else {
                "Boolean".into()
            }
        }
        "reference" => s(ti, "reference", ctx)?.to_string(),
        "array" => {
            let inner = ark0f_type(&ti["array"], ctx)?;
            if inner.contains(" or ") {
                format!("Array of ({inner})")
            } else {
                format!("Array of {inner}")
            }
        }
        "any_of" => ti
            .get("any_of")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|x| ark0f_type(x, ctx))
            .collect::<Result<Vec<_>, _>>()?
            .join(" or "),
        other => {
            return Err(ImportError::Format(format!(
                "{ctx}: unknown type kind `{other}`"
            )))
        }
    })
}

/// ark0f's `custom_v2.json` (lists of methods and objects with structured
/// type info). Its constraints are not read: the prose is mined like the
/// other formats', so all three are treated alike.
fn ark0f(v: &Value) -> Result<RawApi, ImportError> {
    let ver = &v["version"];
    let num = |k: &str| ver.get(k).and_then(Value::as_u64).unwrap_or(0);
    let version = if num("patch") > 0 {
        format!("{}.{}.{}", num("major"), num("minor"), num("patch"))
    } else {
        format!("{}.{}", num("major"), num("minor"))
    };
    let rc = &v["recent_changes"];
    let date_part = |k: &str| rc.get(k).and_then(Value::as_u64).unwrap_or(0);
    let release_date = format!(
        "{:04}-{:02}-{:02}",
        date_part("year"),
        date_part("month"),
        date_part("day")
    );
    let field = |f: &Value, ctx: &str| -> Result<RawField, ImportError> {
        Ok(RawField {
            name: s(f, "name", ctx)?.to_string(),
            ty: ark0f_type(&f["type_info"], ctx)?,
            required: f.get("required").and_then(Value::as_bool).unwrap_or(false),
            prose: prose_of(f.get("description")),
            markup: String::new(),
        })
    };
    let mut methods = Vec::new();
    for m in v["methods"].as_array().into_iter().flatten() {
        let name = s(m, "name", "method")?;
        let ctx = format!("method {name}");
        methods.push(RawMethod {
            name: name.to_string(),
            anchor: anchor_of(
                m.get("documentation_link")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
                name,
            ),
            returns: ark0f_type(&m["return_type"], &ctx)?.replace("Boolean", "True"),
            params: m
                .get("arguments")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|a| field(a, &ctx))
                .collect::<Result<_, _>>()?,
            prose: prose_of(m.get("description")),
        });
    }
    let mut types = Vec::new();
    for o in v["objects"].as_array().into_iter().flatten() {
        let name = s(o, "name", "object")?;
        let ctx = format!("type {name}");
        let anchor = anchor_of(
            o.get("documentation_link")
                .and_then(Value::as_str)
                .unwrap_or(""),
            name,
        );
        match o.get("type").and_then(Value::as_str) {
            Some("unknown") if name == "InputFile" => {}
            Some("any_of") => types.push(RawType {
                name: name.to_string(),
                anchor,
                fields: None,
                variants: Some(
                    o.get("any_of")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .map(|x| ark0f_type(x, &ctx))
                        .collect::<Result<_, _>>()?,
                ),
                prose: prose_of(o.get("description")),
            }),
            _ => types.push(RawType {
                name: name.to_string(),
                anchor,
                fields: Some(
                    o.get("properties")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .map(|f| field(f, &ctx))
                        .collect::<Result<_, _>>()?,
                ),
                variants: None,
                prose: prose_of(o.get("description")),
            }),
        }
    }
    Ok(RawApi {
        format: "ark0f custom_v2.json",
        version,
        release_date,
        methods,
        types,
    })
}

fn aiogram(v: &Value) -> Result<RawApi, ImportError> {
    let api = &v["api"];
    let version = s(api, "version", "api")?.to_string();
    let release_date = iso_date(s(api, "release_date", "api")?);
    let mut children = Vec::new();
    for section in v["items"].as_array().into_iter().flatten() {
        for child in section
            .get("children")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            children.push(child);
        }
    }
    let type_names: Vec<&str> = children
        .iter()
        .filter(|c| c.get("category").and_then(Value::as_str) == Some("types"))
        .filter_map(|c| c.get("name").and_then(Value::as_str))
        .collect();
    let mut methods = Vec::new();
    let mut types = Vec::new();
    for c in &children {
        let name = s(c, "name", "item")?;
        let ctx = format!("item {name}");
        let category = s(c, "category", &ctx)?;
        let anchor = format!(
            "#{}",
            c.get("anchor")
                .and_then(Value::as_str)
                .unwrap_or(&name.to_lowercase())
        );
        let prose = prose_of(c.get("description"));
        let fields: Vec<RawField> = c
            .get("annotations")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|a| {
                Ok(RawField {
                    name: s(a, "name", &ctx)?.to_string(),
                    ty: normalize_type(s(a, "type", &ctx)?),
                    required: a.get("required").and_then(Value::as_bool).unwrap_or(false),
                    prose: prose_of(a.get("description")),
                    markup: prose_of(a.get("rst_description")),
                })
            })
            .collect::<Result<_, ImportError>>()?;
        match category {
            "methods" => methods.push(RawMethod {
                name: name.to_string(),
                anchor,
                returns: derive_returns(&prose, &type_names).ok_or_else(|| {
                    ImportError::Format(format!("{ctx}: no return type found in its description"))
                })?,
                params: fields,
                prose,
            }),
            "types" if name == "InputFile" => {}
            "types" => {
                let listed = listed_variants(&prose, &type_names);
                let union = fields.is_empty() && !listed.is_empty();
                types.push(RawType {
                    name: name.to_string(),
                    anchor,
                    fields: (!union).then_some(fields),
                    variants: union.then_some(listed),
                    prose,
                });
            }
            other => {
                return Err(ImportError::Format(format!(
                    "{ctx}: unknown category `{other}`"
                )))
            }
        }
    }
    Ok(RawApi {
        format: "aiogram schema.json",
        version,
        release_date,
        methods,
        types,
    })
}

/// Union members listed in a type's prose as lines `- TypeName`.
fn listed_variants(prose: &str, types: &[&str]) -> Vec<String> {
    prose
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- "))
        .map(|l| l.trim().trim_matches(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|n| types.contains(n))
        .map(str::to_string)
        .collect()
}

/// Derive a return type from the sentences of a method's prose that speak of
/// returning: known type names (and True/Integer/String) in order of
/// appearance, `Array of` where "array of" precedes one (plurals accepted).
pub fn derive_returns(prose: &str, types: &[&str]) -> Option<String> {
    let mut found: Vec<String> = Vec::new();
    for sentence in prose.split_inclusive(['.', '\n']) {
        let lower = sentence.to_lowercase();
        if !lower.contains("return")
            || lower.contains("returns an error")
            || lower.contains("return error")
        {
            continue;
        }
        let words: Vec<&str> = sentence
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        for (i, w) in words.iter().enumerate() {
            let base = match *w {
                "True" => Some("True".to_string()),
                "Int" | "Integer" => Some("Integer".to_string()),
                "String" => Some("String".to_string()),
                _ if types.contains(w) => Some(w.to_string()),
                _ => w
                    .strip_suffix('s')
                    .filter(|b| types.contains(b))
                    .map(str::to_string),
            };
            let Some(base) = base else { continue };
            let array = i >= 2
                && words[i - 1].eq_ignore_ascii_case("of")
                && words[i - 2].eq_ignore_ascii_case("array");
            let ty = if array {
                format!("Array of {base}")
            } else {
                base
            };
            if !found.contains(&ty) {
                found.push(ty);
            }
        }
    }
    (!found.is_empty()).then(|| found.join(" or "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPES: &[&str] = &[
        "Message",
        "Update",
        "UserProfilePhotos",
        "MessageId",
        "ChatMember",
    ];

    #[test]
    fn derives_return_types_from_prose() {
        let r = |p: &str| derive_returns(p, TYPES);
        assert_eq!(
            r("Does a thing. Returns True on success.").as_deref(),
            Some("True")
        );
        assert_eq!(
            r("Sends it. On success, the sent Message is returned.").as_deref(),
            Some("Message")
        );
        assert_eq!(
            r("Gives back an Array of Update objects, the method returns them.").as_deref(),
            Some("Array of Update")
        );
        assert_eq!(
            r("On success, an array of Messages that were sent is returned.").as_deref(),
            Some("Array of Message")
        );
        assert_eq!(
            r("When it worked the changed Message is returned, otherwise True is returned.")
                .as_deref(),
            Some("Message or True")
        );
        assert_eq!(
            r("Members cannot return on their own. Returns True on success.").as_deref(),
            Some("True")
        );
        assert_eq!(r("Returns Int on success.").as_deref(), Some("Integer"));
        assert_eq!(r("Nothing to see here."), None);
    }

    #[test]
    fn finds_listed_variants() {
        let prose = "One of these:\n - ChatMember\n - Message\n - NotAType";
        assert_eq!(listed_variants(prose, TYPES), ["ChatMember", "Message"]);
    }

    #[test]
    fn rejects_unknown_shapes() {
        assert!(parse(&serde_json::json!({"foo": 1})).is_err());
        assert!(
            parse(&serde_json::json!({"methods": {}, "types": {}})).is_err(),
            "no version"
        );
    }
}
