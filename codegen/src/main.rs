//! The `botapi-codegen` command: regenerate `generated/` from `schema/`
//! (default), check freshness (`--check`), or import an upstream spec.

use std::path::PathBuf;
use std::process::ExitCode;

use botapi_codegen::{emit, write};
use clap::{Parser, Subcommand};

const DEFAULT_SCHEMA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/api.json");
const DEFAULT_OUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../generated/src");

#[derive(Parser)]
#[command(
    name = "botapi-codegen",
    about = "Generate the botapi crate from schema/api.json"
)]
struct Cli {
    /// Schema file to read.
    #[arg(long, global = true)]
    schema: Option<PathBuf>,
    /// Directory receiving the generated modules.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Compare with the files on disk without writing; exit 1 when any is stale.
    #[arg(long)]
    check: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check the schema only and print every problem.
    Lint,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let schema = cli
        .schema
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_SCHEMA));
    match cli.command {
        None => generate(&cli, &schema),
        Some(Command::Lint) => lint(&schema),
    }
}

fn schema_name(cli: &Cli, schema: &std::path::Path) -> String {
    match &cli.schema {
        None => "schema/api.json".into(),
        Some(_) => schema
            .file_name()
            .map_or_else(|| "schema".into(), |n| n.to_string_lossy().into_owned()),
    }
}

fn generate(cli: &Cli, schema: &std::path::Path) -> ExitCode {
    let out = cli
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
    let opts = emit::Options {
        schema_name: schema_name(cli, schema),
        ..emit::Options::default()
    };
    let files = match botapi_codegen::generate(schema, &opts) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let outcome = match write::write_files(&out, &files, cli.check) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if cli.check {
        if outcome.stale.is_empty() {
            println!("up to date: {} generated files", outcome.unchanged.len());
            return ExitCode::SUCCESS;
        }
        for p in &outcome.stale {
            eprintln!("stale: {}", p.display());
        }
        eprintln!(
            "{} generated file(s) are stale; run `cargo run -p botapi-codegen`",
            outcome.stale.len()
        );
        return ExitCode::from(1);
    }
    for p in &outcome.stale {
        println!("wrote {}", p.display());
    }
    println!(
        "{} written, {} unchanged",
        outcome.stale.len(),
        outcome.unchanged.len()
    );
    ExitCode::SUCCESS
}

fn lint(schema: &std::path::Path) -> ExitCode {
    let loaded = match botapi_codegen::schema::load::load_file(schema) {
        Ok(l) => l,
        Err(d) => {
            eprintln!("{d}");
            return ExitCode::from(2);
        }
    };
    match botapi_codegen::check::check(&loaded) {
        Ok(()) => {
            println!("{}: no problems", schema.display());
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            ExitCode::from(2)
        }
    }
}
