//! Every method, type, parameter and field that the Bot API 10.4 and 10.5
//! facts files (`../shared/upstream/bot-api-10.{4,5}-facts.md`, reference
//! data outside the repository) name as new is in `schema/api.json`, and
//! what they name as removed or renamed is gone; the freshness test then
//! ties the schema to the generated code. Skipped with a printed reason
//! where the facts files are absent; `tests/bot_api_10_5.rs` exercises the
//! same surface without them.

use std::path::{Path, PathBuf};

use botapi_codegen::schema::{Field, Schema};

fn facts(version: &str) -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../shared/upstream/bot-api-{version}-facts.md"));
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            eprintln!(
                "skipped: {} is absent (reference data lives outside the repository)",
                path.display()
            );
            None
        }
    }
}

fn schema() -> Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/api.json");
    botapi_codegen::schema::load::load_file(&path)
        .expect("schema/api.json")
        .schema
}

/// The lines of the section whose heading starts with `heading`.
fn section<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|l| !l.starts_with(heading))
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .collect()
}

/// Table rows of a section as their cells.
fn rows<'a>(lines: &[&'a str]) -> Vec<Vec<&'a str>> {
    lines
        .iter()
        .filter(|l| l.starts_with("| `"))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect()
}

/// Names written as `` `name`: `` (a parameter or field with its type).
fn typed_names(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = cell;
    while let Some(i) = rest.find('`') {
        let after = &rest[i + 1..];
        let Some(j) = after.find('`') else { break };
        let name = &after[..j];
        let tail = &after[j + 1..];
        if tail.starts_with(": ")
            && !name.is_empty()
            && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        {
            out.push(name.to_string());
        }
        rest = tail;
    }
    out
}

/// Names in backticks, snake_case only.
fn snake_names(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(str::to_string)
        .collect()
}

fn unquote(cell: &str) -> &str {
    cell.trim().trim_matches('`')
}

fn fields<'a>(s: &'a Schema, ty: &str) -> &'a [Field] {
    s.type_def(ty)
        .unwrap_or_else(|| panic!("type {ty} missing"))
        .fields
        .as_deref()
        .unwrap_or_else(|| panic!("{ty} is not an object"))
}

fn has_field(s: &Schema, ty: &str, name: &str) -> bool {
    fields(s, ty).iter().any(|f| f.name == name)
}

fn has_param(s: &Schema, method: &str, name: &str) -> bool {
    s.methods
        .iter()
        .find(|m| m.name == method)
        .unwrap_or_else(|| panic!("method {method} missing"))
        .params
        .iter()
        .any(|p| p.name == name)
}

/// New methods (with their parameters), new types (with their fields or
/// members) and new fields of one facts file; returns how many were checked.
fn check_new(s: &Schema, text: &str, missing: &mut Vec<String>) -> usize {
    let mut checked = 0;
    for row in rows(&section(text, "## New methods")) {
        let method = unquote(row[0]);
        checked += 1;
        if !s.methods.iter().any(|m| m.name == method) {
            missing.push(format!("method {method}"));
            continue;
        }
        for p in typed_names(row[2]) {
            checked += 1;
            if !has_param(s, method, &p) {
                missing.push(format!("{method}.{p}"));
            }
        }
    }
    for row in rows(&section(text, "## New types")) {
        let names: Vec<&str> = row[0].split(" / ").map(unquote).collect();
        for n in &names {
            checked += 1;
            if s.type_def(n).is_none() {
                missing.push(format!("type {n}"));
            }
        }
        if names.len() != 1 || s.type_def(names[0]).is_none() {
            continue;
        }
        let ty = s.type_def(names[0]).expect("checked above");
        if let Some(u) = &ty.union {
            // Members are listed by name: every one is a variant.
            for member in row[2].split([',', ' ']).filter(|w| {
                w.len() > names[0].len() && w.starts_with(names[0]) && s.type_def(w).is_some()
            }) {
                checked += 1;
                if !u.variants.iter().any(|v| v.ty == member) {
                    missing.push(format!("{}: variant {member}", names[0]));
                }
            }
            continue;
        }
        // What the file does not know stays out of the check.
        let known = row[2].split("Whether").next().unwrap_or_default();
        let mut wanted = typed_names(known);
        if let Some(moved) = known.split("**Moved from User**").nth(1) {
            let moved = moved
                .split("**Identity fields:**")
                .next()
                .unwrap_or_default();
            wanted.extend(snake_names(moved));
        }
        for f in wanted {
            checked += 1;
            if !has_field(s, names[0], &f) {
                missing.push(format!("{}.{f}", names[0]));
            }
        }
    }
    for row in rows(&section(text, "## New fields on existing types")) {
        let (ty, field) = unquote(row[0]).split_once('.').expect("Type.field");
        checked += 1;
        if !has_field(s, ty, field) {
            missing.push(format!("{ty}.{field}"));
        }
    }
    checked
}

#[test]
fn everything_new_in_10_4_is_in_the_schema() {
    let Some(text) = facts("10.4") else { return };
    let s = schema();
    let mut missing = Vec::new();
    let checked = check_new(&s, &text, &mut missing);
    eprintln!("{checked} facts checked");
    // Parameters added to existing methods.
    for line in section(&text, "## Changed parameters and types") {
        for method in ["verifyChat", "verifyUser"] {
            if line.starts_with(&format!("- `{method}`: adds")) {
                for p in typed_names(line) {
                    if !has_param(&s, method, &p) {
                        missing.push(format!("{method}.{p}"));
                    }
                }
            }
        }
    }
    // The rename: the new name everywhere, the old one an alias.
    let area = s.type_def("AreaPosition").expect("AreaPosition");
    assert!(area
        .renamed_from
        .iter()
        .any(|r| r.name == "StoryAreaPosition"));
    assert!(s.type_def("StoryAreaPosition").is_none());
    let position = fields(&s, "StoryArea")
        .iter()
        .find(|f| f.name == "position");
    assert_eq!(position.map(|f| f.ty.as_str()), Some("AreaPosition"));
    assert!(missing.is_empty(), "missing from the schema: {missing:#?}");
    assert!(
        checked > 150,
        "only {checked} facts found: did the file's layout change?"
    );
    assert_eq!(s.version, "10.5");
}

#[test]
fn everything_new_in_10_5_is_in_the_schema_and_the_removed_is_gone() {
    let Some(text) = facts("10.5") else { return };
    let s = schema();
    let mut missing = Vec::new();
    let checked = check_new(&s, &text, &mut missing);
    eprintln!("{checked} facts checked");
    assert!(missing.is_empty(), "missing from the schema: {missing:#?}");
    assert!(
        checked > 25,
        "only {checked} facts found: did the file's layout change?"
    );
    // The fields that left User are gone from it and are in BotFullInfo.
    let removed: Vec<String> = section(&text, "## Removed fields")
        .iter()
        .find(|l| l.contains("`User` loses"))
        .map(|l| {
            l.split("`BotFullInfo`:")
                .nth(1)
                .unwrap_or_default()
                .split(". ")
                .next()
                .unwrap_or_default()
                .split(',')
                .map(|w| w.trim().trim_end_matches('.').to_string())
                .filter(|w| !w.is_empty())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(removed.len(), 10, "{removed:?}");
    for f in &removed {
        assert!(!has_field(&s, "User", f), "User.{f} is still there");
        assert!(has_field(&s, "BotFullInfo", f), "BotFullInfo.{f} missing");
    }
    let get_me = s.methods.iter().find(|m| m.name == "getMe").expect("getMe");
    assert_eq!(get_me.returns, "BotFullInfo");
    assert!(get_me.previous_returns.iter().any(|r| r.ty == "User"));
    for ty in [
        "RichBlockExpandableBlockQuotation",
        "InputRichBlockExpandableBlockQuotation",
    ] {
        assert!(
            has_field(&s, ty, "blocks") && !has_field(&s, ty, "text"),
            "{ty}"
        );
    }
}
