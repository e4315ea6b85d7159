//! Diagnostics of the version keys (`check::versions`), in the style of
//! `diagnostics.rs`: `since`, `history`, `compat_floor`, `provenance`,
//! `renamed_from` and `previous_returns`, each asserting the message, the
//! JSON path, the line:column it points at and the hint. Positions are found
//! in the source text, which holds one item per line.

use botapi_codegen::check::check;
use botapi_codegen::schema::load::load_str;
use botapi_codegen::Diagnostic;

const HEAD: &str =
    r#"{"version": "1.2", "release_date": "2030-05-01", "doc_url": "https://x.invalid/","#;

/// A schema: line 2 holds `top` (top-level keys, each ending in a comma),
/// line 3 the methods, lines 5+ the types.
fn schema(top: &str, methods: &str, types: &str) -> String {
    format!("{HEAD}\n{top}\n\"methods\": [{methods}],\n\"types\": [\n{types}\n]}}")
}

const USER: &str = r##"{"name": "User", "summary": "A person.", "doc": "#user", "fields": [{"name": "id", "type": "Integer", "required": true}, {"name": "name", "type": "String", "required": true}]}"##;

fn user_with(extra: &str) -> String {
    USER.replacen(
        r##""doc": "#user","##,
        &format!(r##""doc": "#user", {extra},"##),
        1,
    )
}

fn get_user(extra: &str) -> String {
    format!(
        r##"{{"name": "getUser", "summary": "Gets one.", "doc": "#getuser", "returns": "User", "params": [{{"name": "user_id", "type": "Integer", "required": true{extra}}}]}}"##
    )
}

fn diags(src: &str) -> Vec<Diagnostic> {
    match load_str("api.json", src) {
        Err(d) => d.0,
        Ok(loaded) => check(&loaded).err().map(|d| d.0).unwrap_or_default(),
    }
}

fn only(src: &str) -> Diagnostic {
    let d = diags(src);
    assert_eq!(d.len(), 1, "expected one diagnostic, got: {d:#?}\n{src}");
    d.into_iter().next().expect("one")
}

/// Line and column (1-based) of `part` inside the only occurrence of
/// `needle`. A diagnostic points at the key of an object member, or at the
/// value of an array element.
fn at(src: &str, needle: &str, part: &str) -> (usize, usize) {
    assert_eq!(src.matches(needle).count(), 1, "`{needle}` once in {src}");
    let start = src.find(needle).expect("needle") + needle.find(part).expect("part in needle");
    let before = &src[..start];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

fn assert_diag(
    d: &Diagnostic,
    (line, column): (usize, usize),
    path: &str,
    message: &str,
    hint: &str,
) {
    assert_eq!(d.path, path, "path of {d}");
    assert_eq!((d.line, d.column), (line, column), "position of {d}");
    assert!(
        d.message.contains(message),
        "message `{}` lacks `{message}`",
        d.message
    );
    let h = d
        .hint
        .as_deref()
        .unwrap_or_else(|| panic!("no hint on {d}"));
    assert!(h.contains(hint), "hint `{h}` lacks `{hint}`");
    assert!(
        d.to_string()
            .starts_with(&format!("api.json:{line}:{column}: error at {path}: ")),
        "{d}"
    );
}

#[test]
fn valid_version_keys_have_no_diagnostics() {
    let types = format!(
        "{},\n{}",
        user_with(
            r#""since": "1.0", "provenance": {"version": "1.2", "basis": "secondary", "sources": ["a", "b"]}"#
        ),
        r##"{"name": "Person", "summary": "Someone.", "doc": "#person", "renamed_from": [{"name": "Human", "version": "1.1"}], "fields": [], "provenance": {"version": "1.2", "basis": "official", "unverified": ["fields"]}}"##
    );
    let src = schema(
        r#""history": ["1.0", "1.2"], "compat_floor": "1.0","#,
        &get_user(r#", "since": "1.10""#),
        &types,
    );
    assert!(diags(&src).is_empty(), "{:#?}", diags(&src));
}

#[test]
fn since_that_is_not_a_version() {
    let hint = "e.g. \"10.4\"";
    // On a type, a field, a method and a parameter.
    let cases = [
        (
            schema("", "", &user_with(r#""since": "ten""#)),
            "types[0].since",
            "\"since\": \"ten\"",
        ),
        (
            schema(
                "",
                "",
                &USER.replace(
                    r#""required": true}, {"name": "name""#,
                    r#""required": true, "since": "1.x"}, {"name": "name""#,
                ),
            ),
            "types[0].fields[0].since",
            "\"since\": \"1.x\"",
        ),
        (
            schema(
                "",
                &get_user("").replace(r#", "returns""#, r#", "since": "v1", "returns""#),
                USER,
            ),
            "methods[0].since",
            "\"since\": \"v1\"",
        ),
        (
            schema("", &get_user(r#", "since": "1..2""#), USER),
            "methods[0].params[0].since",
            "\"since\": \"1..2\"",
        ),
    ];
    for (src, path, member) in cases {
        let d = only(&src);
        let shown = member
            .rsplit(": ")
            .next()
            .unwrap_or_default()
            .trim_matches('"');
        assert_diag(
            &d,
            at(&src, member, "\"since\""),
            path,
            &format!("`{shown}` is not a Bot API version"),
            hint,
        );
    }
}

#[test]
fn history_and_compat_floor_must_be_versions() {
    let src = schema(r#""history": ["1.0", "one"],"#, "", USER);
    let d = only(&src);
    assert_diag(
        &d,
        at(&src, "\"one\"", "\"one\""),
        "history[1]",
        "`one` is not a Bot API version",
        "numbers separated by dots",
    );

    let src = schema(r#""compat_floor": "10.x","#, "", USER);
    let d = only(&src);
    assert_diag(
        &d,
        at(&src, "\"compat_floor\": \"10.x\"", "\"compat_floor\""),
        "compat_floor",
        "`10.x` is not a Bot API version",
        "numbers separated by dots",
    );
}

#[test]
fn official_mark_must_say_what_is_unverified() {
    let mark =
        r#""provenance": {"version": "1.2", "basis": "official", "sources": ["the announcement"]}"#;
    let src = schema("", "", &user_with(mark));
    let d = only(&src);
    assert_diag(
        &d,
        at(&src, mark, "\"provenance\""),
        "types[0].provenance",
        "an `official` mark says nothing is uncertain",
        "`unverified`",
    );
    // Listing what no source showed fixes it; other bases need no list.
    let fixed = mark.replace(r#"]}"#, r#"], "unverified": ["limits"]}"#);
    assert!(diags(&schema("", "", &user_with(&fixed))).is_empty());
    let single = mark.replace("official", "single");
    assert!(diags(&schema("", "", &user_with(&single))).is_empty());

    // On a parameter, and with a version that is not one.
    let src = schema(
        "",
        &get_user(r#", "provenance": {"version": "next", "basis": "single"}"#),
        USER,
    );
    let d = only(&src);
    assert_diag(
        &d,
        at(&src, "\"version\": \"next\"", "\"version\""),
        "methods[0].params[0].provenance.version",
        "`next` is not a Bot API version",
        "e.g.",
    );
}

#[test]
fn renamed_from_naming_an_existing_type() {
    let person = r##"{"name": "Person", "summary": "Someone.", "doc": "#person", "renamed_from": [{"name": "User", "version": "1.2"}], "fields": []}"##;
    let src = schema("", "", &format!("{USER},\n{person}"));
    let d = only(&src);
    assert_diag(
        &d,
        at(&src, r#"[{"name": "User""#, "\"name\""),
        "types[1].renamed_from[0].name",
        "`User` names a type of the schema; it cannot be an old name too",
        "remove the rename or the type",
    );

    // The same old name twice, and an old name that is no identifier.
    let p = |name: &str, old: &str| {
        format!(
            r##"{{"name": "{name}", "summary": "Someone.", "doc": "#{}", "renamed_from": [{{"name": "{old}", "version": "1.2"}}], "fields": []}}"##,
            name.to_lowercase()
        )
    };
    let src = schema(
        "",
        "",
        &format!(
            "{USER},\n{},\n{}",
            p("Person", "Human"),
            p("Someone", "Human")
        ),
    );
    let d = only(&src);
    assert_eq!(d.path, "types[2].renamed_from[0].name");
    assert!(
        d.message
            .contains("`Human` is already the old name of types[1]"),
        "{d}"
    );
    assert_eq!(
        (d.line, d.column),
        at(
            &src,
            "[{\"name\": \"Human\", \"version\": \"1.2\"}], \"fields\": []}\n]",
            "\"name\""
        )
    );
    let src = schema("", "", &format!("{USER},\n{}", p("Person", "old person")));
    let d = only(&src);
    assert_eq!(d.path, "types[1].renamed_from[0].name");
    assert!(d
        .message
        .contains("old name `old person` is not an UpperCamelCase identifier"));
}

/// `getOwner` returns `Owner` today and returned `User` until 1.1.
fn previous_returns(top: &str, owner_extra: &str, pets: &str) -> String {
    let method = r##"{"name": "getOwner", "summary": "Who owns it.", "doc": "#getowner", "returns": "Owner", "previous_returns": [{"type": "User", "until": "1.1"}]}"##;
    let owner = format!(
        r##"{{"name": "Owner", "summary": "An owner.", "doc": "#owner",{owner_extra} "fields": [{{"name": "id", "type": "Integer", "required": true}}, {{"name": "name", "type": "String", "required": true}}, {{"name": "pets", "type": "Integer"{pets}}}]}}"##
    );
    schema(top, method, &format!("{USER},\n{owner}"))
}

#[test]
fn an_older_reply_must_decode_as_the_new_return_type() {
    let floor = r#""compat_floor": "1.0","#;
    // `pets` is required now and User lacks it.
    for (top, owner, pets) in [
        (floor, "", r#", "required": true"#),
        // Dated at the floor: servers at the floor send it.
        (floor, "", r#", "required": true, "since": "1.0""#),
        // Dated after the floor, but it came with its type.
        (
            floor,
            r#" "since": "1.2","#,
            r#", "required": true, "since": "1.2""#,
        ),
        // Dated, but no floor says how far back replies must decode.
        (
            "",
            r#" "since": "1.1","#,
            r#", "required": true, "since": "1.2""#,
        ),
    ] {
        let src = previous_returns(top, owner, pets);
        let d = only(&src);
        assert_diag(
            &d,
            at(&src, r#"{"type": "User", "until": "1.1"}"#, "{"),
            "methods[0].previous_returns[0]",
            "a reply of `getOwner` from a server at Bot API 1.1 or older (a `User`) would not decode as `Owner`: it may lack `pets`",
            "make those fields of `Owner` optional, or date them with a `since` after the compatibility floor",
        );
    }
    // Optional, or dated after the floor and after its type: a reply may
    // leave it out, so an older reply decodes.
    for (top, owner, pets) in [
        (floor, "", ""),
        (
            floor,
            r#" "since": "1.1","#,
            r#", "required": true, "since": "1.2""#,
        ),
    ] {
        let src = previous_returns(top, owner, pets);
        assert!(diags(&src).is_empty(), "{:#?}\n{src}", diags(&src));
    }
    // A field the old type has, but optional or of another type, is lacking too.
    let src = previous_returns(floor, "", "").replace(
        r#"{"name": "name", "type": "String", "required": true}]}"#,
        r#"{"name": "name", "type": "String"}]}"#,
    );
    let d = only(&src);
    assert!(d.message.ends_with("it may lack `name`"), "{d}");
    let src = previous_returns(floor, "", "").replacen(
        r#"{"name": "id", "type": "Integer", "required": true}"#,
        r#"{"name": "id", "type": "String", "required": true}"#,
        1,
    );
    let d = only(&src);
    assert!(d.message.ends_with("it may lack `id`"), "{d}");
}

#[test]
fn previous_return_until_must_be_a_version() {
    let src = previous_returns(r#""compat_floor": "1.0","#, "", "")
        .replace(r#""until": "1.1""#, r#""until": "earlier""#);
    let d = only(&src);
    assert_diag(
        &d,
        at(&src, "\"until\": \"earlier\"", "\"until\""),
        "methods[0].previous_returns[0].until",
        "`earlier` is not a Bot API version",
        "e.g.",
    );
}

#[test]
fn provenance_text_must_be_one_line_and_is_located_at_itself() {
    let mark = r#""provenance": {"version": "1.2", "basis": "single", "sources": ["petlib docs"], "note": "first line\nsecond line"}"#;
    let src = schema("", "", &user_with(mark));
    let d = only(&src);
    assert_eq!(
        (d.path.as_str(), (d.line, d.column)),
        (
            "types[0].provenance.note",
            at(&src, r#""note": "first"#, "\"note\"")
        ),
        "{d}"
    );
    assert!(!d.message.contains("summary"), "a note is no summary: {d}");
    let mark =
        r#""provenance": {"version": "1.2", "basis": "single", "sources": ["petlib\ndocs"]}"#;
    let src = schema("", "", &user_with(mark));
    let d = only(&src);
    assert_eq!(d.path, "types[0].provenance.sources[0]", "{d}");
    assert!(
        !d.message.contains("summary"),
        "a source is no summary: {d}"
    );
}
