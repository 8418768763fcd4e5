//! Structure-aware fuzzing: start from a valid object of the fixtures, apply the fuzzer's edits (bit flips,
//! words set to p and its neighbours, truncation, insertion, deletion, block copies), then check that the
//! answer is consistent: the unedited object is accepted, and any accepted edit is explained (it
//! re-encodes to itself and carries only signatures the fixture keys made).
//!
//! Input: `object ‖ edit*`; see [`Edit`].

use ndvt_aggregation::{ConcatAggregate, Ed25519, GroupSignature, Share};
use ndvt_xmss::{P, PublicKey, SecretKey, Signature, TestInstance};

use super::decode::{aggregate_of, group_key_of, group_signature_of};
use super::fixtures::{EPOCH, FuzzScheme, MSG, TestXmss, is_fixture_signature};
use super::input::Input;

/// Longest edited object: edits may grow an object, not without bound.
const MAX_LEN: usize = 1 << 16;

/// The objects, by `object % OBJECTS`.
pub(crate) const OBJECTS: u8 = 9;

/// A valid group signature of members 0, 1 and 3 on (EPOCH, MSG).
fn group_signature<S: FuzzScheme>() -> GroupSignature<S> {
    let w = S::world();
    let shares: Vec<Share<S>> = [0u8, 1, 3]
        .iter()
        .map(|&i| Share {
            member: i,
            epoch: EPOCH,
            message: MSG,
            signature: w.member_sigs[usize::from(i)].clone(),
        })
        .collect();
    GroupSignature::combine(&w.group, &shares).expect("fixture shares combine")
}

/// A valid aggregate: the single validator and the group signature above.
fn aggregate<S: FuzzScheme>() -> ConcatAggregate<S> {
    let w = S::world();
    let mut agg = ConcatAggregate::new(EPOCH, MSG, w.registry.len());
    agg.add_single(0, w.single_sig.clone()).expect("index 0 exists");
    agg.add_group(1, &group_signature::<S>()).expect("index 1 exists");
    agg
}

/// The encoding of object `which`.
pub(crate) fn original(which: u8) -> Vec<u8> {
    let x = TestXmss::world();
    let e = Ed25519::world();
    match which % OBJECTS {
        0 => x.single_sig.to_bytes(),
        1 => x.single.to_bytes(),
        2 => group_signature::<TestXmss>().to_bytes(),
        3 => group_signature::<Ed25519>().to_bytes(),
        4 => aggregate::<TestXmss>().to_bytes(),
        5 => aggregate::<Ed25519>().to_bytes(),
        6 => x.single_secret.clone(),
        7 => x.group.to_bytes(),
        _ => e.group.to_bytes(),
    }
}

/// One edit, by `op % 7`: flip a bit; set an aligned word to p, p − 1, 0, 2^32 − 1, itself ± 1 or a raw
/// value; truncate; append; delete a range; insert; copy a 32-byte block.
fn edit(bytes: &mut Vec<u8>, input: &mut Input<'_>) {
    let op = input.u8() % 7;
    let at = usize::from(input.u16());
    let len = bytes.len();
    match op {
        0 if len > 0 => bytes[at % len] ^= 1 << (input.u8() % 8),
        1 if len >= 4 => {
            let at = (at % len) & !3;
            let at = at.min(len - 4);
            let old = u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
            let value = match input.u8() % 7 {
                0 => P,
                1 => P - 1,
                2 => 0,
                3 => u32::MAX,
                4 => old.wrapping_add(1),
                5 => old.wrapping_sub(1),
                _ => input.u32(),
            };
            bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
        }
        2 => bytes.truncate(at % (len + 1)),
        3 => {
            let n = usize::from(input.u8());
            bytes.extend_from_slice(input.bytes(n));
        }
        4 if len > 0 => {
            let from = at % len;
            let to = (from + usize::from(input.u8())).min(len);
            bytes.drain(from..to);
        }
        5 => {
            let n = usize::from(input.u8());
            let chunk = input.bytes(n);
            let at = at % (len + 1);
            bytes.splice(at..at, chunk.iter().copied());
        }
        6 if len >= 32 => {
            let to = usize::from(input.u16()) % (len - 31);
            let from = at % (len - 31);
            bytes.copy_within(from..from + 32, to);
        }
        _ => {}
    }
    bytes.truncate(MAX_LEN);
}

fn check_signature(bytes: &[u8]) -> bool {
    let w = TestXmss::world();
    let Ok(sig) = Signature::<TestInstance>::from_bytes(bytes) else { return false };
    assert_eq!(sig.to_bytes(), bytes);
    let accepted = w.single.verify(EPOCH, &MSG, &sig).is_ok();
    assert!(!accepted || is_fixture_signature::<TestXmss>(&w.single, EPOCH, &sig), "forged: {sig:?}");
    accepted
}

fn check_public_key(bytes: &[u8]) -> bool {
    let w = TestXmss::world();
    let Ok(pk) = PublicKey::<TestInstance>::from_bytes(bytes) else { return false };
    let accepted = pk.verify(EPOCH, &MSG, &w.single_sig).is_ok();
    assert!(!accepted || pk == w.single, "another key {pk:?} accepts the fixture signature");
    accepted
}

fn check_group_signature<S: FuzzScheme>(bytes: &[u8]) -> bool {
    group_signature_of::<S>(bytes);
    let group = &S::world().group;
    GroupSignature::<S>::from_bytes(bytes).is_ok_and(|s| s.verify(group, EPOCH, &MSG).is_ok())
}

fn check_aggregate<S: FuzzScheme>(bytes: &[u8]) -> bool {
    aggregate_of::<S>(bytes);
    let registry = &S::world().registry;
    ConcatAggregate::<S>::from_bytes(bytes).is_ok_and(|a| a.verify(registry, EPOCH, &MSG).is_ok())
}

fn check_secret_key(bytes: &[u8]) -> bool {
    let Ok(sk) = SecretKey::<TestInstance>::from_bytes(bytes) else { return false };
    assert_eq!(&sk.to_bytes()[..], bytes);
    sk.check_consistency().is_ok() && sk.public_key() == TestXmss::world().single
}

fn check_group_key<S: FuzzScheme>(bytes: &[u8]) -> bool {
    group_key_of::<S>(bytes);
    let ours = &S::world().group;
    match ndvt_aggregation::GroupKey::<S>::from_bytes(bytes, ndvt_aggregation::ThresholdPolicy::Strict) {
        Ok((key, _)) => {
            assert_eq!(key.id() == ours.id(), key == *ours, "group ids collide");
            key == *ours
        }
        Err(_) => false,
    }
}

/// The structure-aware target.
pub fn structured(data: &[u8]) {
    let mut input = Input::new(data);
    let which = input.u8() % OBJECTS;
    let valid = original(which);
    let mut bytes = valid.clone();
    for _ in 0..16 {
        if input.is_empty() {
            break;
        }
        edit(&mut bytes, &mut input);
    }
    let accepted = match which {
        0 => check_signature(&bytes),
        1 => check_public_key(&bytes),
        2 => check_group_signature::<TestXmss>(&bytes),
        3 => check_group_signature::<Ed25519>(&bytes),
        4 => check_aggregate::<TestXmss>(&bytes),
        5 => check_aggregate::<Ed25519>(&bytes),
        6 => check_secret_key(&bytes),
        7 => check_group_key::<TestXmss>(&bytes),
        _ => check_group_key::<Ed25519>(&bytes),
    };
    if bytes == valid {
        assert!(accepted, "object {which}: the unedited valid object was rejected");
    }
}
