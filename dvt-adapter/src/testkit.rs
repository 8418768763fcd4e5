//! Test helpers: Ed25519 members (fast) with distinct deterministic keys.

use ndvt_aggregation::{Ed25519, Ed25519Member, GroupSigner};

use crate::registry::KeyPair;

/// Attestation and proposal members of one identity.
pub struct TestMember {
    pub attestation: Ed25519Member,
    pub proposal: Ed25519Member,
}

/// `n` members of group `tag`, every key distinct across tags.
pub fn members(tag: u8, n: u8) -> Vec<TestMember> {
    (0..n)
        .map(|i| TestMember {
            attestation: Ed25519Member::from_seed(
                i,
                &[
                    tag, i, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 9,
                ],
            ),
            proposal: Ed25519Member::from_seed(
                i,
                &[
                    tag, i, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 9,
                ],
            ),
        })
        .collect()
}

/// The members' public key pairs.
pub fn key_pairs(members: &[TestMember]) -> Vec<KeyPair<Ed25519>> {
    members
        .iter()
        .map(|m| KeyPair { attestation: m.attestation.public_key(), proposal: m.proposal.public_key() })
        .collect()
}
