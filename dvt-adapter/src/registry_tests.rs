use ndvt_aggregation::{Ed25519, GroupKeyError, ThresholdPolicy};

use super::*;
use crate::testkit::{key_pairs, members};

const MIN: u64 = 32_000_000_000;

fn registry() -> Registry<Ed25519> {
    Registry::new(RegistryConfig::default())
}

#[test]
fn groups_and_singles_share_one_index_space() {
    let mut r = registry();
    let single = key_pairs(&members(1, 1)).remove(0);
    assert_eq!(r.add_single(single, MIN).unwrap(), 0);
    let (index, report) =
        r.add_group(5, key_pairs(&members(2, 7)), 7 * MIN, ThresholdPolicy::Strict).unwrap();
    assert_eq!(index, 1);
    assert_eq!((report.liveness_margin, report.safety_margin), (2, 2));
    assert_eq!(r.balances(), vec![MIN, 7 * MIN]);
    assert_eq!(r.attestation_participants(0).len(), 2);
    assert_eq!(r.group(1).unwrap().current().attestation.threshold(), 5);
}

#[test]
fn group_needs_n_times_minimum_balance() {
    let err =
        registry().add_group(5, key_pairs(&members(2, 7)), 7 * MIN - 1, ThresholdPolicy::Strict).unwrap_err();
    assert_eq!(err, RegistryError::InsufficientGroupBalance { n: 7, balance: 7 * MIN - 1, need: 7 * MIN });
}

#[test]
fn single_needs_minimum_balance() {
    let err = registry().add_single(key_pairs(&members(1, 1)).remove(0), MIN - 1).unwrap_err();
    assert_eq!(err, RegistryError::BelowMinimum { balance: MIN - 1, min: MIN });
}

#[test]
fn threshold_linter_refuses_disjoint_quorums_unless_backup() {
    let err =
        registry().add_group(2, key_pairs(&members(2, 4)), 4 * MIN, ThresholdPolicy::Strict).unwrap_err();
    assert_eq!(err, RegistryError::Group(GroupKeyError::DisjointQuorums { m: 2, n: 4 }));
    let (_, report) = registry()
        .add_group(2, key_pairs(&members(2, 4)), 4 * MIN, ThresholdPolicy::AllowDisjointQuorums)
        .unwrap();
    assert!(report.safety_margin < 0);
    assert!(!report.warnings.is_empty());
}

#[test]
fn a_key_cannot_be_registered_twice() {
    let mut r = registry();
    r.add_group(3, key_pairs(&members(2, 4)), 4 * MIN, ThresholdPolicy::Strict).unwrap();
    let reused = key_pairs(&members(2, 1)).remove(0);
    assert_eq!(r.add_single(reused, MIN).unwrap_err(), RegistryError::KeyInUse(0));
    let mut twice = key_pairs(&members(3, 4));
    twice[3].proposal = twice[0].attestation;
    assert_eq!(
        r.add_group(3, twice, 4 * MIN, ThresholdPolicy::Strict).unwrap_err(),
        RegistryError::KeyInUse(1)
    );
}

#[test]
fn lookups_are_typed() {
    let mut r = registry();
    r.add_single(key_pairs(&members(1, 1)).remove(0), MIN).unwrap();
    assert_eq!(r.entry(5).unwrap_err(), RegistryError::UnknownValidator(5));
    assert_eq!(r.group(0).unwrap_err(), RegistryError::NotAGroup(0));
}
