//! The validator registry: native-DVT groups beside single-key validators.
//!
//! A group entry holds n member key pairs (attestation key, proposal key: separate one-time key sets, as
//! leanSpec has), a threshold m and a balance of at least n × the minimum balance, so a group never costs the
//! network more identities than the same stake split into minimum-balance validators. Rotations keep the
//! key sets that were in force, with their slot ranges, so old keys stay slashable for a window.

use ndvt_aggregation::{GroupKey, GroupKeyError, Participant, Scheme, ThresholdPolicy, ThresholdReport};

/// Registry rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegistryConfig {
    /// Minimum balance of one identity (gwei); a group of n needs n times this.
    pub min_balance: u64,
    /// Slots during which a rotated-out key set can still be slashed, after the rotation takes effect.
    pub slashable_window: u64,
}

impl Default for RegistryConfig {
    fn default() -> Self {
        RegistryConfig { min_balance: 32_000_000_000, slashable_window: 8192 }
    }
}

/// One identity's two public keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPair<S: Scheme> {
    /// Signs attestations (`hash_tree_root(AttestationData)` at epoch = slot).
    pub attestation: S::PublicKey,
    /// Signs blocks and block sign-offs (the header root at epoch = slot).
    pub proposal: S::PublicKey,
}

/// The group's keys in force over a slot range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySet<S: Scheme> {
    /// First slot these keys sign for.
    pub from_slot: u64,
    /// First slot they no longer sign for (set by a rotation).
    pub until_slot: Option<u64>,
    /// The m-of-n attestation keys.
    pub attestation: GroupKey<S>,
    /// The m-of-n proposal keys.
    pub proposal: GroupKey<S>,
}

/// A native-DVT group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupEntry<S: Scheme> {
    /// Balance (gwei).
    pub balance: u64,
    /// The threshold policy the group registered under (the linter runs again on every rotation).
    pub policy: ThresholdPolicy,
    /// The threshold linter's findings for the current keys.
    pub report: ThresholdReport,
    pub(crate) key_sets: Vec<KeySet<S>>,
}

impl<S: Scheme> GroupEntry<S> {
    /// The keys in force now (the last key set).
    pub fn current(&self) -> &KeySet<S> {
        // Invariant: an entry is created with one key set and rotations only append.
        &self.key_sets[self.key_sets.len() - 1]
    }

    /// Every key set, oldest first.
    pub fn key_sets(&self) -> &[KeySet<S>] {
        &self.key_sets
    }

    /// The key set that signed for `slot`.
    pub fn keys_at(&self, slot: u64) -> Option<&KeySet<S>> {
        self.key_sets.iter().find(|k| k.from_slot <= slot && k.until_slot.is_none_or(|until| slot < until))
    }
}

/// A registry entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry<S: Scheme> {
    /// A single-key validator.
    Single {
        /// Its keys.
        keys: KeyPair<S>,
        /// Balance (gwei).
        balance: u64,
    },
    /// A native-DVT group.
    Group(GroupEntry<S>),
}

impl<S: Scheme> Entry<S> {
    /// The entry's balance.
    pub fn balance(&self) -> u64 {
        match self {
            Entry::Single { balance, .. } => *balance,
            Entry::Group(g) => g.balance,
        }
    }
}

/// Why the registry refused an entry or a lookup.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// Below the minimum balance of one identity.
    #[error("balance {balance} is below the minimum {min}")]
    BelowMinimum {
        /// Offered balance.
        balance: u64,
        /// Minimum balance.
        min: u64,
    },
    /// A group of n needs n × the minimum balance.
    #[error("a group of {n} needs {need} (n × minimum balance), got {balance}")]
    InsufficientGroupBalance {
        /// Members.
        n: usize,
        /// Offered balance.
        balance: u64,
        /// Required balance.
        need: u64,
    },
    /// The group's keys fail the group rules or the threshold linter.
    #[error("the group's keys fail the group rules or the threshold linter")]
    Group(#[from] GroupKeyError),
    /// A key is already registered (by another entry, or twice in this one).
    #[error("a key is already registered (entry {0})")]
    KeyInUse(usize),
    /// No entry at this index.
    #[error("no registry entry {0}")]
    UnknownValidator(u64),
    /// The entry is a single-key validator where a group was required.
    #[error("registry entry {0} is not a group")]
    NotAGroup(u64),
    /// No key set of the group covers this slot.
    #[error("registry entry {index} has no keys for slot {slot}")]
    NoKeysAt {
        /// The entry.
        index: u64,
        /// The slot.
        slot: u64,
    },
}

/// Groups and single validators in registry order (the order of participation bitfields).
#[derive(Clone, Debug)]
pub struct Registry<S: Scheme> {
    config: RegistryConfig,
    pub(crate) entries: Vec<Entry<S>>,
}

impl<S: Scheme> Registry<S> {
    /// An empty registry.
    pub fn new(config: RegistryConfig) -> Self {
        Registry { config, entries: Vec::new() }
    }

    /// The rules.
    pub fn config(&self) -> RegistryConfig {
        self.config
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries in registry order.
    pub fn entries(&self) -> &[Entry<S>] {
        &self.entries
    }

    /// Balances in registry order (the weights of role sampling).
    pub fn balances(&self) -> Vec<u64> {
        self.entries.iter().map(Entry::balance).collect()
    }

    /// Registers a single-key validator; returns its index.
    pub fn add_single(&mut self, keys: KeyPair<S>, balance: u64) -> Result<u64, RegistryError> {
        if balance < self.config.min_balance {
            return Err(RegistryError::BelowMinimum { balance, min: self.config.min_balance });
        }
        self.check_unused(&[keys.attestation.clone(), keys.proposal.clone()])?;
        self.entries.push(Entry::Single { keys, balance });
        Ok(self.entries.len() as u64 - 1)
    }

    /// Registers an m-of-n group; returns its index and the threshold linter's report.
    pub fn add_group(
        &mut self,
        m: u8,
        members: Vec<KeyPair<S>>,
        balance: u64,
        policy: ThresholdPolicy,
    ) -> Result<(u64, ThresholdReport), RegistryError> {
        let n = members.len();
        let need = self.config.min_balance.saturating_mul(n as u64);
        if balance < need {
            return Err(RegistryError::InsufficientGroupBalance { n, balance, need });
        }
        let all: Vec<S::PublicKey> =
            members.iter().flat_map(|k| [k.attestation.clone(), k.proposal.clone()]).collect();
        self.check_unused(&all)?;
        let (attestation, report) =
            GroupKey::new(m, members.iter().map(|k| k.attestation.clone()).collect(), policy)?;
        let (proposal, _) = GroupKey::new(m, members.into_iter().map(|k| k.proposal).collect(), policy)?;
        let key_sets = vec![KeySet { from_slot: 0, until_slot: None, attestation, proposal }];
        self.entries.push(Entry::Group(GroupEntry { balance, policy, report: report.clone(), key_sets }));
        Ok((self.entries.len() as u64 - 1, report))
    }

    /// The entry at `index`.
    pub fn entry(&self, index: u64) -> Result<&Entry<S>, RegistryError> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.entries.get(i))
            .ok_or(RegistryError::UnknownValidator(index))
    }

    /// The group at `index`.
    pub fn group(&self, index: u64) -> Result<&GroupEntry<S>, RegistryError> {
        match self.entry(index)? {
            Entry::Group(g) => Ok(g),
            Entry::Single { .. } => Err(RegistryError::NotAGroup(index)),
        }
    }

    /// The group's key set that signed for `slot`.
    pub fn group_keys_at(&self, index: u64, slot: u64) -> Result<&KeySet<S>, RegistryError> {
        self.group(index)?.keys_at(slot).ok_or(RegistryError::NoKeysAt { index, slot })
    }

    /// The attestation registry for aggregates over `slot` (current attestation keys, registry order).
    pub fn attestation_participants(&self, slot: u64) -> Vec<Participant<S>> {
        self.entries
            .iter()
            .map(|e| match e {
                Entry::Single { keys, .. } => Participant::Single(keys.attestation.clone()),
                Entry::Group(g) => {
                    Participant::Group(g.keys_at(slot).unwrap_or(g.current()).attestation.clone())
                }
            })
            .collect()
    }

    /// Refuses keys registered anywhere (current or past key sets) or repeated in `keys`.
    pub(crate) fn check_unused(&self, keys: &[S::PublicKey]) -> Result<(), RegistryError> {
        let encoded: Vec<Vec<u8>> = keys.iter().map(S::public_key_to_bytes).collect();
        for (i, k) in encoded.iter().enumerate() {
            if encoded[..i].contains(k) {
                return Err(RegistryError::KeyInUse(self.entries.len()));
            }
        }
        for (index, entry) in self.entries.iter().enumerate() {
            let used: Vec<&S::PublicKey> = match entry {
                Entry::Single { keys, .. } => vec![&keys.attestation, &keys.proposal],
                Entry::Group(g) => g
                    .key_sets
                    .iter()
                    .flat_map(|s| s.attestation.members().iter().chain(s.proposal.members()))
                    .collect(),
            };
            if used.iter().any(|u| encoded.contains(&S::public_key_to_bytes(u))) {
                return Err(RegistryError::KeyInUse(index));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
