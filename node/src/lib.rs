//! `ndvt-node`: one native-DVT identity (a group member or a single validator) as its own networked
//! process, on the gossip lean clients use: QUIC on loopback or any address, gossipsub with lean's
//! parameters, raw-snappy SSZ payloads on `/leanconsensus/<fork digest>/<name>/ssz_snappy` topics.
//!
//! The node is a driver of `ndvt_adapter::node::NodeCore`: it feeds slot-clock duties and validated gossip
//! in and publishes what the core asks; every protocol rule stays in the core. See docs/DEVNET.md.

#[cfg(feature = "net")]
pub mod advance;
#[cfg(feature = "net")]
mod backfill;
pub mod config;
pub mod fetch;
pub mod log;
#[cfg(feature = "net")]
pub mod net;
#[cfg(feature = "net")]
mod receive;
#[cfg(feature = "net")]
pub mod run;
#[cfg(feature = "net")]
pub mod shim;
pub mod store;
pub mod validate;
pub mod wire;

pub use config::NodeFile;
#[cfg(feature = "net")]
pub use run::{RunError, devnet_digest, fork_digest, run};
pub use validate::{DropReason, Validator};
