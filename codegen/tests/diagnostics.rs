//! One test per diagnostic kind: each asserts the message, the JSON path and
//! the line:column it points at. Schemas are written one item per line so
//! the expected positions can be read off the source.

use botapi_codegen::check::check;
use botapi_codegen::schema::load::load_str;
use botapi_codegen::Diagnostic;

const HEAD: &str =
    r#"{"version": "1", "release_date": "2026-01-01", "doc_url": "https://x.invalid/","#;

/// Build a schema whose line 2 holds `errors`, line 3 `methods`, line 4+ `types`.
fn schema(errors: &str, methods: &str, types: &str) -> String {
    format!(
        "{HEAD}\n\"errors\": [{errors}],\n\"methods\": [{methods}],\n\"types\": [\n{types}\n]}}"
    )
}

const USER: &str = r##"{"name": "User", "summary": "A person.", "doc": "#user", "fields": [{"name": "id", "type": "Integer", "required": true, "summary": "Id."}]}"##;

fn method(params: &str) -> String {
    format!(
        r##"{{"name": "getUser", "summary": "Gets one.", "doc": "#getuser", "returns": "User", "params": [{params}]}}"##
    )
}

/// All diagnostics of a schema (load errors or check errors).
fn diags(src: &str) -> Vec<Diagnostic> {
    match load_str("api.json", src) {
        Err(d) => d.0,
        Ok(loaded) => check(&loaded).err().map(|d| d.0).unwrap_or_default(),
    }
}

fn only(src: &str) -> Diagnostic {
    let d = diags(src);
    assert_eq!(d.len(), 1, "expected one diagnostic, got: {d:#?}");
    d.into_iter().next().expect("one")
}

fn assert_diag(d: &Diagnostic, line: usize, column: usize, path: &str, message: &str) {
    assert_eq!((d.line, d.column), (line, column), "position of {d}");
    assert_eq!(d.path, path, "path of {d}");
    assert!(
        d.message.contains(message),
        "message `{}` lacks `{message}`",
        d.message
    );
    assert!(d.hint.is_some(), "no hint on {d}");
    let shown = d.to_string();
    assert!(
        shown.starts_with(&format!("api.json:{line}:{column}: error")),
        "{shown}"
    );
}

#[test]
fn valid_schema_has_no_diagnostics() {
    assert!(diags(&schema("", &method(""), USER)).is_empty());
}

#[test]
fn json_syntax_error() {
    let src = format!("{HEAD}\n\"errors\": []\n\"methods\": []}}");
    let d = only(&src);
    assert_diag(&d, 3, 1, "", "expected `,` or `}`");
}

#[test]
fn unknown_key() {
    let types = r##"{"name": "User", "summary": "A person.", "doc": "#user", "feilds": []}"##;
    let d = only(&schema("", "", types));
    assert_diag(&d, 5, 58, "types[0].feilds", "unknown field `feilds`");
}

#[test]
fn missing_key() {
    let types = r##"{"name": "User", "doc": "#user", "fields": []}"##;
    let d = only(&schema("", "", types));
    assert_diag(&d, 5, 1, "types[0]", "missing field `summary`");
}

#[test]
fn wrong_value_type() {
    let d = only(&schema(
        "",
        &method(r#"{"name": "id", "type": "Integer", "required": "yes", "summary": "Id."}"#),
        USER,
    ));
    assert_eq!(d.path, "methods[0].params[0].required");
    assert!(
        d.message
            .contains("invalid type: string \"yes\", expected a boolean"),
        "{}",
        d.message
    );
    assert_eq!((d.line, d.column), (3, 140));
}

#[test]
fn unknown_type_reference() {
    let d = only(&schema(
        "",
        &method(r#"{"name": "u", "type": "Usr", "summary": "Who."}"#),
        USER,
    ));
    assert_diag(
        &d,
        3,
        120,
        "methods[0].params[0].type",
        "unknown type `Usr`",
    );
    assert!(d
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("did you mean `User`"));
}

#[test]
fn type_expression_syntax() {
    let d = only(&schema(
        "",
        &method(r#"{"name": "u", "type": "Array User", "summary": "Who."}"#),
        USER,
    ));
    assert_diag(
        &d,
        3,
        120,
        "methods[0].params[0].type",
        "expected `of` after `Array`",
    );
}

#[test]
fn duplicate_method() {
    let m = method("");
    let d = only(&schema("", &format!("{m},\n{m}"), USER));
    assert_diag(
        &d,
        4,
        2,
        "methods[1].name",
        "duplicate method `getUser` (first at methods[0])",
    );
}

#[test]
fn duplicate_type() {
    let d = only(&schema("", "", &format!("{USER},\n{USER}")));
    assert_diag(&d, 6, 2, "types[1].name", "duplicate type `User`");
}

#[test]
fn duplicate_field() {
    let types = r##"{"name": "User", "summary": "A person.", "doc": "#user", "fields": [
{"name": "id", "type": "Integer", "summary": "Id."},
{"name": "id", "type": "String", "summary": "Id again."}]}"##;
    let d = only(&schema("", "", types));
    assert_diag(&d, 7, 2, "types[0].fields[1].name", "duplicate field `id`");
}

#[test]
fn duplicate_parameter() {
    let p = r#"{"name": "limit", "type": "Integer", "summary": "Size."}"#;
    let d = only(&schema("", &method(&format!("{p}, {p}")), USER));
    assert_diag(
        &d,
        3,
        165,
        "methods[0].params[1].name",
        "duplicate parameter `limit`",
    );
}

#[test]
fn min_greater_than_max() {
    let d = only(&schema(
        "",
        &method(
            r#"{"name": "limit", "type": "Integer", "summary": "Size.", "min": 100, "max": 1}"#,
        ),
        USER,
    ));
    assert_diag(
        &d,
        3,
        163,
        "methods[0].params[0].min",
        "`min` (100) is greater than its maximum (1)",
    );
}

#[test]
fn default_outside_range() {
    let d = only(&schema(
        "",
        &method(
            r#"{"name": "limit", "type": "Integer", "summary": "Size.", "min": 1, "max": 100, "default": 101}"#,
        ),
        USER,
    ));
    assert_diag(
        &d,
        3,
        185,
        "methods[0].params[0].default",
        "default 101 breaks its own range",
    );
}

#[test]
fn default_not_allowed_value() {
    let d = only(&schema(
        "",
        &method(
            r#"{"name": "mode", "type": "String", "summary": "Markup.", "enum": ["HTML"], "default": "BBCode"}"#,
        ),
        USER,
    ));
    assert_diag(
        &d,
        3,
        181,
        "methods[0].params[0].default",
        "default \"BBCode\" is not among the allowed values (HTML)",
    );
}

#[test]
fn default_of_wrong_type() {
    let d = only(&schema(
        "",
        &method(r#"{"name": "limit", "type": "Integer", "summary": "Size.", "default": "ten"}"#),
        USER,
    ));
    assert_diag(
        &d,
        3,
        163,
        "methods[0].params[0].default",
        "default \"ten\" does not have type `Integer`",
    );
}

#[test]
fn constraint_on_wrong_type() {
    let d = only(&schema(
        "",
        &method(
            r#"{"name": "flag", "type": "Boolean", "summary": "On.", "max_len": 3, "len_unit": "chars"}"#,
        ),
        USER,
    ));
    assert_diag(
        &d,
        3,
        106,
        "methods[0].params[0]",
        "`max_len` does not apply to type `Boolean`",
    );
}

#[test]
fn length_without_unit() {
    let d = only(&schema(
        "",
        &method(r#"{"name": "text", "type": "String", "summary": "Body.", "max_len": 3}"#),
        USER,
    ));
    assert_diag(
        &d,
        3,
        106,
        "methods[0].params[0]",
        "a length limit without `len_unit`",
    );
}

#[test]
fn parsed_with_unknown_sibling() {
    let d = only(&schema(
        "",
        &method(
            r#"{"name": "text", "type": "String", "summary": "Body.", "max_len": 3, "len_unit": "chars", "len_parsed_with": "parse_mode"}"#,
        ),
        USER,
    ));
    assert_diag(
        &d,
        3,
        196,
        "methods[0].params[0].len_parsed_with",
        "no sibling `parse_mode`",
    );
}

const ORIGIN: &str = r##"{"name": "OriginUser", "summary": "From a user.", "doc": "#originuser", "fields": [{"name": "type", "type": "String", "required": true, "summary": "Tag."}]}"##;

#[test]
fn tagged_variant_not_an_object() {
    let u = r##"{"name": "Origin", "summary": "Where from.", "doc": "#origin", "union": {"discriminator": "type", "variants": [{"type": "Integer", "value": "n"}]}}"##;
    let d = only(&schema("", "", u));
    assert_diag(
        &d,
        5,
        113,
        "types[0].union.variants[0].type",
        "variant `Integer` of tagged union `Origin` is not an object type",
    );
}

#[test]
fn tagged_variant_lacks_value() {
    let u = r##"{"name": "Origin", "summary": "Where from.", "doc": "#origin", "union": {"discriminator": "type", "variants": [{"type": "OriginUser"}]}}"##;
    let d = only(&schema("", "", &format!("{u},\n{ORIGIN}")));
    assert_diag(
        &d,
        5,
        112,
        "types[0].union.variants[0]",
        "variant `OriginUser` of `Origin` lacks its discriminator value",
    );
}

#[test]
fn tagged_variant_lacks_discriminator_field() {
    let u = r##"{"name": "Origin", "summary": "Where from.", "doc": "#origin", "union": {"discriminator": "kind", "variants": [{"type": "OriginUser", "value": "user"}]}}"##;
    let d = only(&schema("", "", &format!("{u},\n{ORIGIN}")));
    assert_diag(
        &d,
        5,
        113,
        "types[0].union.variants[0].type",
        "variant `OriginUser` has no discriminator field `kind`",
    );
}

#[test]
fn unknown_error_reference() {
    let e = r#"{"name": "ChatNotFound", "code": 400, "description": "Bad Request: chat not found", "summary": "No such chat."}"#;
    let m = r##"{"name": "getUser", "summary": "Gets one.", "doc": "#getuser", "returns": "User", "errors": ["ChatNotFund"]}"##;
    let d = only(&schema(e, m, USER));
    assert_diag(
        &d,
        3,
        106,
        "methods[0].errors[0]",
        "unknown error `ChatNotFund`",
    );
    assert!(d
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("did you mean `ChatNotFound`"));
}

#[test]
fn unnamed_alternatives() {
    let d = only(&schema(
        "",
        &method(r#"{"name": "chat_id", "type": "Integer or String", "summary": "Chat."}"#),
        USER,
    ));
    assert_diag(
        &d,
        3,
        126,
        "methods[0].params[0].type",
        "`Integer or String` has no name",
    );
}

#[test]
fn hostile_identifier_is_refused() {
    let types = r##"{"name": "x; fn evil() {}", "summary": "Hostile.", "doc": "#x", "fields": [{"name": "a\"); evil(); (\"", "type": "String", "summary": "Also hostile."}]}"##;
    let d = diags(&schema("", "", types));
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_diag(
        &d[0],
        5,
        2,
        "types[0].name",
        "type name `x; fn evil() {}` is not an UpperCamelCase identifier",
    );
    assert_diag(
        &d[1],
        5,
        77,
        "types[0].fields[0].name",
        "is not a snake_case name",
    );
}

#[test]
fn empty_summary() {
    let types = r##"{"name": "User", "summary": " ", "doc": "#user", "fields": []}"##;
    let d = only(&schema("", "", types));
    assert_diag(&d, 5, 18, "types[0].summary", "the summary is empty");
}

#[test]
fn bad_doc_anchor() {
    let types = r##"{"name": "User", "summary": "A person.", "doc": "user", "fields": []}"##;
    let d = only(&schema("", "", types));
    assert_diag(&d, 5, 42, "types[0].doc", "`user` is not a doc anchor");
}

#[test]
fn every_problem_is_reported_at_once() {
    let m = r##"{"name": "getUser", "summary": "Gets one.", "doc": "#getuser", "returns": "Usr", "errors": ["Nope"], "params": [{"name": "limit", "type": "Integer", "summary": "Size.", "min": 5, "max": 1}]}"##;
    let types = format!("{USER},\n{USER}");
    let d = diags(&schema("", m, &types));
    let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(d.len(), 4, "{messages:#?}");
    assert!(messages.iter().any(|m| m.contains("duplicate type")));
    assert!(messages.iter().any(|m| m.contains("unknown type `Usr`")));
    assert!(messages.iter().any(|m| m.contains("unknown error `Nope`")));
    assert!(messages
        .iter()
        .any(|m| m.contains("greater than its maximum")));
}

#[test]
fn variant_tagged_twice_differently() {
    let a = r##"{"name": "Origin", "summary": "Where from.", "doc": "#origin", "union": {"discriminator": "type", "variants": [{"type": "OriginUser", "value": "user"}]}}"##;
    let b = r##"{"name": "Source", "summary": "Who sent.", "doc": "#source", "union": {"discriminator": "type", "variants": [{"type": "OriginUser", "value": "person"}]}}"##;
    let d = only(&schema("", "", &format!("{a},\n{b},\n{ORIGIN}")));
    assert_diag(
        &d,
        6,
        110,
        "types[1].union.variants[0]",
        "`OriginUser` is tagged `type: user` in types[0] but `type: person` here",
    );
}

#[test]
fn secret_only_on_string_parameters() {
    let d = only(&schema(
        "",
        &method(r#"{"name": "limit", "type": "Integer", "summary": "Cap.", "secret": true}"#),
        USER,
    ));
    assert_diag(
        &d,
        3,
        162,
        "methods[0].params[0].secret",
        "`secret` applies to String parameters of methods, not to `limit` of type `Integer`",
    );
}
