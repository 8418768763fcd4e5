//! The registry and every identity's node configuration of a scenario, built from public keys only: what a
//! networked node knows about the others (the simulator builds the same from its own signers).

use ndvt_aggregation::{GroupKey, Scheme, ThresholdPolicy};
use tree_hash::Hash256;

use super::engine::Sch;
use super::error::SimError;
use super::keys::{Identity, KeySetupError};
use super::scenario::Scenario;
use crate::containers::Checkpoint;
use crate::node::{NodeConfig, hash};
use crate::registry::{KeyPair, Registry, RegistryConfig};

/// The minimum balance (gwei) of a registry entry; a group holds n of them by default.
pub(super) const MIN_BALANCE: u64 = 32_000_000_000;

/// The genesis checkpoint every node of a run starts from.
pub(super) fn genesis_checkpoint() -> Checkpoint {
    Checkpoint { root: Hash256::from(hash(&[b"ndvt/sim/genesis"])), slot: 0 }
}

/// The seed of proposer sampling for scenario seed `seed`.
pub(super) fn role_seed(seed: u64) -> [u8; 32] {
    hash(&[b"ndvt/sim/roles", &seed.to_le_bytes()])
}

/// One registry entry as the nodes see it.
#[derive(Clone, Debug)]
pub struct RosterEntry {
    /// Name for reports.
    pub name: String,
    /// A single validator (no sign-off round).
    pub single: bool,
    /// The identities (indices into the scenario's identity list) of its members, in member order.
    pub identities: Vec<usize>,
    /// Attestation keys (a 1-of-1 group for a single validator).
    pub attestation: GroupKey<Sch>,
    /// Proposal keys (a 1-of-1 group for a single validator).
    pub proposal: GroupKey<Sch>,
}

/// The registry of a scenario's identities and what every node needs to know about every entry.
pub struct Roster {
    /// The registry (balances drive proposer sampling).
    pub registry: Registry<Sch>,
    /// Its entries, in registry order.
    pub entries: Vec<RosterEntry>,
    /// The genesis checkpoint.
    pub genesis: Checkpoint,
    role_seed: [u8; 32],
    scenario: Scenario,
    /// Registry entry and member index of each identity.
    places: Vec<(usize, u8)>,
}

fn public(bytes: &[u8]) -> Result<<Sch as Scheme>::PublicKey, SimError> {
    Ok(Sch::public_key_from_bytes(bytes).map_err(|_| KeySetupError::PublicKey)?)
}

impl Roster {
    /// Builds the registry of `scenario` from its identities' public keys (as [`super::identities`] lists them).
    pub fn new(scenario: &Scenario, ids: &[Identity]) -> Result<Self, SimError> {
        scenario.validate()?;
        let mut registry =
            Registry::<Sch>::new(RegistryConfig { min_balance: MIN_BALANCE, slashable_window: 8192 });
        let mut entries = Vec::new();
        let pair = |id: &Identity| -> Result<KeyPair<Sch>, SimError> {
            Ok(KeyPair {
                attestation: public(&id.attestation_public_key)?,
                proposal: public(&id.proposal_public_key)?,
            })
        };
        let strict = ThresholdPolicy::Strict;
        let places = ids.iter().map(|id| (id.entry, id.member)).collect();
        for (gi, g) in scenario.groups.iter().enumerate() {
            let members: Vec<usize> = (0..ids.len()).filter(|&i| ids[i].entry == gi).collect();
            let pairs = members.iter().map(|&i| pair(&ids[i])).collect::<Result<Vec<_>, _>>()?;
            let policy = if g.backup { ThresholdPolicy::AllowDisjointQuorums } else { strict };
            let balance = g.balance_increments.unwrap_or(u64::from(g.n)) * MIN_BALANCE;
            let (index, _) = registry.add_group(g.m, pairs, balance, policy)?;
            let keys = registry.group(index)?.current().clone();
            entries.push(RosterEntry {
                name: g.name.clone().unwrap_or_else(|| format!("group {gi} ({}-of-{})", g.m, g.n)),
                single: false,
                identities: members,
                attestation: keys.attestation,
                proposal: keys.proposal,
            });
        }
        for (i, id) in ids.iter().enumerate().filter(|(_, id)| id.entry >= scenario.groups.len()) {
            let keys = pair(id)?;
            registry.add_single(keys.clone(), MIN_BALANCE)?;
            entries.push(RosterEntry {
                name: format!("single {}", id.entry - scenario.groups.len()),
                single: true,
                identities: vec![i],
                attestation: GroupKey::new(1, vec![keys.attestation], strict)?.0,
                proposal: GroupKey::new(1, vec![keys.proposal], strict)?.0,
            });
        }
        Ok(Roster {
            registry,
            entries,
            genesis: genesis_checkpoint(),
            role_seed: role_seed(scenario.seed),
            scenario: scenario.clone(),
            places,
        })
    }

    /// The entry whose duty it is to propose in `slot` (the same sampling as the simulator's).
    pub fn proposer(&self, slot: u64) -> Option<usize> {
        crate::roles::proposer(&self.registry.balances(), &self.role_seed, slot)
    }

    /// Registry entry and member index of identity `identity`.
    pub fn place(&self, identity: usize) -> Option<(usize, u8)> {
        self.places.get(identity).copied()
    }

    /// Identity `identity`'s node configuration, with its scenario faults.
    pub fn node_config(&self, identity: usize) -> Option<NodeConfig<Sch>> {
        let (entry, member) = self.place(identity)?;
        let meta = self.entries.get(entry)?;
        let faults = match self.scenario.groups.get(entry) {
            Some(g) => g.faults.iter().filter(|f| f.member == member).copied().collect(),
            None => Vec::new(),
        };
        Some(NodeConfig {
            identity,
            entry,
            member,
            single: meta.single,
            proposal_keys: meta.proposal.clone(),
            mode: self.scenario.proposal.mode,
            fallback_timeout_ms: self.scenario.proposal.fallback_timeout_ms,
            faults,
        })
    }
}
