//! Native-DVT rules for lean consensus, and a devnet simulator.
//!
//! A native-DVT group is n ≤ 16 virtual identities with independent keys and a threshold m, registered as one
//! validator: it is sampled for roles as one unit, and it counts as having acted iff at least m members
//! signed the same data. This crate holds the lean consensus containers ([`containers`]), the registry of
//! groups and single validators ([`registry`]), role sampling ([`roles`]), per-component accounting and
//! rewards ([`accounting`]), slashing evidence in the units accounting credits ([`slashing`]), key rotation
//! ([`rotation`]), block production with a primary and sign-offs ([`block`]), the sans-IO node core one identity runs
//! ([`node`]) and the deterministic devnet simulator that drives it ([`sim`]).
//!
//! ```
//! use ndvt_adapter::accounting::{Credit, MemberVote, tally};
//! use ndvt_adapter::containers::{AttestationData, Checkpoint};
//! use ndvt_adapter::registry::{KeyPair, Registry, RegistryConfig};
//! use ndvt_aggregation::{Ed25519, Ed25519Member, GroupSigner, ThresholdPolicy};
//!
//! // A 3-of-4 group: four members, each with an attestation and a proposal key.
//! let mut attesters: Vec<Ed25519Member> = (0..4u8).map(|i| Ed25519Member::from_seed(i, &[i + 1; 32])).collect();
//! let proposers: Vec<Ed25519Member> = (0..4u8).map(|i| Ed25519Member::from_seed(i, &[i + 101; 32])).collect();
//! let pairs = attesters
//!     .iter()
//!     .zip(&proposers)
//!     .map(|(a, p)| KeyPair { attestation: a.public_key(), proposal: p.public_key() })
//!     .collect();
//! let mut registry = Registry::<Ed25519>::new(RegistryConfig::default());
//! let (index, _report) = registry.add_group(3, pairs, 4 * 32_000_000_000, ThresholdPolicy::Strict)?;
//!
//! // Three members vote the same data at slot 5: the group has attested.
//! let data = AttestationData { slot: 5, ..AttestationData::default() };
//! let votes: Vec<MemberVote<Ed25519>> = attesters[..3]
//!     .iter_mut()
//!     .map(|m| {
//!         let share = m.sign(5, &data.signing_root()).expect("ed25519 signs");
//!         MemberVote { member: share.member, data, signature: share.signature }
//!     })
//!     .collect();
//! let keys = &registry.group(index)?.current().attestation;
//! let t = tally(keys, 5, &votes);
//! assert!(t.counts_data(&data) && t.counts(&Credit::Head(Checkpoint::default())));
//! assert!(!tally(keys, 5, &votes[..2]).counts_data(&data));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! See `docs/ADAPTER.md` and `docs/SIMULATOR.md`.

pub mod accounting;
pub mod block;
pub mod containers;
mod evidence_ssz;
pub mod node;
pub mod registry;
pub mod roles;
pub mod rotation;
pub mod sim;
pub mod slashing;

#[cfg(test)]
mod testkit;
