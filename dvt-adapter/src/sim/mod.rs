//! The devnet simulator: discrete-event and deterministic under a seed.
//!
//! Every identity of every group and every single validator is an independent node with real XMSS keys
//! (the test instance) behind its own durable signer in a temporary directory. Slots are 4 s in five 800 ms
//! intervals; the network has latency, jitter, loss and partitions; members can be crashed, late,
//! equivocating (Byzantine), see a different head, or fail as primary. See `docs/SIMULATOR.md`.
//!
//! ```no_run
//! use ndvt_adapter::sim::{Scenario, Simulation};
//!
//! let report = Simulation::new(&Scenario::default_devnet(), false)?.run(&mut |_, _| {})?;
//! println!("{}", report.to_table());
//! assert_eq!(report.safety_violations, 0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod detector;
mod drive;
mod engine;
mod error;
mod keys;
mod network;
mod report;
mod roster;
mod scenario;
mod svg;
mod tally;

pub use engine::{Sch, Simulation};
pub use error::SimError;
pub use keys::{
    Identity, Instance, KeySetupError, NodeSigners, create_node_keys, create_rogue_node_keys, identities,
    key_dirs, open_node_signers, open_rogue_signers, prepare, rogue_key_dirs,
};
pub use network::{Network, Partition, Route, resolve_partitions};
pub use report::{Components, EntryReport, Overhead, Report, SlashableEvent, SlotPoint};
pub use roster::{Roster, RosterEntry};
pub use scenario::{
    DevnetConfig, FaultConfig, FaultKind, GroupConfig, MAX_SLOTS, NetworkConfig, PartitionConfig,
    ProposalConfig, ProposalMode, Scenario, ScenarioError,
};
pub use svg::participation_svg;
