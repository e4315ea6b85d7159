//! Criterion benchmarks of the generator on the shipped 10.3 schema: the
//! whole pipeline (load, check, lower, emit, format) and `--check` against an
//! up-to-date tree. Run with `cargo bench -p botapi-codegen`.

use std::path::{Path, PathBuf};

use botapi_codegen::{check, emit, ir, schema, write};
use criterion::{criterion_group, criterion_main, Criterion};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn pipeline(c: &mut Criterion) {
    let path = repo().join("schema/api.json");
    let src = std::fs::read_to_string(&path).expect("schema/api.json");
    let opts = emit::Options::default();
    let mut group = c.benchmark_group("codegen");
    group.sample_size(10);
    group.bench_function("load", |b| {
        b.iter(|| schema::load::load_str("api.json", &src).expect("loads"))
    });
    let loaded = schema::load::load_str("api.json", &src).expect("loads");
    group.bench_function("check", |b| {
        b.iter(|| check::check(&loaded).expect("valid"))
    });
    let checked = check::check(&loaded).expect("valid");
    group.bench_function("lower", |b| b.iter(|| ir::lower(&checked)));
    let api = ir::lower(&checked);
    group.bench_function("emit_and_format", |b| {
        b.iter(|| emit::emit(&api, &opts).expect("emits"))
    });
    group.bench_function("full_generate", |b| {
        b.iter(|| botapi_codegen::generate(&path, &opts).expect("generates"))
    });
    // `--check`: generate, then compare with the committed files.
    let out = repo().join("generated/src/emitted");
    group.bench_function("check_up_to_date_tree", |b| {
        b.iter(|| {
            let files = botapi_codegen::generate(&path, &opts).expect("generates");
            let outcome = write::write_files(&out, &files, true).expect("compares");
            assert!(
                outcome.stale.is_empty(),
                "generated/ is stale; regenerate first"
            );
        })
    });
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
