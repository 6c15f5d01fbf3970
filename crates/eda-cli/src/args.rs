//! The command line of `eda`, declared with clap's derive: the subcommands, their arguments and
//! the help a user reads. It lives apart from main.rs so the whole command line reads as one list,
//! and so clap, not our code, reports a bad command line (exit 2, with usage and suggestions).

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, CommandFactory, Parser, Subcommand};
use eda_sim::SimDuration;
use std::path::PathBuf;
use std::str::FromStr;

/// Most events one run may process unless `--max-events` says otherwise.
pub const MAX_EVENTS_DEFAULT: u64 = 1_000_000_000;

/// Events processed between two looks at the wall clock (and updates of the progress bar).
pub const SLICE_EVENTS_DEFAULT: u64 = 1_000_000;

const ABOUT: &str = "Runs EDA Playground scenarios without the browser.";

const LONG_ABOUT: &str = "\
Runs EDA Playground scenarios without the browser: prints what happened per entity and the
trace hash (the same hash the browser computes), validates scenario files and share links, and
makes share links.";

/// The formats and exit codes, under every help page (a macro, so `concat!` can extend it).
macro_rules! formats {
    () => {
        "\
DURATION is a number and a unit: 250ms, 1.5s, 2min, 1d (units us, ms, s, min, h, d).
LINK is a share link from the playground: the whole URL or the part after '#' (a scenario
link; a lesson link, which opens the scenario as its step starts; or an A/B link, whose two
runs are both reported, with the counters that differ and where the traces part).

Exit codes: 0 success, 1 invalid or unreadable scenario or link, 2 bad command line,
3 the run was stopped by a limit (--max-events or one of the simulator's limits)."
    };
}

const FORMATS: &str = formats!();

const RUN_AFTER_HELP: &str = concat!(
    "\
Without --until a run lasts to a link's moment, else the scenario's \"duration\", else until
nothing is left to happen. A run that reaches --max-events stops there with exit 3 and prints
the report so far. Runs longer than about a second show a progress bar on stderr when it is a
terminal (not with --quiet).

",
    formats!()
);

/// `eda`: the playground's simulator on the command line.
#[derive(Debug, Parser)]
#[command(name = "eda", version, about = ABOUT, long_about = LONG_ABOUT, after_help = FORMATS)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario and print its report: per entity counts and the trace hash
    #[command(after_help = RUN_AFTER_HELP)]
    Run(RunArgs),
    /// Check a scenario file or a share link without running it
    #[command(after_help = FORMATS)]
    Validate(Source),
    /// Print the share link of a scenario file
    #[command(after_help = FORMATS)]
    Link(LinkArgs),
    /// Check a lesson: each step's goal is refused before its moves and met after them
    #[command(after_help = FORMATS)]
    Lesson(LessonSource),
}

/// Where a lesson comes from: a file or a lesson link, exactly one of them.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct LessonSource {
    /// The lesson file (JSON, docs/lesson-format.md)
    #[arg(value_name = "LESSON.json")]
    pub file: Option<PathBuf>,
    /// A lesson link from the playground, instead of a file
    #[arg(long, value_name = "LINK")]
    pub link: Option<String>,
}

/// Where the scenario comes from: a file or a share link, exactly one of them.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct Source {
    /// The scenario file (JSON)
    #[arg(value_name = "SCENARIO.json")]
    pub file: Option<PathBuf>,
    /// A share link from the playground, instead of a file
    #[arg(long, value_name = "LINK")]
    pub link: Option<String>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub source: Source,
    /// Seed of the random draws, instead of the scenario's "seed"
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Run until this simulated time (e.g. 90s)
    #[arg(long, value_name = "DURATION", value_parser = SimDuration::from_str)]
    pub until: Option<SimDuration>,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
    /// Stop after N events (exit 3, with the report so far)
    #[arg(long, value_name = "N", default_value_t = MAX_EVENTS_DEFAULT)]
    pub max_events: u64,
    /// Show no progress bar
    #[arg(short, long)]
    pub quiet: bool,
    /// Events run between two looks at the clock; for tests of slicing
    #[arg(long, value_name = "N", hide = true, default_value_t = SLICE_EVENTS_DEFAULT,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub slice_events: u64,
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The scenario file (JSON)
    #[arg(value_name = "SCENARIO.json")]
    pub file: PathBuf,
    /// The moment the link opens at (e.g. 5s; default the start)
    #[arg(long, value_name = "DURATION", value_parser = SimDuration::from_str)]
    pub at: Option<SimDuration>,
    /// Make an A/B link instead: this file is variant B (run with the first file's seed)
    #[arg(long, value_name = "B.json")]
    pub compare: Option<PathBuf>,
}

/// The command line, or clap's error and exit (2; 0 for `--help` and `--version`). clap suggests
/// a subcommand only for close spellings (Jaro similarity over 0.7, which misses `rn` for `run`);
/// when it has none, one within two edits is offered in clap's own words.
pub fn parse() -> Cli {
    Cli::try_parse().unwrap_or_else(|mut error| {
        let suggested = match error.get(ContextKind::SuggestedSubcommand) {
            Some(ContextValue::Strings(names)) => !names.is_empty(),
            other => other.is_some(),
        };
        if error.kind() == ErrorKind::InvalidSubcommand && !suggested {
            if let Some(ContextValue::String(typed)) = error.get(ContextKind::InvalidSubcommand) {
                if let Some(near) = nearest_subcommand(typed) {
                    error.insert(ContextKind::SuggestedSubcommand, ContextValue::Strings(vec![near]));
                }
            }
        }
        error.exit()
    })
}

/// The subcommand within two edits of `typed` (and fewer edits than its length), if any.
fn nearest_subcommand(typed: &str) -> Option<String> {
    Cli::command()
        .get_subcommands()
        .map(|c| {
            (
                strsim::damerau_levenshtein(typed, c.get_name()),
                c.get_name().to_string(),
            )
        })
        .filter(|(edits, _)| *edits <= 2 && *edits < typed.chars().count())
        .min()
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_near_miss_names_the_subcommand_meant() {
        assert_eq!(nearest_subcommand("rn").as_deref(), Some("run"));
        assert_eq!(nearest_subcommand("valdiate").as_deref(), Some("validate"));
        assert_eq!(nearest_subcommand("frobnicate"), None);
        assert_eq!(nearest_subcommand("x"), None);
    }
}
