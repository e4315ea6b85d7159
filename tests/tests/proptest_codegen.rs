//! Property: the generated code depends on what a schema says, never on how
//! its JSON text is laid out. Each case rewrites a schema with every object's
//! keys in a random order (JSON objects are unordered, and the format's
//! objects are read by key), random whitespace between tokens and random
//! `\uXXXX` escapes inside strings, then generates in-process and compares
//! byte for byte.
//!
//! What is *not* shuffled, because the format gives it meaning (see
//! `schema/README.md`): the order of arrays (methods, types, fields,
//! variants and errors are emitted in schema order, and the first matching
//! catalogue entry wins), and the order of alternatives in an `X or Y`
//! expression (the docs of a field without a summary quote it as written).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use botapi_codegen::emit::{GeneratedFile, Options};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Load, check, lower and emit schema text, as `botapi_codegen::generate`
/// does for a file.
fn generate(src: &str, opts: &Options) -> Result<Vec<GeneratedFile>, String> {
    let loaded = botapi_codegen::schema::load::load_str("api.json", src)
        .map_err(|d| format!("load: {d}"))?;
    let checked = botapi_codegen::check::check(&loaded).map_err(|d| format!("check: {d}"))?;
    let api = botapi_codegen::ir::lower(&checked);
    botapi_codegen::emit::emit(&api, opts).map_err(|e| e.to_string())
}

/// A small xorshift generator: the layout's choices all come from one seed
/// that proptest picks (and reports when a case fails).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// How a case lays the schema out.
#[derive(Debug, Clone, Copy)]
struct Layout {
    seed: u64,
    /// Out of 8: how often a character is written as a `\u` escape.
    escape_rate: usize,
    /// Whitespace between tokens at all.
    spaced: bool,
}

fn layout() -> impl Strategy<Value = Layout> {
    (any::<u64>(), 0usize..4, any::<bool>()).prop_map(|(seed, escape_rate, spaced)| Layout {
        seed,
        escape_rate,
        spaced,
    })
}

struct Writer {
    rng: Rng,
    layout: Layout,
    out: String,
}

impl Writer {
    fn space(&mut self) {
        if self.layout.spaced {
            let ws = ["", " ", "\n", "\t", "\r\n", "  \n    "];
            let pick = ws[self.rng.below(ws.len())];
            self.out.push_str(pick);
        }
    }

    fn string(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            let forced = matches!(c, '"' | '\\') || c.is_control();
            if forced || self.rng.below(8) < self.layout.escape_rate {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(self.out, "\\u{u:04x}").expect("write to a String");
                }
            } else {
                self.out.push(c);
            }
        }
        self.out.push('"');
    }

    fn value(&mut self, v: &Value) {
        self.space();
        match v {
            Value::Null | Value::Bool(_) | Value::Number(_) => self.out.push_str(&v.to_string()),
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.value(item);
                }
                self.space();
                self.out.push(']');
            }
            Value::Object(map) => {
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                // Fisher-Yates: every order of the keys is possible.
                for i in (1..entries.len()).rev() {
                    let j = self.rng.below(i + 1);
                    entries.swap(i, j);
                }
                self.out.push('{');
                for (i, (k, item)) in entries.into_iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.space();
                    self.string(k);
                    self.space();
                    self.out.push(':');
                    self.value(item);
                }
                self.space();
                self.out.push('}');
            }
        }
        self.space();
    }
}

/// The schema text laid out anew: same content, other bytes.
fn relayout(schema: &Value, layout: Layout) -> String {
    let mut w = Writer {
        rng: Rng::new(layout.seed),
        layout,
        out: String::new(),
    };
    w.value(schema);
    w.out
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

fn fixture_options() -> Options {
    Options {
        runtime_path: "::botapi".into(),
        client_methods: false,
        schema_name: "api.json".into(),
    }
}

/// The first file that differs, and where.
fn first_difference(a: &[GeneratedFile], b: &[GeneratedFile]) -> Option<String> {
    if a.len() != b.len() {
        return Some(format!("{} files vs {}", a.len(), b.len()));
    }
    a.iter().zip(b).find_map(|(x, y)| {
        if x == y {
            return None;
        }
        let line = x
            .contents
            .lines()
            .zip(y.contents.lines())
            .position(|(l, r)| l != r)
            .map_or_else(|| "at the end".to_string(), |n| format!("line {}", n + 1));
        Some(format!("{} / {} differ at {line}", x.name, y.name))
    })
}

fn relayout_changes_nothing(fixture: &str, cases: u32) {
    let path = root()
        .join("codegen/tests/fixtures")
        .join(fixture)
        .join("api.json");
    let text = read(&path);
    let schema: Value = serde_json::from_str(&text).expect("fixture is JSON");
    let opts = fixture_options();
    let expected = generate(&text, &opts).expect("fixture generates");
    // Two runs of the same text agree (hash maps are seeded per run).
    assert_eq!(generate(&text, &opts).as_ref(), Ok(&expected));
    let mut distinct = std::collections::BTreeSet::new();
    runner(cases)
        .run(&layout(), |l| {
            let src = relayout(&schema, l);
            let got = generate(&src, &opts).map_err(TestCaseError::fail)?;
            if let Some(diff) = first_difference(&expected, &got) {
                return Err(TestCaseError::fail(format!("{diff} (layout {l:?})")));
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{fixture}: {e}"));
    // The property is only meaningful if the rewrites really differ.
    for seed in 0..4 {
        let l = Layout {
            seed,
            escape_rate: 1,
            spaced: true,
        };
        distinct.insert(relayout(&schema, l));
    }
    assert!(distinct.len() > 1 && !distinct.contains(&text));
}

#[test]
fn mini_fixture_ignores_layout() {
    relayout_changes_nothing("mini", 24);
}

#[test]
fn obstacle_fixture_ignores_layout() {
    relayout_changes_nothing("obstacle", 24);
}

/// The shipped schema, laid out anew, generates exactly the committed
/// modules (which another process generated from the original text). One
/// case only: a full generation takes seconds in a debug build.
#[test]
fn shipped_schema_ignores_layout() {
    let text = read(&root().join("schema/api.json"));
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    runner(1)
        .run(&layout(), |l| {
            let src = relayout(&schema, l);
            prop_assert_ne!(&src, &text);
            let files = generate(&src, &Options::default()).map_err(TestCaseError::fail)?;
            for f in &files {
                let committed = read(&root().join("generated/src/emitted").join(f.name));
                prop_assert!(
                    committed == f.contents,
                    "{} differs from the committed file (layout {:?})",
                    f.name,
                    l
                );
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}
