//! The agreement of accounting and slashing as a property, over random groups (1 ≤ m ≤ n ≤ 16, any set of
//! Byzantine members) and random votes in one or two slots:
//! - credited for two conflicting units ⇒ the evidence builds from the tallies and verifies, with the same
//!   offence;
//! - evidence builds ⇒ it verifies, and at least 2m − n members are on both sides, each of them Byzantine
//!   and each with two conflicting votes of its own;
//! - fewer than 2m − n Byzantine members ⇒ no conflicting credits at all.
//!
//! Signatures come from a pool made once (16 Ed25519 members × every vote of the small universe below);
//! the tallies and the evidence verify them for real in every case.

use std::sync::OnceLock;

use ndvt_aggregation::{Ed25519, GroupKey, GroupSigner, Scheme, ThresholdPolicy};
use proptest::collection::vec;
use proptest::prelude::*;
use tree_hash::Hash256;

use super::*;
use crate::accounting::tally;
use crate::testkit::{members, signed};

/// Votes of one slot: two sources, three targets (two of slot 8, one of slot 6), two heads. Links 2 → 8 and
/// 4 → 6 surround each other; the two targets of slot 8 double-vote.
const PER_SLOT: usize = 12;
const SLOTS: [u64; 2] = [10, 11];

fn universe(index: usize) -> AttestationData {
    let cp = |b: u8, slot: u64| Checkpoint { root: Hash256::from([b; 32]), slot };
    let slot = SLOTS[index / PER_SLOT];
    let i = index % PER_SLOT;
    let sources = [cp(0x50, 2), cp(0x51, 4)];
    let targets = [cp(0x60, 8), cp(0x61, 8), cp(0x62, 6)];
    AttestationData {
        slot,
        source: sources[i / 6],
        target: targets[i / 2 % 3],
        head: cp(0x70 + (i % 2) as u8, slot),
    }
}

struct Pool {
    keys: Vec<<Ed25519 as Scheme>::PublicKey>,
    /// `votes[member][index]`: the member's signed vote for `universe(index)`.
    votes: Vec<Vec<MemberVote<Ed25519>>>,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let mut ms = members(11, 16);
        let keys = ms.iter().map(|m| m.attestation.public_key()).collect();
        let votes =
            ms.iter_mut().map(|m| (0..2 * PER_SLOT).map(|i| signed(m, universe(i))).collect()).collect();
        Pool { keys, votes }
    })
}

/// One member's choices: vote indices (within a slot) for the first and the second slot's tally.
type Choices = (Vec<usize>, Vec<usize>);

fn case() -> impl Strategy<Value = (u8, u8, u16, bool, Vec<Choices>)> {
    (1u8..=16).prop_flat_map(|n| {
        let choice = (vec(0..PER_SLOT, 0..=2), vec(0..PER_SLOT, 0..=2));
        (Just(n), 1..=n, any::<u16>(), any::<bool>(), vec(choice, usize::from(n)))
    })
}

/// Each member's votes per tally slot. Honest members vote at most once per slot, and not at all where
/// their own slashing protection refuses; Byzantine members cast every vote they chose.
fn votes(byzantine: u16, slots: [u64; 2], choices: &[Choices]) -> Vec<Vec<MemberVote<Ed25519>>> {
    let p = pool();
    let mut out = vec![Vec::new(), Vec::new()];
    for (member, (first, second)) in choices.iter().enumerate() {
        let mine = &p.votes[member];
        let pick = |slot: u64, i: usize| mine[(slot - SLOTS[0]) as usize * PER_SLOT + i].clone();
        if byzantine >> member & 1 == 1 {
            out[0].extend(first.iter().map(|&i| pick(slots[0], i)));
            out[1].extend(second.iter().map(|&i| pick(slots[1], i)));
            continue;
        }
        let a = first.first().map(|&i| pick(slots[0], i));
        let b = second.first().map(|&i| pick(slots[1], i));
        let b = b.filter(|b| {
            a.as_ref().is_none_or(|a| conflict(&a.data, &b.data).is_none() && a.data.slot != b.data.slot)
        });
        out[0].extend(a);
        out[1].extend(b);
    }
    out
}

fn members_of(side: &EvidenceSide<Ed25519>) -> u16 {
    side.votes.iter().fold(0, |mask, v| mask | 1 << v.member)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]
    #[test]
    fn credits_and_evidence_agree((n, m, byzantine, same_slot, choices) in case()) {
        let p = pool();
        let byzantine = byzantine & ((1u32 << n) - 1) as u16;
        let keys = p.keys[..usize::from(n)].to_vec();
        let (g, _) = GroupKey::<Ed25519>::new(m, keys, ThresholdPolicy::AllowDisjointQuorums).unwrap();
        let slots = if same_slot { [SLOTS[0]; 2] } else { SLOTS };
        let mut by_slot = votes(byzantine, slots, &choices);
        if same_slot {
            let second = by_slot.pop().unwrap_or_default();
            by_slot[0].extend(second);
        }
        let tallies: Vec<_> = by_slot.iter().zip(slots).map(|(v, s)| tally(&g, s, v)).collect();
        // Every unit any accepted vote names, credited or not, with its tally.
        let mut units: Vec<(usize, Credit)> = Vec::new();
        for (i, t) in tallies.iter().enumerate() {
            for v in &t.accepted {
                for c in Component::ALL.map(|c| Credit::of(c, &v.data)) {
                    if !units.contains(&(i, c)) {
                        units.push((i, c));
                    }
                }
            }
        }
        let safety_margin = 2 * i32::from(m) - i32::from(n);
        let mut conflicting_credits = 0;
        for (x, &(i, a)) in units.iter().enumerate() {
            for &(j, b) in &units[x + 1..] {
                let (ta, tb) = (&tallies[i], &tallies[j]);
                let offence = credits_conflict(&a, Some(ta.slot), &b, Some(tb.slot));
                let credited = ta.counts(&a) && tb.counts(&b);
                let built = SlashingEvidence::build(0, (ta, a), (tb, b));
                if credited && offence.is_some() {
                    conflicting_credits += 1;
                    prop_assert!(built.is_ok(), "credited for {a:?} and {b:?} but no evidence: {built:?}");
                }
                let Ok(ev) = built else { continue };
                prop_assert!(credited && offence.is_some());
                prop_assert_eq!(ev.verify(&g).ok(), offence);
                let both = members_of(&ev.a) & members_of(&ev.b);
                prop_assert!(i32::try_from(both.count_ones()).unwrap() >= safety_margin);
                prop_assert_eq!(both & !byzantine, 0, "an honest member is on both sides");
                for (va, vb) in ev.a.votes.iter().flat_map(|va| ev.b.votes.iter().map(move |vb| (va, vb))) {
                    if va.member == vb.member {
                        prop_assert!(conflict(&va.data, &vb.data).is_some());
                    }
                }
            }
        }
        if i32::try_from(byzantine.count_ones()).unwrap() < safety_margin {
            prop_assert_eq!(conflicting_credits, 0);
        }
    }
}
