//! Hostile schemas: text that tries to smuggle code into the generated
//! files. Identifiers (names of types, fields, parameters, methods, union
//! variants, errors, exclusive parts; type references; discriminators and
//! pagination names, which must name fields) are rejected with a located
//! diagnostic and a hint, so no code is generated from them. Free text
//! (summaries, enum values, tag values, error descriptions, trimmed notes,
//! defaults, the version and the doc URL) ends up in doc comments, string
//! literals or the header comment: there it is emitted so that the files
//! still parse, hold no item smuggled in, and carry no character rustc
//! refuses (a lone carriage return, bidirectional overrides).

use botapi_codegen::check::check;
use botapi_codegen::emit::{GeneratedFile, Options};
use botapi_codegen::schema::load::load_str;
use botapi_codegen::Diagnostic;
use proc_macro2::{TokenStream, TokenTree};
use serde_json::{json, Value};

const EVIL: &str = "x; fn evil() {}";

/// A small valid schema: one method returning a tagged union of two
/// objects, one of which carries a constrained string.
fn base() -> Value {
    json!({
        "version": "1.0",
        "release_date": "2026-01-01",
        "doc_url": "https://example.invalid/api",
        "errors": [
            {"name": "ChatNotFound", "code": 400, "description": "Bad Request: chat not found", "summary": "No such chat."}
        ],
        "methods": [{
            "name": "getPet",
            "summary": "Fetches a pet.",
            "doc": "#getpet",
            "returns": "Pet",
            "params": [
                {"name": "pet_id", "type": "Integer", "required": true, "summary": "Which pet."},
                {"name": "offset", "type": "Integer", "summary": "Skip this many."},
                {"name": "mood", "type": "String", "summary": "How it feels.", "enum": ["calm", "wild"], "default": "calm"},
                {"name": "note", "type": "String", "summary": "Free text.", "min_len": 0, "max_len": 10,
                 "len_unit": "chars", "len_parsed_with": "parse_mode"},
                {"name": "parse_mode", "type": "String", "summary": "Markup of the note."}
            ],
            "errors": ["ChatNotFound"]
        }],
        "types": [
            {"name": "Pet", "summary": "A pet.", "doc": "#pet", "union": {"discriminator": "kind", "variants": [
                {"type": "PetDog", "value": "dog"},
                {"type": "PetCat", "value": "cat"}
            ]}},
            {"name": "PetDog", "summary": "A dog.", "doc": "#petdog", "fields": [
                {"name": "kind", "type": "String", "required": true, "summary": "Always dog."},
                {"name": "name", "type": "String", "required": true, "summary": "Its name."}
            ]},
            {"name": "PetCat", "summary": "A cat.", "doc": "#petcat", "fields": [
                {"name": "kind", "type": "String", "required": true, "summary": "Always cat."},
                {"name": "lives", "type": "Integer", "summary": "Lives left.", "min": 0, "max": 9}
            ]},
            {"name": "Event", "summary": "Something that happened.", "doc": "#event", "exclusive_optional": "part", "fields": [
                {"name": "event_id", "type": "Integer", "required": true, "summary": "Its id."},
                {"name": "adopted", "type": "Pet", "summary": "A pet found a home."}
            ]}
        ]
    })
}

fn diags(schema: &Value) -> Vec<Diagnostic> {
    let src = serde_json::to_string_pretty(schema).expect("serialize");
    match load_str("api.json", &src) {
        Err(d) => d.0,
        Ok(loaded) => check(&loaded).err().map(|d| d.0).unwrap_or_default(),
    }
}

/// Generate through the public pipeline, as `botapi_codegen::generate` does.
fn generate(schema: &Value) -> Vec<GeneratedFile> {
    let src = serde_json::to_string_pretty(schema).expect("serialize");
    let loaded = load_str("api.json", &src).unwrap_or_else(|d| panic!("{d}"));
    let checked = check(&loaded).unwrap_or_else(|d| panic!("{d}"));
    let api = botapi_codegen::ir::lower(&checked);
    botapi_codegen::emit::emit(&api, &Options::default()).expect("emit")
}

#[test]
fn the_base_schema_is_valid() {
    assert_eq!(diags(&base()), []);
    assert_no_smuggled_code(&generate(&base()));
}

/// `edit` makes the schema hostile; exactly the diagnostic at `path` with
/// `message` must come out, with a hint and a position.
fn rejected(what: &str, edit: impl FnOnce(&mut Value), path: &str, message: &str) {
    let mut schema = base();
    edit(&mut schema);
    let found = diags(&schema);
    let d = found
        .iter()
        .find(|d| d.path == path)
        .unwrap_or_else(|| panic!("{what}: no diagnostic at {path}: {found:#?}"));
    assert!(
        d.message.contains(message),
        "{what}: message `{}` lacks `{message}`",
        d.message
    );
    assert!(d.hint.is_some(), "{what}: no hint on {d}");
    assert!(d.line > 0 && d.column > 0, "{what}: not located: {d}");
}

#[test]
fn hostile_identifiers_are_diagnosed() {
    rejected(
        "type name",
        |s| s["types"][1]["name"] = json!(EVIL),
        "types[1].name",
        "is not an UpperCamelCase identifier",
    );
    rejected(
        "field name",
        |s| s["types"][1]["fields"][1]["name"] = json!(EVIL),
        "types[1].fields[1].name",
        "is not a snake_case name",
    );
    rejected(
        "parameter name",
        |s| s["methods"][0]["params"][0]["name"] = json!(EVIL),
        "methods[0].params[0].name",
        "is not a snake_case name",
    );
    rejected(
        "method name",
        |s| s["methods"][0]["name"] = json!(EVIL),
        "methods[0].name",
        "is not a lowerCamelCase identifier",
    );
    rejected(
        "union variant name",
        |s| s["types"][0]["union"]["variants"][0]["name"] = json!(EVIL),
        "types[0].union.variants[0].name",
        "is not an UpperCamelCase identifier",
    );
    rejected(
        "union variant type",
        |s| s["types"][0]["union"]["variants"][0]["type"] = json!(EVIL),
        "types[0].union.variants[0].type",
        "cannot parse type",
    );
    rejected(
        "field type",
        |s| s["types"][1]["fields"][1]["type"] = json!(EVIL),
        "types[1].fields[1].type",
        "cannot parse type",
    );
    rejected(
        "return type",
        |s| s["methods"][0]["returns"] = json!("Pet; fn evil() {}"),
        "methods[0].returns",
        "cannot parse type",
    );
    rejected(
        "error name",
        |s| s["errors"][0]["name"] = json!(EVIL),
        "errors[0].name",
        "is not an UpperCamelCase identifier",
    );
    rejected(
        "error reference",
        |s| s["methods"][0]["errors"][0] = json!(EVIL),
        "methods[0].errors[0]",
        "unknown error",
    );
    rejected(
        "exclusive part name",
        |s| s["types"][3]["exclusive_optional"] = json!(EVIL),
        "types[3].exclusive_optional",
        "is not a snake_case field name",
    );
    rejected(
        "discriminator",
        |s| s["types"][0]["union"]["discriminator"] = json!(EVIL),
        "types[0].union.variants[0].type",
        "has no discriminator field",
    );
    rejected(
        "len_parsed_with",
        |s| s["methods"][0]["params"][3]["len_parsed_with"] = json!(EVIL),
        "methods[0].params[3].len_parsed_with",
        "no sibling",
    );
    rejected(
        "doc anchor",
        |s| s["types"][1]["doc"] = json!("#x\"]; fn evil() {}"),
        "types[1].doc",
        "is not a doc anchor",
    );
}

#[test]
fn hostile_pagination_names_are_diagnosed() {
    let mut schema = base();
    schema["types"].as_array_mut().expect("types").push(
        json!({"name": "Page", "summary": "A page.", "doc": "#page", "fields": [
            {"name": "items", "type": "Array of Pet", "required": true, "summary": "Pets."},
            {"name": "total", "type": "Integer", "required": true, "summary": "How many."}
        ]}),
    );
    schema["methods"][0]["returns"] = json!("Page");
    schema["methods"][0]["paginated"] =
        json!({"offset": EVIL, "limit": "offset", "items": EVIL, "total": "total"});
    let found = diags(&schema);
    for path in ["methods[0].paginated.offset", "methods[0].paginated.items"] {
        let d = found.iter().find(|d| d.path == path);
        assert!(d.is_some(), "nothing at {path}: {found:#?}");
    }
}

#[test]
fn text_that_would_leave_a_comment_is_diagnosed() {
    rejected(
        "version",
        |s| s["version"] = json!("1.0\nfn evil() {}\n//"),
        "version",
        "holds a line break or control character",
    );
    rejected(
        "doc_url",
        |s| s["doc_url"] = json!("https://x.invalid/\"]; fn evil() {} //"),
        "doc_url",
        "is not a plain http(s) URL",
    );
    rejected(
        "doc_url scheme",
        |s| s["doc_url"] = json!("javascript:alert(1)"),
        "doc_url",
        "is not a plain http(s) URL",
    );
    rejected(
        "type summary",
        |s| s["types"][1]["summary"] = json!("A dog.\nfn evil() {}"),
        "types[1].summary",
        "control character",
    );
    rejected(
        "field summary",
        |s| s["types"][1]["fields"][1]["summary"] = json!("Its name.\r#[doc = \"\"] fn evil() {}"),
        "types[1].fields[1].summary",
        "control character",
    );
    rejected(
        "method summary",
        |s| s["methods"][0]["summary"] = json!("Fetches.\u{0}"),
        "methods[0].summary",
        "control character",
    );
    rejected(
        "error summary",
        |s| s["errors"][0]["summary"] = json!("No chat.\n"),
        "errors[0].summary",
        "control character",
    );
}

/// Strings that are legal in the schema but are code-shaped.
const NASTY: [&str; 8] = [
    EVIL,
    "*/ fn evil() {} /*",
    "\"#] fn evil() {} #[doc = \"",
    "\"); fn evil() { /* \\",
    "`</a>` <script>",
    "\u{202E}}{ live() nf \u{202D}",
    "\u{2066}fn evil() {}\u{2069}",
    "//! fn evil() {}",
];

#[test]
fn hostile_text_is_emitted_inertly() {
    let mut schema = base();
    let all = NASTY.join(" | ");
    schema["types"][1]["summary"] = json!(format!("A dog {all}"));
    schema["types"][1]["fields"][1]["summary"] = json!(format!("Its name {all}"));
    schema["types"][1]["trimmed"] = json!(format!("Kept\r{all}\r\nand more\n{all}"));
    schema["methods"][0]["summary"] = json!(format!("Fetches {all}"));
    schema["errors"][0]["summary"] = json!(format!("No chat {all}"));
    schema["errors"][0]["description"] = json!(format!("Bad Request: {all}"));
    let mut allowed: Vec<&str> = NASTY.to_vec();
    allowed.push("calm");
    schema["methods"][0]["params"][2]["enum"] = json!(allowed);
    schema["methods"][0]["params"][2]["default"] = json!(EVIL);
    schema["types"][0]["union"]["variants"][0]["value"] = json!(EVIL);
    schema["types"][0]["union"]["variants"][1]["value"] = json!(NASTY[2]);
    assert_eq!(diags(&schema), []);
    let files = generate(&schema);
    assert_no_smuggled_code(&files);
    // The text is there, intact, as string literals (doc attributes included).
    let strings = string_literals(&files);
    for nasty in [EVIL, NASTY[2]] {
        assert!(
            strings.iter().any(|s| s == nasty),
            "no literal {nasty:?} (tag values and enum values are literals)"
        );
    }
    for nasty in NASTY
        .iter()
        .filter(|n| !n.contains(['\u{202E}', '\u{2066}']))
    {
        assert!(
            strings.iter().any(|s| s.contains(nasty)),
            "{nasty:?} is not in any doc or literal"
        );
    }
    // Bidirectional overrides are spelled out in docs, never raw.
    assert!(strings.iter().any(|s| s.contains("\\u{202e}")));
}

/// The checker stands before the emitter; the emitter alone must still
/// keep schema text out of the code (the header is a `//` comment). Text the
/// checker would reject is put straight into the IR, past the checker.
#[test]
fn the_emitter_is_safe_without_the_checker() {
    let mut schema = base();
    let text = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let (version, release_date, doc_url, dog, line) = (
        text(json!("1.0\nfn evil() {}\r\nfn evil2() {}\u{2028}//")),
        text(json!("2026\rfn evil() {}")),
        text(json!("https://x.invalid/\"]\nfn evil() {}\n#[doc = \"")),
        text(json!("A dog.\nfn evil() {}\r#[doc = \"\"] fn evil() {}")),
        text(json!("Line\u{0}\u{7}\u{1b}[2J\u{202E}")),
    );
    schema["types"][1]["summary"] = json!(dog);
    let src = serde_json::to_string_pretty(&schema).expect("serialize");
    let loaded = load_str("api.json", &src).unwrap_or_else(|d| panic!("{d}"));
    assert!(check(&loaded).is_err(), "the checker rejects this schema");
    let valid = load_str(
        "api.json",
        &serde_json::to_string_pretty(&base()).expect("serialize"),
    )
    .unwrap_or_else(|d| panic!("{d}"));
    let checked = check(&valid).unwrap_or_else(|d| panic!("{d}"));
    let mut api = botapi_codegen::ir::lower(&checked);
    api.version = version;
    api.release_date = release_date;
    api.types[1].summary = dog;
    api.types[1].doc_link = Some(format!("{doc_url}#dog"));
    api.methods[0].summary = line;
    api.methods[0].doc_link = format!("{doc_url}#m");
    let files = botapi_codegen::emit::emit(&api, &Options::default()).expect("emit");
    assert_no_smuggled_code(&files);
    let header = files[0].contents.lines().next().unwrap_or_default();
    assert!(header.contains("1.0\\nfn evil() {}\\r\\n"), "{header}");
}

/// Every file parses, holds no `fn evil` item or call anywhere in its
/// tokens (text inside literals and doc attributes is not tokens), and no
/// character rustc rejects in comments or literals.
fn assert_no_smuggled_code(files: &[GeneratedFile]) {
    for f in files {
        for c in ['\r', '\u{0}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{1b}'] {
            assert!(
                !f.contents.contains(c),
                "{}: raw {c:?} in the output",
                f.name
            );
        }
        let parsed: syn::File = syn::parse_file(&f.contents)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", f.name));
        let tokens = quote::ToTokens::to_token_stream(&parsed);
        let mut idents = Vec::new();
        flatten_idents(tokens, &mut idents);
        for pair in idents.windows(2) {
            assert!(
                !(pair[0] == "fn" && pair[1].starts_with("evil")),
                "{}: an `fn {}` made it into the code",
                f.name,
                pair[1]
            );
        }
        assert!(!idents.iter().any(|i| i.starts_with("evil") || i == "live"));
    }
}

/// Identifiers (and punctuation, as `;`) in token order, through groups;
/// literals are skipped, so text inside strings never counts.
fn flatten_idents(tokens: TokenStream, out: &mut Vec<String>) {
    for t in tokens {
        match t {
            TokenTree::Group(g) => flatten_idents(g.stream(), out),
            TokenTree::Ident(i) => out.push(i.to_string()),
            TokenTree::Punct(p) => out.push(p.as_char().to_string()),
            TokenTree::Literal(_) => {}
        }
    }
}

/// The values of all string literals (doc attributes included).
fn string_literals(files: &[GeneratedFile]) -> Vec<String> {
    fn walk(tokens: TokenStream, out: &mut Vec<String>) {
        for t in tokens {
            match t {
                TokenTree::Group(g) => walk(g.stream(), out),
                TokenTree::Literal(l) => {
                    if let Ok(s) = syn::parse2::<syn::LitStr>(TokenTree::Literal(l).into()) {
                        out.push(s.value());
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for f in files {
        let parsed = syn::parse_file(&f.contents).expect("parses");
        walk(quote::ToTokens::to_token_stream(&parsed), &mut out);
    }
    out
}
