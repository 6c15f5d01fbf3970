//! `eda`: the playground's simulator without the browser. It runs a scenario file to an end
//! and prints what happened per entity and the trace hash (the same hash the browser computes),
//! or only validates the file. Bad input exits non-zero with the loader's messages.

use eda_sim::trace::Retention;
use eda_sim::{Scenario, Sim, SimDuration, SimTime};
use std::process::ExitCode;

/// Most events a run without an end (`--until`, or the scenario's `duration`) may process.
const MAX_EVENTS_WITHOUT_END: u64 = 50_000_000;

const USAGE: &str = "usage:
  eda run (SCENARIO.json | --link LINK) [--seed N] [--until DURATION] [--json]
  eda validate (SCENARIO.json | --link LINK)
  eda link SCENARIO.json [--at DURATION]

DURATION is like 250ms, 1.5s or 2min. Without --until a run lasts to a link's moment, else the
scenario's \"duration\", else until nothing is left to happen. LINK is a share link from the
playground: the whole URL or the part after '#'. `eda link` prints the share link of a scenario
file (opening at DURATION).";

/// Exit codes: 0 success, 1 the scenario is invalid or unreadable, 2 bad command line,
/// 3 the run was stopped by a limit.
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(output) => {
            print!("{output}");
            ExitCode::SUCCESS
        }
        Err(Failure { code: 0, message }) => {
            println!("{message}");
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

fn usage(message: &str) -> Failure {
    Failure {
        code: 2,
        message: format!("eda: {message}\n\n{USAGE}"),
    }
}

struct Options {
    command: String,
    file: String,
    link: Option<String>,
    seed: Option<u64>,
    until: Option<SimDuration>,
    at: Option<SimDuration>,
    json: bool,
}

fn parse(args: &[String]) -> Result<Options, Failure> {
    let mut rest = args.iter();
    let command = rest.next().ok_or_else(|| usage("missing command"))?.clone();
    if command == "--help" || command == "-h" || command == "help" {
        return Err(Failure {
            code: 0,
            message: USAGE.to_string(),
        });
    }
    if command != "run" && command != "validate" && command != "link" {
        return Err(usage(&format!("unknown command {command:?}")));
    }
    let mut options = Options {
        command,
        file: String::new(),
        link: None,
        seed: None,
        until: None,
        at: None,
        json: false,
    };
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--json" => options.json = true,
            "--seed" => {
                let value = rest.next().ok_or_else(|| usage("--seed needs a number"))?;
                options.seed = Some(
                    value
                        .parse()
                        .map_err(|_| usage(&format!("--seed {value:?} is not a whole number")))?,
                );
            }
            "--until" => {
                let value = rest.next().ok_or_else(|| usage("--until needs a duration"))?;
                options.until = Some(value.parse().map_err(|e| usage(&format!("--until: {e}")))?);
            }
            "--at" => {
                let value = rest.next().ok_or_else(|| usage("--at needs a duration"))?;
                options.at = Some(value.parse().map_err(|e| usage(&format!("--at: {e}")))?);
            }
            "--link" => {
                let value = rest.next().ok_or_else(|| usage("--link needs a share link"))?;
                options.link = Some(value.clone());
            }
            flag if flag.starts_with("--") => return Err(usage(&format!("unknown option {flag}"))),
            file if options.file.is_empty() => options.file = file.to_string(),
            extra => return Err(usage(&format!("unexpected argument {extra:?}"))),
        }
    }
    match (&options.link, options.file.is_empty()) {
        (None, true) => return Err(usage("missing scenario file (or --link)")),
        (Some(_), false) => return Err(usage("give a scenario file or --link, not both")),
        (Some(_), true) if options.command == "link" => return Err(usage("link takes a scenario file")),
        _ => {}
    }
    if options.command == "validate" && (options.seed.is_some() || options.until.is_some() || options.json) {
        return Err(usage("validate takes only a scenario file or a link"));
    }
    if options.at.is_some() && options.command != "link" {
        return Err(usage("--at is for `eda link`; `eda run` takes --until"));
    }
    if options.command == "link" && (options.seed.is_some() || options.until.is_some() || options.json) {
        return Err(usage("link takes a scenario file and --at"));
    }
    Ok(options)
}

/// Reads a scenario file with the playground's checks and messages (size first, unread).
fn load(file: &str) -> Result<Scenario, Failure> {
    let refuse = |why: String| Failure {
        code: 1,
        message: format!("eda: {file}: {why}"),
    };
    let size = std::fs::metadata(file)
        .map_err(|e| refuse(format!("cannot read it: {e}")))?
        .len();
    let text = if size > eda_sim::limits::MAX_SCENARIO_FILE_BYTES {
        None
    } else {
        Some(std::fs::read_to_string(file).map_err(|e| refuse(format!("cannot read it: {e}")))?)
    };
    Scenario::from_file(size, text.as_deref()).map_err(refuse)
}

/// What a share link carries.
fn load_link(link: &str) -> Result<eda_sim::share::SharedState, Failure> {
    eda_sim::share::decode(link).map_err(|e| Failure {
        code: 1,
        message: format!("eda: {e}"),
    })
}

fn run(args: &[String]) -> Result<String, Failure> {
    let options = parse(args)?;
    let (mut scenario, shared) = match &options.link {
        Some(link) => {
            let state = load_link(link)?;
            (state.scenario.clone(), Some(state))
        }
        None => (load(&options.file)?, None),
    };
    let source = if options.link.is_some() {
        "the link".to_string()
    } else {
        options.file.clone()
    };
    if options.command == "validate" {
        return Ok(format!("{source}: valid scenario (version {})\n", scenario.version));
    }
    if options.command == "link" {
        let mut state = eda_sim::share::SharedState::new(scenario);
        state.cursor = options.at;
        let link = eda_sim::share::encode(&state);
        if link.len() > eda_sim::share::MAX_LINK_BYTES {
            return Err(Failure {
                code: 1,
                message: format!("eda: {}", eda_sim::share::LinkError::TooLong { bytes: link.len() }),
            });
        }
        return Ok(format!("#{link}\n"));
    }
    if let Some(seed) = options.seed {
        scenario.seed = seed;
    }
    let mut sim = Sim::with_retention(&scenario, Retention::HashOnly).map_err(|e| Failure {
        code: 1,
        message: format!("eda: {source}: {e}"),
    })?;
    // A link's moment (unless --until says otherwise): exactly where the browser stood.
    let moment = shared.filter(|s| options.until.is_none() && (s.cursor.is_some() || s.events.is_some()));
    let end = options.until.or(scenario.duration);
    let outcome = match (moment, end) {
        (Some(state), _) => match eda_sim::share::run_to_moment(&mut sim, &state, MAX_EVENTS_WITHOUT_END) {
            Ok(true) => Ok(()),
            Ok(false) => {
                return Err(Failure {
                    code: 3,
                    message: format!("eda: the link's moment lies more than {MAX_EVENTS_WITHOUT_END} events ahead"),
                })
            }
            Err(e) => Err(e),
        },
        (None, Some(until)) => sim.run_until(SimTime(until.0)).map(|_| ()),
        (None, None) => {
            let progress = sim.run_to_end(MAX_EVENTS_WITHOUT_END);
            match progress {
                Ok(p) if !p.reached => {
                    return Err(Failure {
                        code: 3,
                        message: format!(
                            "eda: the run did not end by itself after {MAX_EVENTS_WITHOUT_END} events (something repeats forever); give --until or a \"duration\""
                        ),
                    })
                }
                Ok(_) => Ok(()),
                Err(e) => Err(e),
            }
        }
    };
    let report = sim.report();
    let text = if options.json {
        serde_json::to_string_pretty(&report)
            .map(|s| s + "\n")
            .unwrap_or_default()
    } else {
        report.to_text()
    };
    match outcome {
        Ok(()) => Ok(text),
        Err(e) => {
            print!("{text}");
            Err(Failure {
                code: 3,
                message: format!("eda: {e}"),
            })
        }
    }
}
