//! The `botapi-codegen` command: regenerate `generated/` from `schema/`
//! (default), check freshness (`--check`), or import an upstream spec.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use botapi_codegen::{emit, write};
use clap::{Parser, Subcommand};

const DEFAULT_SCHEMA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/api.json");
const DEFAULT_OUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../generated/src/emitted");

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
    /// Import an upstream description (PaulSonOfLars api.json or aiogram
    /// schema.json) into the schema, keeping curated facts, and print what changed.
    Import {
        /// The upstream file.
        file: PathBuf,
        /// Also write the change report as Markdown here.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Curated patches to apply on top (default: schema/curation.json when present).
        #[arg(long)]
        curation: Option<PathBuf>,
        /// Do not apply curated patches.
        #[arg(long)]
        no_curation: bool,
        /// An older description (any supported format) read only to date
        /// items: each one's `since` is the first version that has it. Repeatable.
        #[arg(long = "history", value_name = "FILE")]
        history: Vec<PathBuf>,
        /// Add a section per new Bot API version to this changelog (made
        /// from the change report; sections already there are kept).
        #[arg(long, value_name = "FILE")]
        changelog: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let schema = cli
        .schema
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_SCHEMA));
    let done = match cli.command {
        None => generate(&cli, &schema),
        Some(Command::Lint) => lint(&schema),
        Some(Command::Import {
            ref file,
            ref report,
            ref curation,
            no_curation,
            ref history,
            ref changelog,
        }) => {
            let curation = match (no_curation, curation) {
                (true, _) => None,
                (false, Some(c)) => Some(c.clone()),
                (false, None) => {
                    Some(schema.with_file_name("curation.json")).filter(|p| p.exists())
                }
            };
            let paths = ImportPaths {
                schema: &schema,
                file,
                report: report.as_deref(),
                curation: curation.as_deref(),
                history,
                changelog: changelog.as_deref(),
            };
            import(&paths).map(|()| ExitCode::SUCCESS)
        }
    };
    // Every failure of bad input (a broken schema, an unreadable file) is
    // printed once, here, and exits with 2; a stale `--check` exits with 1.
    done.unwrap_or_else(|message| {
        eprintln!("{message}");
        ExitCode::from(2)
    })
}

/// The files one import reads and writes.
struct ImportPaths<'a> {
    schema: &'a Path,
    file: &'a Path,
    report: Option<&'a Path>,
    curation: Option<&'a Path>,
    history: &'a [PathBuf],
    changelog: Option<&'a Path>,
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("error: {}: {e}", path.display()))
}

fn import(p: &ImportPaths) -> Result<(), String> {
    let existing = match std::fs::read_to_string(p.schema) {
        Ok(_) => {
            botapi_codegen::schema::load::load_file(p.schema)
                .map_err(|d| d.to_string())?
                .schema
        }
        Err(_) => botapi_codegen::import::empty_schema(),
    };
    let upstream =
        botapi_codegen::import::read_upstream(p.file).map_err(|e| format!("error: {e}"))?;
    let overlay: Option<botapi_codegen::import::Overlay> = match p.curation {
        None => None,
        Some(c) => Some(
            std::fs::read_to_string(c)
                .map_err(|e| e.to_string())
                .and_then(|t| botapi_codegen::import::Overlay::from_json(&t))
                .map_err(|e| format!("error: {}: {e}", c.display()))?,
        ),
    };
    let history = p
        .history
        .iter()
        .map(|h| botapi_codegen::import::read_upstream(h).map_err(|e| format!("error: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    println!(
        "importing {} ({}, Bot API {})",
        p.file.display(),
        upstream.format,
        upstream.version
    );
    let done = botapi_codegen::import::import_with_history(
        &existing,
        upstream,
        overlay.as_ref(),
        &history,
    );
    print!("{}", done.report);
    print!("{}", done.coverage);
    for c in &done.conflicts {
        println!("note: {c}");
    }
    if !done.missing_summaries.is_empty() {
        println!(
            "{} items need a summary in our own words before generation: {}",
            done.missing_summaries.len(),
            done.missing_summaries.join(", ")
        );
    }
    if let Some(r) = p.report {
        let markdown = done.report.to_markdown() + &done.coverage.to_markdown();
        write(r, &markdown)?;
    }
    if let Some(c) = p.changelog {
        let before = std::fs::read_to_string(c).unwrap_or_default();
        let (after, kept) = botapi_codegen::import::changelog::update(&before, &done.steps);
        for v in kept {
            println!(
                "note: {}: the Bot API {v} section exists; kept as it is",
                c.display()
            );
        }
        if after != before {
            write(c, &after)?;
            println!("wrote {}", c.display());
        }
    }
    write(p.schema, &botapi_codegen::import::to_json(&done.schema))?;
    println!("wrote {}", p.schema.display());
    Ok(())
}

fn schema_name(cli: &Cli, schema: &std::path::Path) -> String {
    match &cli.schema {
        None => "schema/api.json".into(),
        Some(_) => schema
            .file_name()
            .map_or_else(|| "schema".into(), |n| n.to_string_lossy().into_owned()),
    }
}

fn generate(cli: &Cli, schema: &std::path::Path) -> Result<ExitCode, String> {
    let out = cli
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
    let opts = emit::Options {
        schema_name: schema_name(cli, schema),
        ..emit::Options::default()
    };
    let files = botapi_codegen::generate(schema, &opts).map_err(|e| e.to_string())?;
    let outcome = write::write_files(&out, &files, cli.check).map_err(|e| format!("error: {e}"))?;
    if cli.check {
        if outcome.stale.is_empty() {
            println!("up to date: {} generated files", outcome.unchanged.len());
            return Ok(ExitCode::SUCCESS);
        }
        for p in &outcome.stale {
            eprintln!("stale: {}", p.display());
        }
        eprintln!(
            "{} generated file(s) are stale; run `cargo run -p botapi-codegen`",
            outcome.stale.len()
        );
        return Ok(ExitCode::from(1));
    }
    for p in &outcome.stale {
        println!("wrote {}", p.display());
    }
    println!(
        "{} written, {} unchanged",
        outcome.stale.len(),
        outcome.unchanged.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn lint(schema: &std::path::Path) -> Result<ExitCode, String> {
    let loaded = botapi_codegen::schema::load::load_file(schema).map_err(|d| d.to_string())?;
    botapi_codegen::check::check(&loaded).map_err(|d| d.to_string())?;
    println!("{}: no problems", schema.display());
    print!("{}", botapi_codegen::schema::marks::listing(&loaded.schema));
    Ok(ExitCode::SUCCESS)
}
