//! `ndvt simulate [SCENARIO.toml] [--seed N] [--json]`: runs the devnet simulator.
//!
//! Without a scenario it runs the built-in default devnet (several groups, some faults). The human table
//! goes to stdout; with `--json` stdout is a single line, one JSON object. The progress bar goes to stderr.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use ndvt_adapter::sim::{Scenario, Simulation, participation_svg};

use crate::Failure;

/// Arguments of `ndvt simulate` (the default: the built-in devnet, human table).
#[derive(Args, Debug, Default)]
pub struct SimulateArgs {
    /// Scenario file (TOML); the built-in default devnet when omitted.
    pub scenario: Option<PathBuf>,
    /// Seed of keys, network and roles (overrides the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Print the report as one JSON object (the last line of stdout).
    #[arg(long)]
    pub json: bool,
    /// Also write an SVG chart of participation over time to this file.
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Re-verify every slot's concatenation aggregate (slower).
    #[arg(long)]
    pub verify_aggregates: bool,
    /// Print the built-in default scenario as TOML and exit.
    #[arg(long, conflicts_with_all = ["scenario", "json", "svg"])]
    pub print_default: bool,
}

/// Loads the scenario named on the command line, or the default one.
pub fn load(path: Option<&PathBuf>) -> anyhow::Result<Scenario> {
    match path {
        None => Ok(Scenario::default_devnet()),
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            Scenario::from_toml(&text).with_context(|| format!("scenario {}", p.display()))
        }
    }
}

/// Runs `ndvt simulate`.
pub fn run(args: &SimulateArgs) -> Result<(), Failure> {
    if args.print_default {
        let text = Scenario::default_devnet().to_toml().map_err(|e| Failure::invalid(e.to_string()))?;
        print!("{text}");
        return Ok(());
    }
    let mut scenario = load(args.scenario.as_ref())?;
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    let bar = ProgressBar::new(scenario.slots);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:40}] slot {pos}/{len} ({elapsed})") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message("generating keys");
    let sim = Simulation::new(&scenario, args.verify_aggregates)
        .map_err(|e| Failure::invalid(format!("simulator setup: {}", crate::describe(&e))))?;
    bar.set_message(scenario.name.clone());
    let report = sim
        .run(&mut |slot, _| bar.set_position(slot))
        .map_err(|e| Failure::invalid(format!("simulation: {}", crate::describe(&e))))?;
    bar.finish_and_clear();
    if let Some(path) = &args.svg {
        std::fs::write(path, participation_svg(&report))
            .map_err(|e| Failure::invalid(format!("writing {}: {e}", path.display())))?;
    }
    if args.json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.to_table());
    }
    Ok(())
}
