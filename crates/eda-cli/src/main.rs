//! `eda`: the playground's simulator without the browser. It runs a scenario file or a share link
//! to an end and prints what happened per entity and the trace hash (the same hash the browser
//! computes), validates a file or link, or makes the share link of a file. Bad input exits
//! non-zero with the loader's messages; every run keeps to an event budget (`--max-events`).
//!
//! Exit codes: 0 success, 1 the scenario or link is invalid or unreadable, 2 bad command line
//! (clap's own errors), 3 the run was stopped by a limit.

mod args;
mod compare;
mod lesson;
mod progress;

use args::{Command, LinkArgs, RunArgs, Source};
use eda_sim::trace::Retention;
use eda_sim::view::share::SharedState;
use eda_sim::{Scenario, Sim, SimTime};
use progress::{Pace, Target};
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = args::parse();
    let outcome = match cli.command {
        Command::Run(run_args) => run(&run_args),
        Command::Validate(source) => validate(&source),
        Command::Link(link_args) => link(&link_args),
        Command::Lesson(source) => lesson_check(&source),
    };
    match outcome {
        Ok(output) => {
            print!("{output}");
            ExitCode::SUCCESS
        }
        Err(Failure { code, message }) => {
            eprintln!("{message}");
            ExitCode::from(code)
        }
    }
}

struct Failure {
    code: u8,
    message: String,
}

fn invalid(message: String) -> Failure {
    Failure { code: 1, message }
}

/// Reads a file as the playground's loaders take it (`from_file`): its size first, and its
/// text only when it is within the file limit; `parse`'s message names the file.
fn load_with<T>(file: &Path, parse: impl FnOnce(u64, Option<&str>) -> Result<T, String>) -> Result<T, Failure> {
    let refuse = |why: String| invalid(format!("eda: {}: {why}", file.display()));
    let size = std::fs::metadata(file)
        .map_err(|e| refuse(format!("cannot read it: {e}")))?
        .len();
    let text = if size > eda_sim::kernel::limits::MAX_SCENARIO_FILE_BYTES {
        None
    } else {
        Some(std::fs::read_to_string(file).map_err(|e| refuse(format!("cannot read it: {e}")))?)
    };
    parse(size, text.as_deref()).map_err(refuse)
}

/// Reads a scenario file with the playground's checks and messages (size first, unread).
fn load(file: &Path) -> Result<Scenario, Failure> {
    load_with(file, Scenario::from_file)
}

/// The scenario a source names, what its link carries (if it is a link), and how to name it in
/// messages.
fn open(source: &Source) -> Result<(Scenario, Option<SharedState>, String), Failure> {
    match (&source.file, &source.link) {
        (Some(file), _) => Ok((load(file)?, None, file.display().to_string())),
        (None, Some(link)) if eda_sim::view::lesson::is_lesson_link(link) => {
            // A lesson link: the scenario as its step starts, at the moment the earlier steps reached.
            let opened = eda_sim::view::lesson::decode_link(link).map_err(|e| invalid(format!("eda: {e}")))?;
            let practice = eda_sim::view::lesson::Practice::at_step(&opened.lesson, opened.step)
                .map_err(|why| invalid(format!("eda: the link's lesson: {why}")))?;
            let mut state = SharedState::new(practice.scenario.clone());
            let sim = practice.timeline.sim();
            state.events = (sim.events_processed() > 0).then_some(sim.events_processed());
            state.cursor = (sim.now() > SimTime::ZERO).then_some(eda_sim::SimDuration(sim.now().0));
            let name = format!("step {} of the lesson {}", opened.step + 1, opened.lesson.id);
            Ok((practice.scenario, Some(state), name))
        }
        (None, Some(link)) => {
            let state = eda_sim::view::share::decode(link).map_err(|e| invalid(format!("eda: {e}")))?;
            Ok((state.scenario.clone(), Some(state), "the link".to_string()))
        }
        (None, None) => unreachable!("clap requires a scenario file or --link"),
    }
}

fn validate(source: &Source) -> Result<String, Failure> {
    if let Some(link) = source
        .link
        .as_deref()
        .filter(|l| eda_sim::view::compare::is_comparison_link(l))
    {
        let opened = eda_sim::view::compare::decode_comparison(link).map_err(|e| invalid(format!("eda: {e}")))?;
        return Ok(format!(
            "the A/B link: two valid scenarios (version {}), both run with seed {}\n",
            opened.a.version, opened.a.seed
        ));
    }
    let (scenario, _, name) = open(source)?;
    Ok(format!("{name}: valid scenario (version {})\n", scenario.version))
}

fn lesson_check(source: &args::LessonSource) -> Result<String, Failure> {
    let lesson = match (&source.file, &source.link) {
        (Some(file), _) => lesson::load(file)?,
        (None, Some(link)) => {
            eda_sim::view::lesson::decode_link(link)
                .map_err(|e| invalid(format!("eda: {e}")))?
                .lesson
        }
        (None, None) => unreachable!("clap requires a lesson file or --link"),
    };
    lesson::check(&lesson)
}

fn link(link_args: &LinkArgs) -> Result<String, Failure> {
    if let Some(variant) = &link_args.compare {
        let a = load(&link_args.file)?;
        let b = eda_sim::view::compare::same_seed(&a, &load(variant)?);
        let link = eda_sim::view::compare::encode_comparison(&a, &b, link_args.at, false);
        if link.len() > eda_sim::view::share::MAX_LINK_BYTES {
            let error = eda_sim::view::share::LinkError::TooLong { bytes: link.len() };
            return Err(invalid(format!("eda: {error}")));
        }
        return Ok(format!("#{link}\n"));
    }
    let mut state = SharedState::new(load(&link_args.file)?);
    state.cursor = link_args.at;
    let link = eda_sim::view::share::encode(&state);
    if link.len() > eda_sim::view::share::MAX_LINK_BYTES {
        let error = eda_sim::view::share::LinkError::TooLong { bytes: link.len() };
        return Err(invalid(format!("eda: {error}")));
    }
    Ok(format!("#{link}\n"))
}

fn run(run_args: &RunArgs) -> Result<String, Failure> {
    if let Some(link) = run_args
        .source
        .link
        .as_deref()
        .filter(|l| eda_sim::view::compare::is_comparison_link(l))
    {
        return compare::run(run_args, link);
    }
    let (mut scenario, shared, name) = open(&run_args.source)?;
    if let Some(seed) = run_args.seed {
        scenario.seed = seed;
    }
    let mut sim =
        Sim::with_retention(&scenario, Retention::HashOnly).map_err(|e| invalid(format!("eda: {name}: {e}")))?;
    // A link's moment (unless --until says otherwise): exactly where the browser stood.
    let moment = shared.filter(|s| run_args.until.is_none() && (s.cursor.is_some() || s.events.is_some()));
    let end = run_args.until.or(scenario.duration).map(|d| SimTime(d.0));
    let target = match (&moment, end) {
        (Some(state), _) => Target::Moment(state),
        (None, Some(until)) => Target::Until(until),
        (None, None) => Target::End,
    };
    let pace = Pace {
        max_events: run_args.max_events,
        slice_events: run_args.slice_events,
        show_bar: !run_args.quiet,
    };
    let outcome = progress::run(&mut sim, target, &pace);
    let report = sim.report();
    let text = if run_args.json {
        serde_json::to_string_pretty(&report)
            .map(|s| s + "\n")
            .unwrap_or_default()
    } else {
        report.to_text()
    };
    let message = match outcome {
        Ok(true) => return Ok(text),
        Ok(false) => budget_message(target, run_args.max_events, sim.now()),
        Err(e) => format!("eda: {e}"),
    };
    // Stopped by a limit: the report so far still goes to stdout.
    print!("{text}");
    Err(Failure { code: 3, message })
}

/// What to say when a run towards `target` used up its `max_events` at the time `reached`.
pub(crate) fn budget_message(target: Target, max_events: u64, reached: SimTime) -> String {
    let go_on = "To go on, give a larger --max-events or a shorter --until.";
    let stopped = format!("eda: the run stopped after {max_events} events (--max-events) at simulated time {reached}");
    match target {
        Target::End => format!(
            "eda: the run did not end by itself within {max_events} events (--max-events); it reached simulated \
             time {reached}. Something may repeat forever: give --until or a \"duration\", or a larger --max-events."
        ),
        Target::Until(until) => format!("{stopped}, before its end at {until}. {go_on}"),
        Target::Moment(state) => match state.cursor {
            Some(cursor) => format!("{stopped}, before the link's moment at {}. {go_on}", SimTime(cursor.0)),
            None => format!("{stopped}, before the link's moment. {go_on}"),
        },
    }
}
