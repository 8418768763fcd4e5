//! `NODE.toml`: what one `ndvt node` process runs, and the identities file every node of a devnet shares.

use std::path::{Path, PathBuf};

use ndvt_adapter::sim::{Identity, Scenario};
use serde::{Deserialize, Serialize};

/// One node's configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeFile {
    /// The identity this process runs (index into the identities file: each group's members, then the
    /// single validators).
    pub identity: usize,
    /// The scenario: groups and thresholds, proposal mode, the seed of proposer sampling, behaviour faults.
    pub scenario: PathBuf,
    /// The identities file (every identity's public keys, in order), written with the genesis.
    pub identities: PathBuf,
    /// Genesis time, unix milliseconds: slot s starts at `genesis_ms + 4000 s`.
    pub genesis_ms: u64,
    /// This identity's attestation key directory (a durable signer).
    pub attestation_key_dir: PathBuf,
    /// This identity's proposal key directory (a durable signer).
    pub proposal_key_dir: PathBuf,
    /// UDP port to listen on for QUIC.
    pub listen_port: u16,
    /// Listen address (default 127.0.0.1).
    #[serde(default = "default_host")]
    pub listen_host: String,
    /// Peers to dial at start (QUIC multiaddrs).
    #[serde(default)]
    pub bootstrap: Vec<String>,
    /// The JSON-lines event log (appended to).
    pub log: PathBuf,
    /// Stop by itself after this slot (default: run until SIGTERM).
    #[serde(default)]
    pub last_slot: Option<u64>,
    /// The scenario's `late` faults of this identity are applied from outside, by SIGSTOP/SIGCONT around its
    /// attestation moment (`ndvt devnet up` does): the node then attests on time by its own clock, and the
    /// pause makes it late. Without this flag the node delays its attestation itself (the core's schedule).
    #[serde(default)]
    pub late_by_signal: bool,
    /// Apply the scenario's `[network]` (loss, latency plus jitter) and `partitions` to what this node
    /// receives, by the simulator's network model (`shim.rs`): the stand-in for `tc netem`. Off for a node on
    /// a real network.
    #[serde(default)]
    pub network_shim: bool,
    /// **Test-only fault injector**: the second durable records over this identity's same keys (attestation,
    /// proposal) that an `equivocating` or `equivocating-target` member signs its conflicting data with
    /// (`sim::create_rogue_node_keys`). Never set for an honest node.
    #[serde(default)]
    pub rogue_key_dirs: Option<(PathBuf, PathBuf)>,
}

fn default_host() -> String {
    "127.0.0.1".into()
}

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The node file is not valid TOML of this shape.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
}

/// Files read by a node are small; anything larger is refused before it is read whole.
const MAX_FILE_BYTES: u64 = 4 << 20;

fn read(path: &Path) -> Result<String, ConfigError> {
    let io = |source| ConfigError::Io { path: path.to_path_buf(), source };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > MAX_FILE_BYTES {
        return Err(ConfigError::Parse { path: path.into(), message: format!("{len} bytes is too large") });
    }
    std::fs::read_to_string(path).map_err(io)
}

fn parse_err(path: &Path, e: impl std::fmt::Display) -> ConfigError {
    ConfigError::Parse { path: path.into(), message: e.to_string() }
}

impl NodeFile {
    /// Reads a node file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        toml::from_str(&read(path)?).map_err(|e| parse_err(path, e))
    }

    /// The scenario it names.
    pub fn load_scenario(&self) -> Result<Scenario, ConfigError> {
        Scenario::from_toml(&read(&self.scenario)?).map_err(|e| parse_err(&self.scenario, e))
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IdentityLine {
    name: String,
    entry: usize,
    member: u8,
    attestation_public_key: String,
    proposal_public_key: String,
}

/// Writes the identities file (JSON: one object per identity, hex public keys).
pub fn write_identities(path: &Path, ids: &[Identity]) -> Result<(), ConfigError> {
    let lines: Vec<IdentityLine> = ids
        .iter()
        .map(|id| IdentityLine {
            name: id.name.clone(),
            entry: id.entry,
            member: id.member,
            attestation_public_key: hex::encode(&id.attestation_public_key),
            proposal_public_key: hex::encode(&id.proposal_public_key),
        })
        .collect();
    let text = serde_json::to_string_pretty(&lines).map_err(|e| parse_err(path, e))?;
    std::fs::write(path, text).map_err(|source| ConfigError::Io { path: path.into(), source })
}

/// Reads the identities file.
pub fn read_identities(path: &Path) -> Result<Vec<Identity>, ConfigError> {
    let lines: Vec<IdentityLine> = serde_json::from_str(&read(path)?).map_err(|e| parse_err(path, e))?;
    lines
        .into_iter()
        .map(|l| {
            Ok(Identity {
                name: l.name,
                entry: l.entry,
                member: l.member,
                attestation_public_key: hex::decode(&l.attestation_public_key)
                    .map_err(|e| parse_err(path, e))?,
                proposal_public_key: hex::decode(&l.proposal_public_key).map_err(|e| parse_err(path, e))?,
            })
        })
        .collect()
}
