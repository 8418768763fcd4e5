//! `ndvt`: keys, signing and verification for native DVT on lean Ethereum.
//!
//! Exit codes: 0 success (`valid`), 1 invalid input or failure (`invalid: <reason>` for `verify`),
//! 2 usage error, 3 refusal to sign (an epoch at or below the key's watermark), 4 the threshold linter refused
//! a group.

// `with_instance!` (the library's dispatch from a set's name to its type) for every module below.
#[macro_use]
extern crate ndvt_xmss;

mod bench;
mod bench_aggregate;
mod demo;
mod devnet;
mod devnet_faults;
mod devnet_report;
mod devnet_usage;
mod devnet_votes;
mod genesis;
mod group;
mod hexarg;
mod instances;
mod key;
mod keystore_cmd;
mod platform;
mod simulate;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use instances::InstanceArg;

#[derive(Parser, Debug)]
#[command(
    name = "ndvt",
    version,
    about = "Post-quantum native DVT toolkit for lean Ethereum (XMSS keys, signing, verification)"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Verify a signature: prints `valid` (exit 0) or `invalid: <reason>` (exit 1).
    Verify(verify::VerifyArgs),
    /// Key management and durable signing.
    #[command(subcommand)]
    Key(key::KeyCommand),
    /// m-of-n groups of independent keys: create, sign a share, combine, verify.
    #[command(subcommand)]
    Group(group::GroupCommand),
    /// Run the native-DVT devnet simulator (the default command; the built-in devnet without a scenario).
    Simulate(simulate::SimulateArgs),
    /// Write lean-quickstart style config.yaml / validators.yaml for a scenario's keys.
    Genesis(genesis::GenesisArgs),
    /// Time keygen, sign and verify for every parameter set (`bench aggregate`: one succinct aggregate proof).
    Bench(bench::BenchArgs),
    /// Demonstrate keygen, durable signing and verification on the test instance.
    Demo,
    /// Run one identity as a networked node (lean's libp2p gossip) until SIGTERM.
    Node {
        /// The node's configuration (NODE.toml).
        #[arg(long)]
        config: std::path::PathBuf,
    },
    /// A real multi-process devnet: one `ndvt node` per identity on loopback QUIC.
    #[command(subcommand)]
    Devnet(devnet::DevnetCommand),
}

/// A failure with the exit code it maps to.
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// Exit 1: invalid input or an operation that failed.
    pub fn invalid(message: impl Into<String>) -> Self {
        Failure { code: 1, message: message.into() }
    }

    /// Exit 2: the arguments do not make a valid request.
    pub fn usage(message: impl Into<String>) -> Self {
        Failure { code: 2, message: message.into() }
    }

    /// Exit 3: the signer refused (epoch already used).
    pub fn refused(message: impl Into<String>) -> Self {
        Failure { code: 3, message: message.into() }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        // A typed durable-signer refusal keeps its exit code 3 on its way through `anyhow`.
        match e.downcast::<ndvt_xmss::DurableError>() {
            Ok(d) => key::durable_failure(d),
            Err(e) => Failure::invalid(describe(e.as_ref())),
        }
    }
}

/// The error and its causes, outermost first, joined by `: `. Every error type of the workspace names only what
/// it adds and leaves its cause to `source()`, so each cause appears once without any de-duplication here.
pub fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let chain: Vec<String> = std::iter::successors(Some(e), |e| e.source()).map(|c| c.to_string()).collect();
    chain.join(": ")
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Once per run, before any work: a scalar build is the slow path a lean client can land on unknowingly.
    if let Some(warning) =
        platform::scalar_build_warning(ndvt_xmss::simd::compiled(), ndvt_xmss::simd::best_for_this_cpu())
    {
        eprintln!("{warning}");
    }
    let result = match cli.command {
        None => simulate::run(&simulate::SimulateArgs::default()),
        Some(Command::Demo) => demo::run().map_err(Failure::from),
        Some(Command::Verify(args)) => verify::run(&args),
        Some(Command::Bench(args)) => bench::run(&args),
        Some(Command::Simulate(args)) => simulate::run(&args),
        Some(Command::Genesis(args)) => genesis::run(&args),
        Some(Command::Key(cmd)) => key::run(cmd),
        Some(Command::Group(cmd)) => group::run(cmd),
        Some(Command::Node { config }) => ndvt_node::NodeFile::load(&config)
            .map_err(|e| Failure::usage(describe(&e)))
            .and_then(|file| ndvt_node::run(&file).map_err(|e| Failure::invalid(describe(&e)))),
        Some(Command::Devnet(cmd)) => devnet::run(cmd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
