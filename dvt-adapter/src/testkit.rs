//! Test helpers: Ed25519 members (fast) with distinct deterministic keys.

use ndvt_aggregation::{Ed25519, Ed25519Member, GroupKey, GroupSigner, ThresholdPolicy};
use tree_hash::Hash256;

use crate::accounting::{Component, Credit, MemberVote, tally};
use crate::containers::{AttestationData, Checkpoint};
use crate::registry::KeyPair;
use crate::slashing::SlashingEvidence;

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

/// `m`'s signed vote for `d`.
pub fn signed(m: &mut TestMember, d: AttestationData) -> MemberVote<Ed25519> {
    let share = m.attestation.sign(d.slot, &d.signing_root()).expect("ed25519 signs");
    MemberVote { member: share.member, data: d, signature: share.signature }
}

/// A surround evidence against the 3-of-4 group of `members(4, 4)`: members 0, 1, 2 vote link 1 → 8 at
/// slot 9, members 1, 2, 3 vote link 3 → 6 at slot 7.
pub fn surround() -> (GroupKey<Ed25519>, SlashingEvidence<Ed25519>) {
    let mut ms = members(4, 4);
    let keys = ms.iter().map(|x| x.attestation.public_key()).collect();
    let g = GroupKey::new(3, keys, ThresholdPolicy::Strict).expect("3 of 4 is strict").0;
    let cp = |b: u8, slot: u64| Checkpoint { root: Hash256::from([b; 32]), slot };
    let a = AttestationData { slot: 9, head: cp(1, 9), target: cp(1, 8), source: cp(0, 1) };
    let b = AttestationData { slot: 7, head: cp(2, 7), target: cp(2, 6), source: cp(0, 3) };
    let ta = tally(&g, 9, &[0, 1, 2].map(|i| signed(&mut ms[i], a)));
    let tb = tally(&g, 7, &[1, 2, 3].map(|i| signed(&mut ms[i], b)));
    let link = |d: &AttestationData| Credit::of(Component::Target, d);
    let ev = SlashingEvidence::build(0, (&ta, link(&a)), (&tb, link(&b))).expect("a surround builds");
    (g, ev)
}
