//! Roles: each registry entry — a whole group or a single validator — is sampled as one unit, weighted by
//! balance, and every member of a sampled group holds the role together (proposer, committee, subnet).
//!
//! Sampling is deterministic from a 32-byte seed (the chain's randomness in a client, the scenario seed in
//! the simulator), the slot and a role tag, so every node computes the same assignment on its own.

use sha2::{Digest, Sha256};

/// Which role a draw is for (domain-separates the draws).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The block proposer of a slot.
    Proposer,
    /// A committee of a slot (FOCIL-like, t members).
    Committee,
}

fn draw(seed: &[u8; 32], role: Role, slot: u64, counter: u64) -> u64 {
    let mut h = Sha256::new();
    h.update(b"ndvt/role/v1");
    h.update(seed);
    h.update([role as u8]);
    h.update(slot.to_le_bytes());
    h.update(counter.to_le_bytes());
    let d: [u8; 32] = h.finalize().into();
    u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
}

/// Picks one index with probability proportional to its balance, skipping `taken`. `None` when nothing is
/// left with a positive balance.
fn weighted(balances: &[u64], taken: &[usize], x: u64) -> Option<usize> {
    let total: u128 =
        balances.iter().enumerate().filter(|(i, _)| !taken.contains(i)).map(|(_, b)| u128::from(*b)).sum();
    if total == 0 {
        return None;
    }
    // A 64-bit draw scaled into [0, total): the bias is below total / 2^64, negligible for any real registry.
    let mut point = (u128::from(x) * total) >> 64;
    for (i, b) in balances.iter().enumerate() {
        if taken.contains(&i) {
            continue;
        }
        let b = u128::from(*b);
        if point < b {
            return Some(i);
        }
        point -= b;
    }
    None
}

/// The proposer of `slot`: one registry entry, weighted by balance.
pub fn proposer(balances: &[u64], seed: &[u8; 32], slot: u64) -> Option<usize> {
    weighted(balances, &[], draw(seed, Role::Proposer, slot, 0))
}

/// A committee of `size` distinct entries for `slot`, weighted by balance, without replacement.
pub fn committee(balances: &[u64], seed: &[u8; 32], slot: u64, size: usize) -> Vec<usize> {
    let mut chosen = Vec::with_capacity(size);
    for counter in 0..size as u64 {
        match weighted(balances, &chosen, draw(seed, Role::Committee, slot, counter)) {
            Some(i) => chosen.push(i),
            None => break,
        }
    }
    chosen
}

/// The p2p subnet of registry entry `index`: one subnet for the whole entry, so all members of a group
/// share it.
pub fn subnet(seed: &[u8; 32], index: u64, subnets: u32) -> u32 {
    if subnets == 0 {
        return 0;
    }
    let mut h = Sha256::new();
    h.update(b"ndvt/subnet/v1");
    h.update(seed);
    h.update(index.to_le_bytes());
    let d: [u8; 32] = h.finalize().into();
    u32::from_le_bytes([d[0], d[1], d[2], d[3]]) % subnets
}

/// Every virtual identity holding a role given to registry entry `index` of a group of `n`:
/// `(index, member)` for each member, since a group's members are never assigned separately.
pub fn holders(index: u64, n: u8) -> Vec<(u64, u8)> {
    (0..n).map(|member| (index, member)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposer_frequency_follows_balance() {
        // A group of 7 × 32 beside seven single validators of 32: the group holds half the stake.
        let balances = [224u64, 32, 32, 32, 32, 32, 32, 32];
        let seed = [7u8; 32];
        let slots = 20_000;
        let group = (0..slots).filter(|s| proposer(&balances, &seed, *s) == Some(0)).count();
        let share = group as f64 / slots as f64;
        assert!((share - 0.5).abs() < 0.02, "group proposed {share} of slots");
    }

    #[test]
    fn sampling_is_deterministic_and_seeded() {
        let balances = [10u64, 20, 30, 40];
        let a: Vec<_> = (0..50).map(|s| proposer(&balances, &[1; 32], s)).collect();
        let b: Vec<_> = (0..50).map(|s| proposer(&balances, &[1; 32], s)).collect();
        let c: Vec<_> = (0..50).map(|s| proposer(&balances, &[2; 32], s)).collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn committee_is_distinct_and_bounded() {
        let balances = [5u64, 0, 5, 5];
        let c = committee(&balances, &[3; 32], 9, 10);
        assert_eq!(c.len(), 3, "the zero-balance entry is never chosen");
        let mut sorted = c.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, vec![0, 2, 3]);
        assert_eq!(proposer(&[0, 0], &[0; 32], 1), None);
    }

    #[test]
    fn all_members_hold_the_role_together() {
        assert_eq!(holders(4, 3), vec![(4, 0), (4, 1), (4, 2)]);
        let s = subnet(&[1; 32], 4, 64);
        assert!(s < 64);
        assert_eq!(subnet(&[1; 32], 4, 64), s);
    }
}
