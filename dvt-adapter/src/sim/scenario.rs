//! Scenario files (TOML): the registry, the network, the faults and the proposal mode of one run.

use serde::{Deserialize, Serialize};

/// Largest run: the XMSS test instance has 256 one-time epochs per key and epoch = slot.
pub const MAX_SLOTS: u64 = 200;

/// One simulated devnet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// A name for reports.
    #[serde(default = "default_name")]
    pub name: String,
    /// Slots to run (1..=200).
    #[serde(default = "default_slots")]
    pub slots: u64,
    /// The seed of keys, network randomness and role sampling (the CLI's `--seed` overrides it).
    #[serde(default)]
    pub seed: u64,
    /// Network model.
    #[serde(default)]
    pub network: NetworkConfig,
    /// Block production.
    #[serde(default)]
    pub proposal: ProposalConfig,
    /// Native-DVT groups.
    #[serde(default)]
    pub groups: Vec<GroupConfig>,
    /// Single-key validators (minimum balance each).
    #[serde(default)]
    pub singles: u32,
    /// Network partitions.
    #[serde(default)]
    pub partitions: Vec<PartitionConfig>,
    /// What only a real multi-process devnet (`ndvt devnet`) needs; the simulator ignores it.
    #[serde(default)]
    pub devnet: DevnetConfig,
}

/// Settings of a real devnet run: the simulator ignores them, and every field has a default so that every
/// simulator scenario also runs as a devnet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DevnetConfig {
    /// Identity i listens on UDP port `ports_base + i` on 127.0.0.1 (QUIC).
    #[serde(default = "default_ports_base")]
    pub ports_base: u16,
    /// Seconds from `ndvt devnet up` to genesis: time for every process to start and connect.
    #[serde(default = "default_start_delay_s")]
    pub start_delay_s: u64,
}

fn default_ports_base() -> u16 {
    19_100
}

fn default_start_delay_s() -> u64 {
    6
}

impl Default for DevnetConfig {
    fn default() -> Self {
        DevnetConfig { ports_base: default_ports_base(), start_delay_s: default_start_delay_s() }
    }
}

fn default_name() -> String {
    "unnamed".into()
}

fn default_slots() -> u64 {
    64
}

/// Latency, jitter and loss of every message (point to point, independently).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkConfig {
    /// Base one-way latency.
    pub latency_ms: u64,
    /// Added uniform delay in `0..=jitter_ms`.
    pub jitter_ms: u64,
    /// Probability that a message is lost (0..1).
    pub loss: f64,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig { latency_ms: 50, jitter_ms: 30, loss: 0.0 }
    }
}

/// How groups produce blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ProposalMode {
    /// A deterministic primary, fallback primaries after a timeout.
    #[default]
    Primary,
    /// Every member may propose; members sign off the first block they see.
    Race,
}

/// Block production parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalConfig {
    /// Primary or race.
    pub mode: ProposalMode,
    /// Time after which the next fallback primary may propose.
    pub fallback_timeout_ms: u64,
    /// In race mode, members propose at a random offset in `0..race_spread_ms`.
    pub race_spread_ms: u64,
}

impl Default for ProposalConfig {
    fn default() -> Self {
        ProposalConfig { mode: ProposalMode::Primary, fallback_timeout_ms: 150, race_spread_ms: 200 }
    }
}

/// One native-DVT group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupConfig {
    /// A name for reports.
    #[serde(default)]
    pub name: Option<String>,
    /// Threshold.
    pub m: u8,
    /// Members.
    pub n: u8,
    /// Balance in minimum-balance increments (default n, the least allowed).
    #[serde(default)]
    pub balance_increments: Option<u64>,
    /// Accept 2m ≤ n (a backup configuration, slashable without malice).
    #[serde(default)]
    pub backup: bool,
    /// Member faults.
    #[serde(default)]
    pub faults: Vec<FaultConfig>,
}

/// What is wrong with one member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    /// Never signs or relays anything.
    Crashed,
    /// Attests `delay_ms` late.
    Late,
    /// Byzantine: runs a second signer over its keys and signs a conflicting vote and block every slot.
    Equivocating,
    /// Saw a different head: votes for its head's parent, as if the latest block never reached it.
    DifferentHead,
    /// Attests, but never proposes when it is the primary.
    FailedPrimary,
    /// Saw another block at its target's slot (a fork the others never saw): votes that sibling target.
    DifferentTarget,
    /// Byzantine: runs a second signer over its keys and every slot votes both its view's target and the
    /// sibling target a `different-target` member votes, each time with a head nobody else uses (the attack
    /// of issue 13, finding 2).
    EquivocatingTarget,
}

impl FaultKind {
    /// True for the faults that run a second signer over the member's keys (the Byzantine ones).
    pub fn is_byzantine(self) -> bool {
        matches!(self, FaultKind::Equivocating | FaultKind::EquivocatingTarget)
    }
}

/// A fault of one member over a slot range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultConfig {
    /// The member index.
    pub member: u8,
    /// The fault.
    pub kind: FaultKind,
    /// First faulty slot.
    #[serde(default)]
    pub from_slot: u64,
    /// First slot no longer faulty (default: never).
    #[serde(default)]
    pub until_slot: Option<u64>,
    /// Delay of a `late` member.
    #[serde(default)]
    pub delay_ms: u64,
}

impl FaultConfig {
    /// True in `slot`.
    pub fn active(&self, slot: u64) -> bool {
        slot >= self.from_slot && self.until_slot.is_none_or(|u| slot < u)
    }
}

/// Cuts some members of one group off from every other node (they still reach each other).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartitionConfig {
    /// The group (index in `groups`).
    pub group: usize,
    /// The isolated members.
    pub members: Vec<u8>,
    /// First slot of the partition.
    pub from_slot: u64,
    /// First slot after it.
    pub until_slot: u64,
}

/// Why a scenario was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The TOML does not parse or has unknown fields.
    #[error("the scenario file does not parse")]
    Parse(#[source] toml::de::Error),
    /// The scenario could not be written as TOML.
    #[error("the scenario cannot be written as TOML")]
    Serialize(#[source] toml::ser::Error),
    /// Slots outside 1..=200.
    #[error("slots must be in 1..={MAX_SLOTS}, got {0}")]
    Slots(u64),
    /// Loss outside [0, 1].
    #[error("loss must be in [0, 1], got {0}")]
    Loss(f64),
    /// Nothing to simulate.
    #[error("a scenario needs at least one group or single validator")]
    Empty,
    /// A group's threshold or size is out of range.
    #[error("group {group}: need 1 <= m <= n <= 16, got m = {m}, n = {n}")]
    GroupShape {
        /// The group.
        group: usize,
        /// Its threshold.
        m: u8,
        /// Its members.
        n: u8,
    },
    /// A group's balance is below n minimum balances.
    #[error("group {group}: a balance of {increments} minimum balances is below its {n} members")]
    GroupBalance {
        /// The group.
        group: usize,
        /// Its balance, in minimum balances.
        increments: u64,
        /// Its members.
        n: u8,
    },
    /// A fault or partition names a member outside its group.
    #[error("group {group} has no member {member}")]
    UnknownMember {
        /// The group.
        group: usize,
        /// The member.
        member: u8,
    },
    /// A partition names an unknown group.
    #[error("partition names group {0}, which does not exist")]
    UnknownGroup(usize),
}

impl Scenario {
    /// Parses and validates a TOML scenario.
    pub fn from_toml(text: &str) -> Result<Self, ScenarioError> {
        let s: Scenario = toml::from_str(text).map_err(ScenarioError::Parse)?;
        s.validate()?;
        Ok(s)
    }

    /// The scenario as TOML.
    pub fn to_toml(&self) -> Result<String, ScenarioError> {
        toml::to_string(self).map_err(ScenarioError::Serialize)
    }

    /// Checks every rule the simulator relies on.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.slots == 0 || self.slots > MAX_SLOTS {
            return Err(ScenarioError::Slots(self.slots));
        }
        if !(0.0..=1.0).contains(&self.network.loss) {
            return Err(ScenarioError::Loss(self.network.loss));
        }
        if self.groups.is_empty() && self.singles == 0 {
            return Err(ScenarioError::Empty);
        }
        for (gi, g) in self.groups.iter().enumerate() {
            if g.n == 0 || g.n > 16 || g.m == 0 || g.m > g.n {
                return Err(ScenarioError::GroupShape { group: gi, m: g.m, n: g.n });
            }
            if let Some(increments) = g.balance_increments.filter(|b| *b < u64::from(g.n)) {
                return Err(ScenarioError::GroupBalance { group: gi, increments, n: g.n });
            }
            if let Some(f) = g.faults.iter().find(|f| f.member >= g.n) {
                return Err(ScenarioError::UnknownMember { group: gi, member: f.member });
            }
        }
        for p in &self.partitions {
            let g = self.groups.get(p.group).ok_or(ScenarioError::UnknownGroup(p.group))?;
            if let Some(m) = p.members.iter().find(|m| **m >= g.n) {
                return Err(ScenarioError::UnknownMember { group: p.group, member: *m });
            }
        }
        Ok(())
    }

    /// The built-in default: four groups of different shapes with faults, six single validators, a mildly
    /// lossy network and one partition.
    pub fn default_devnet() -> Self {
        let fault = |member, kind| FaultConfig { member, kind, from_slot: 0, until_slot: None, delay_ms: 0 };
        let group = |name: &str, m, n, faults| GroupConfig {
            name: Some(name.into()),
            m,
            n,
            balance_increments: None,
            backup: false,
            faults,
        };
        Scenario {
            name: "default devnet".into(),
            slots: 64,
            seed: 1,
            network: NetworkConfig { latency_ms: 60, jitter_ms: 80, loss: 0.02 },
            proposal: ProposalConfig::default(),
            groups: vec![
                group(
                    "whale 5-of-7",
                    5,
                    7,
                    vec![fault(6, FaultKind::Crashed), fault(2, FaultKind::DifferentHead)],
                ),
                group(
                    "family 3-of-4",
                    3,
                    4,
                    vec![FaultConfig { delay_ms: 1000, ..fault(3, FaultKind::Late) }],
                ),
                group(
                    "institution 7-of-10",
                    7,
                    10,
                    vec![
                        fault(0, FaultKind::Crashed),
                        fault(1, FaultKind::Crashed),
                        fault(9, FaultKind::Equivocating),
                    ],
                ),
                group("solo-plus 4-of-5", 4, 5, vec![fault(0, FaultKind::FailedPrimary)]),
            ],
            singles: 6,
            partitions: vec![PartitionConfig {
                group: 0,
                members: vec![0, 1],
                from_slot: 20,
                until_slot: 26,
            }],
            devnet: DevnetConfig::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_round_trips_through_toml() {
        let d = Scenario::default_devnet();
        d.validate().unwrap();
        assert_eq!(Scenario::from_toml(&d.to_toml().unwrap()).unwrap(), d);
    }

    #[test]
    fn bad_scenarios_have_typed_errors() {
        assert!(matches!(Scenario::from_toml("slots = 'x'"), Err(ScenarioError::Parse(_))));
        assert!(matches!(Scenario::from_toml("bogus = 1"), Err(ScenarioError::Parse(_))));
        assert_eq!(Scenario::from_toml("slots = 300\nsingles = 1"), Err(ScenarioError::Slots(300)));
        assert_eq!(Scenario::from_toml("slots = 10"), Err(ScenarioError::Empty));
        assert!(matches!(
            Scenario::from_toml("[[groups]]\nm = 5\nn = 4"),
            Err(ScenarioError::GroupShape { group: 0, m: 5, n: 4 })
        ));
        assert_eq!(
            Scenario::from_toml("[[groups]]\nm = 3\nn = 4\nbalance_increments = 3"),
            Err(ScenarioError::GroupBalance { group: 0, increments: 3, n: 4 })
        );
        assert_eq!(
            Scenario::from_toml("[[groups]]\nm = 3\nn = 4\nfaults = [{ member = 4, kind = 'crashed' }]"),
            Err(ScenarioError::UnknownMember { group: 0, member: 4 })
        );
        assert_eq!(
            Scenario::from_toml(
                "singles = 1\n[[partitions]]\ngroup = 2\nmembers = [0]\nfrom_slot = 1\nuntil_slot = 2"
            ),
            Err(ScenarioError::UnknownGroup(2))
        );
        assert!(matches!(
            Scenario::from_toml("singles = 1\n[network]\nlatency_ms = 1\njitter_ms = 1\nloss = 2.0"),
            Err(ScenarioError::Loss(_))
        ));
    }
}
