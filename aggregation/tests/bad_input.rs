//! The group layer's bad-input classes, one test each with its exact error variant: truncated and trailing
//! bytes, a wrong bitlist length, another scheme or parameter set, unknown and duplicate signers, below
//! threshold, mixed epoch or message, the wrong signing domain; and tamper tests flipping every bit of a
//! group signature and of an aggregate. (The signature-level classes are in xmss/tests/bad_input.rs, the
//! verifier's invalid-entry classes in group_suite.rs.)
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Fixture, TestXmss, members, shares};
use ndvt_aggregation::{
    AggregateError as A, BitListError, Collector, ConcatAggregate, Ed25519, Ed25519Member, GroupKey,
    GroupKeyError as K, GroupSignature, GroupSignatureError as E, GroupSigner, KeyedShare, Participant,
    Scheme, Share, ShareDecodeError as D, ThresholdPolicy, Xmss,
};
use ndvt_xmss::{Devnet4, PublicKey, TestInstance};

const EPOCH: u64 = 4;
const MSG: [u8; 32] = [0x33; 32];

struct World<S: Fixture> {
    group: GroupKey<S>,
    members: Vec<S::Member>,
    good: Vec<Share<S>>,
    signature: GroupSignature<S>,
}

/// A 3-of-4 group and the shares of members 0, 1 and 3.
fn world<S: Fixture>(base: u8) -> World<S> {
    let mut members = members::<S>(4, base);
    let keys = members.iter().map(|m| m.public_key()).collect();
    let group = GroupKey::new(3, keys, ThresholdPolicy::Strict).unwrap().0;
    let good = shares::<S>(&mut members, &[0, 1, 3], EPOCH, &MSG);
    let signature = GroupSignature::combine(&group, &good).unwrap();
    World { group, members, good, signature }
}

#[test]
fn truncated_encodings() {
    let w = world::<Ed25519>(40);
    let key = w.group.to_bytes();
    for cut in 0..key.len() {
        assert!(matches!(
            GroupKey::<Ed25519>::from_bytes(&key[..cut], ThresholdPolicy::Strict),
            Err(K::Truncated(_) | K::KeyBytes { .. })
        ));
    }
    let sig = w.signature.to_bytes();
    for cut in 0..sig.len() {
        assert!(matches!(
            GroupSignature::<Ed25519>::from_bytes(&sig[..cut]),
            Err(E::Truncated(_) | E::EntryBytes { .. })
        ));
    }
    let share = w.good[0].to_bytes();
    for cut in 0..share.len() {
        assert_eq!(Share::<Ed25519>::from_bytes(&share[..cut]), Err(D::Length { expected: 105, got: cut }));
    }
    let keyed = KeyedShare::from((w.members[0].public_key(), w.good[0].clone())).to_bytes();
    for cut in 1..keyed.len() {
        assert_eq!(
            KeyedShare::<Ed25519>::from_bytes(&keyed[..cut]),
            Err(D::Length { expected: 137, got: cut })
        );
    }
}

#[test]
fn trailing_bytes() {
    let w = world::<Ed25519>(40);
    let mut key = w.group.to_bytes();
    key.push(0);
    assert!(matches!(
        GroupKey::<Ed25519>::from_bytes(&key, ThresholdPolicy::Strict),
        Err(K::KeyBytes { .. })
    ));
    let mut sig = w.signature.to_bytes();
    sig.push(0);
    assert!(matches!(GroupSignature::<Ed25519>::from_bytes(&sig), Err(E::EntryBytes { .. })));
    let mut share = w.good[0].to_bytes();
    share.push(0);
    assert_eq!(Share::<Ed25519>::from_bytes(&share), Err(D::Length { expected: 105, got: 106 }));
    let mut agg = ConcatAggregate::<Ed25519>::new(EPOCH, MSG, 3);
    agg.add_group(1, &w.signature).unwrap();
    let mut bytes = agg.to_bytes();
    bytes.push(0);
    assert_eq!(ConcatAggregate::<Ed25519>::from_bytes(&bytes), Err(A::TrailingBytes(1)));
}

/// The aggregate's bitlist is length-prefixed: a prefix that does not frame a canonical bitlist fails.
#[test]
fn aggregate_bitlist_length_field() {
    let w = world::<Ed25519>(40);
    let mut agg = ConcatAggregate::<Ed25519>::new(EPOCH, MSG, 3);
    agg.add_group(1, &w.signature).unwrap();
    let bytes = agg.to_bytes();
    let with_len = |len: u32| {
        let mut b = bytes.clone();
        b[40..44].copy_from_slice(&len.to_le_bytes());
        ConcatAggregate::<Ed25519>::from_bytes(&b)
    };
    assert_eq!(with_len(0), Err(A::BitList(BitListError::Empty)));
    assert!(matches!(with_len(u32::MAX), Err(A::Truncated(_))));
    // Three bytes: the bitlist byte and the part's member mask 0x000b, whose high byte is zero: no delimiter.
    assert_eq!(with_len(3), Err(A::BitList(BitListError::NoDelimiter)));
}

/// Bytes of one scheme or parameter set given to another.
#[test]
fn wrong_scheme_or_parameter_set() {
    let x = world::<TestXmss>(60);
    let key = x.group.to_bytes();
    assert_eq!(
        GroupKey::<Xmss<Devnet4>>::from_bytes(&key, ThresholdPolicy::Strict),
        Err(K::WrongScheme { expected: 1, found: 2 })
    );
    assert_eq!(
        GroupKey::<Ed25519>::from_bytes(&key, ThresholdPolicy::Strict),
        Err(K::WrongScheme { expected: 3, found: 2 })
    );
    let keyed = KeyedShare::from((x.members[0].public_key(), x.good[0].clone())).to_bytes();
    assert_eq!(KeyedShare::<Ed25519>::from_bytes(&keyed), Err(D::WrongScheme { expected: 3, found: 2 }));
    assert_eq!(
        KeyedShare::<Xmss<Devnet4>>::from_bytes(&keyed),
        Err(D::WrongScheme { expected: 1, found: 2 })
    );
    // A test-instance signature is not a Devnet 4 signature.
    let share = x.good[0].to_bytes();
    let mut as_devnet4 = share[..41].to_vec();
    as_devnet4.extend(vec![0; <Xmss<Devnet4> as Scheme>::SIGNATURE_BYTES]);
    assert!(matches!(Share::<Xmss<Devnet4>>::from_bytes(&as_devnet4), Err(D::Signature(_))));
    // A member key whose parameter word is not below p.
    let mut bad_word = key.clone();
    bad_word[3 + 32..3 + 36].copy_from_slice(&ndvt_xmss::P.to_le_bytes());
    assert!(matches!(
        GroupKey::<TestXmss>::from_bytes(&bad_word, ThresholdPolicy::Strict),
        Err(K::MemberKey { index: 0, .. })
    ));
    // The same root under another hash parameter is another key: here the message has no codeword at all.
    let pk = x.group.members()[0].to_bytes();
    let mut other_parameter = pk.clone();
    other_parameter[40] ^= 1;
    let other = PublicKey::<TestInstance>::from_bytes(&other_parameter).unwrap();
    let sig = &x.good[0].signature;
    let expected = ndvt_xmss::EncodingError::TargetSum { expected: 6, got: 19 };
    assert_eq!(other.verify(EPOCH, &MSG, sig), Err(ndvt_xmss::VerifyError::Encoding(expected)));
}

#[test]
fn unknown_signer() {
    let w = world::<Ed25519>(40);
    let mut outsider = Ed25519Member::from_seed(2, &[222; 32]);
    let stray = outsider.sign(EPOCH, &MSG).unwrap();
    let keyed = KeyedShare::from((outsider.public_key(), stray.clone()));
    assert_eq!(keyed.resolve(&w.group), Err(E::NotAMember));
    let beyond = Share { member: 4, ..w.good[0].clone() };
    assert_eq!(
        GroupSignature::combine(&w.group, std::slice::from_ref(&beyond)),
        Err(E::UnknownMember { index: 4, n: 4 })
    );
    let mut c = Collector::new(&w.group, EPOCH, MSG);
    assert_eq!(c.offer(&beyond), Err(E::UnknownMember { index: 4, n: 4 }));
    // The outsider claiming a member's index: a member index with a signature that member did not make.
    assert!(matches!(c.offer(&stray), Err(E::InvalidMemberSignature { index: 2, .. })));
}

#[test]
fn duplicate_signer() {
    let w = world::<Ed25519>(40);
    let keys: Vec<_> = w.members.iter().map(|m| m.public_key()).chain([w.members[1].public_key()]).collect();
    assert_eq!(
        GroupKey::<Ed25519>::new(4, keys, ThresholdPolicy::Strict),
        Err(K::DuplicateMemberKey { first: 1, second: 4 })
    );
    // Identical duplicates merge; a member with two different signatures is refused.
    let twice = [w.good.clone(), w.good.clone()].concat();
    assert_eq!(GroupSignature::combine(&w.group, &twice), Ok(w.signature.clone()));
    let conflicting = Share { signature: w.good[1].signature, ..w.good[0].clone() };
    let shares = [w.good.clone(), vec![conflicting]].concat();
    assert_eq!(GroupSignature::combine(&w.group, &shares), Err(E::DuplicateMember(0)));
}

#[test]
fn below_threshold() {
    let w = world::<Ed25519>(40);
    assert_eq!(GroupSignature::combine(&w.group, &[]), Err(E::BelowThreshold { have: 0, need: 3 }));
    let two = GroupSignature::combine(&w.group, &w.good[..2]).unwrap();
    assert_eq!(two.verify(&w.group, EPOCH, &MSG), Err(E::BelowThreshold { have: 2, need: 3 }));
    let mut c = Collector::new(&w.group, EPOCH, MSG);
    for s in &w.good[..2] {
        c.offer(s).unwrap();
    }
    assert_eq!(c.signature(), None);
}

#[test]
fn mixed_epoch_or_message() {
    let mut w = world::<Ed25519>(40);
    let later = w.members[2].sign(EPOCH + 1, &MSG).unwrap();
    let other = w.members[2].sign(EPOCH, &[0x44; 32]).unwrap();
    let with = |s: &Share<Ed25519>| [w.good.clone(), vec![s.clone()]].concat();
    assert_eq!(
        GroupSignature::combine(&w.group, &with(&later)),
        Err(E::MixedEpoch { expected: EPOCH, got: EPOCH + 1 })
    );
    assert_eq!(GroupSignature::combine(&w.group, &with(&other)), Err(E::MixedMessage));
    let mut c = Collector::new(&w.group, EPOCH, MSG);
    assert_eq!(c.offer(&later), Err(E::MixedEpoch { expected: EPOCH, got: EPOCH + 1 }));
    assert_eq!(c.offer(&other), Err(E::MixedMessage));
    let mut agg = ConcatAggregate::<Ed25519>::new(EPOCH + 1, MSG, 2);
    assert_eq!(agg.add_group(1, &w.signature), Err(A::Mismatch));
}

/// Ed25519 members sign `"ndvt/ed25519/v1" ‖ epoch ‖ message`; a signature over anything else (the bare
/// message, another domain) is refused.
#[test]
fn wrong_domain() {
    use ed25519_dalek::{Signer, SigningKey};
    let w = world::<Ed25519>(40);
    let key = SigningKey::from_bytes(&[40; 32]);
    assert_eq!(key.verifying_key(), w.group.members()[0]);
    let mut in_domain = b"ndvt/ed25519/v1".to_vec();
    in_domain.extend_from_slice(&EPOCH.to_le_bytes());
    in_domain.extend_from_slice(&MSG);
    assert_eq!(key.sign(&in_domain), w.good[0].signature, "the documented domain");
    let mut other_domain = b"ndvt/ed25519/v2".to_vec();
    other_domain.extend_from_slice(&in_domain[15..]);
    for signed in [MSG.to_vec(), other_domain] {
        let share = Share::<Ed25519> { member: 0, epoch: EPOCH, message: MSG, signature: key.sign(&signed) };
        let mut c = Collector::new(&w.group, EPOCH, MSG);
        assert!(matches!(c.offer(&share), Err(E::InvalidMemberSignature { index: 0, .. })));
    }
    // The group id is domain-separated by scheme: the same m and keys under another scheme name differ.
    let x = world::<TestXmss>(60);
    assert_ne!(x.group.id(), w.group.id());
    assert_eq!(x.signature.verify(&x.group, EPOCH, &MSG).map(|m| m.count_ones()), Ok(3));
}

/// Flips bit `bit` of `bytes`.
fn flipped(bytes: &[u8], bit: usize) -> Vec<u8> {
    let mut b = bytes.to_vec();
    b[bit / 8] ^= 1 << (bit % 8);
    b
}

#[test]
fn tamper_every_bit_of_an_ed25519_group_signature_and_aggregate() {
    let w = world::<Ed25519>(40);
    let bytes = w.signature.to_bytes();
    for bit in 0..8 * bytes.len() {
        let verdict = GroupSignature::<Ed25519>::from_bytes(&flipped(&bytes, bit))
            .map_err(|e| e.to_string())
            .and_then(|s| s.verify(&w.group, EPOCH, &MSG).map_err(|e| e.to_string()));
        assert!(verdict.is_err(), "bit {bit} flipped and still accepted");
    }
    let single = Ed25519Member::from_seed(0, &[77; 32]);
    let registry = vec![Participant::Single(single.public_key()), Participant::Group(w.group.clone())];
    let mut agg = ConcatAggregate::<Ed25519>::new(EPOCH, MSG, 2);
    agg.add_single(0, { single }.sign(EPOCH, &MSG).unwrap().signature).unwrap();
    agg.add_group(1, &w.signature).unwrap();
    let bytes = agg.to_bytes();
    assert_eq!(
        ConcatAggregate::<Ed25519>::from_bytes(&bytes).unwrap().verify(&registry, EPOCH, &MSG),
        Ok(())
    );
    for bit in 0..8 * bytes.len() {
        let verdict = ConcatAggregate::<Ed25519>::from_bytes(&flipped(&bytes, bit))
            .and_then(|a| a.verify(&registry, EPOCH, &MSG));
        assert!(verdict.is_err(), "bit {bit} flipped and still accepted");
    }
}

/// XMSS rho is malleable (leanSig's scheme: another rho with the same codeword verifies with the same chain
/// values), so a flip inside a member's rho may be accepted; every other flip must be rejected, and an
/// accepted one must leave every co-path and chain value as it was.
#[test]
fn tamper_every_bit_of_an_xmss_group_signature() {
    let w = world::<TestXmss>(60);
    let bytes = w.signature.to_bytes();
    let entry = 1 + <TestXmss as Scheme>::SIGNATURE_BYTES;
    for bit in 0..8 * bytes.len() {
        let Ok(sig) = GroupSignature::<TestXmss>::from_bytes(&flipped(&bytes, bit)) else { continue };
        if sig.verify(&w.group, EPOCH, &MSG).is_err() {
            continue;
        }
        let at = (bit / 8).checked_sub(73).map(|o| o % entry);
        assert!(matches!(at, Some(5..=32)), "bit {bit} outside every rho flipped and still accepted");
        for ((_, a), (_, b)) in sig.entries().iter().zip(w.signature.entries()) {
            assert_eq!((a.path(), a.hashes()), (b.path(), b.hashes()));
        }
    }
}

/// A group signature `signature` with one more entry `(index, signature of member 0)` appended.
fn with_extra_entry(signature: &GroupSignature<Ed25519>, index: u8) -> GroupSignature<Ed25519> {
    let mut bytes = signature.to_bytes();
    bytes[72] += 1;
    bytes.push(index);
    bytes.extend_from_slice(&signature.entries()[0].1.to_bytes());
    GroupSignature::from_bytes(&bytes).unwrap()
}

/// Found while writing the differential fuzz target. `add_group` folds the entries' indices into a 16-bit
/// mask but keeps every signature: with a repeated index the mask has fewer bits than there are
/// signatures, `verify` pairs the mask with the first signatures only and accepts, and the encoding (one
/// signature per mask bit when decoding) does not decode. `add_group` must refuse what
/// `GroupSignature::check_structure` refuses.
#[test]
fn add_group_refuses_a_repeated_member() {
    let w = world::<Ed25519>(40);
    let repeated = with_extra_entry(&w.signature, 3);
    assert_eq!(repeated.verify(&w.group, EPOCH, &MSG), Err(E::DuplicateMember(3)));
    let mut agg = ConcatAggregate::<Ed25519>::new(EPOCH, MSG, 2);
    assert_eq!(agg.add_group(1, &repeated), Err(A::Group { participant: 1, error: E::DuplicateMember(3) }));
}

/// The same with an index no group has (≥ 16): its bit falls off the mask, its signature stays.
#[test]
fn add_group_refuses_an_index_beyond_any_group() {
    let w = world::<Ed25519>(40);
    let beyond = with_extra_entry(&w.signature, 16);
    assert_eq!(beyond.verify(&w.group, EPOCH, &MSG), Err(E::UnknownMember { index: 16, n: 4 }));
    let mut agg = ConcatAggregate::<Ed25519>::new(EPOCH, MSG, 2);
    assert_eq!(
        agg.add_group(1, &beyond),
        Err(A::Group { participant: 1, error: E::UnknownMember { index: 16, n: 16 } })
    );
}

/// And with no entries: the mask is 0, the marker of a single validator's part, so the part encodes as
/// a single validator without its signature and the aggregate's bytes do not decode.
#[test]
fn add_group_refuses_an_empty_group_signature() {
    let w = world::<Ed25519>(40);
    let mut bytes = w.signature.to_bytes()[..73].to_vec();
    bytes[72] = 0;
    let empty = GroupSignature::<Ed25519>::from_bytes(&bytes).unwrap();
    let mut agg = ConcatAggregate::<Ed25519>::new(EPOCH, MSG, 2);
    assert_eq!(
        agg.add_group(1, &empty),
        Err(A::Group { participant: 1, error: E::BelowThreshold { have: 0, need: 1 } })
    );
}

/// Found while stating the canonical forms for the decode targets. Ed25519 public keys decode through
/// `VerifyingKey::from_bytes`, which reduces the y coordinate modulo p without checking it was below p: the
/// point with y = 3 also decodes from the bytes of p + 3. Two encodings of one key break the rule that
/// every accepted encoding is canonical, and the group's duplicate-key check, which compares bytes, would
/// count one key twice. `Ed25519::public_key_from_bytes` must refuse an encoding that does not re-compress
/// to itself.
#[test]
fn ed25519_member_key_must_be_canonical() {
    let w = world::<Ed25519>(40);
    // p + 3 = 2^255 - 16, little-endian: 0xf0, then 0xff × 30, then 0x7f.
    let mut non_canonical = [0xff; 32];
    non_canonical[0] = 0xf0;
    non_canonical[31] = 0x7f;
    assert!(ed25519_dalek::VerifyingKey::from_bytes(&non_canonical).is_ok(), "the point y = 3 exists");
    let mut key = w.group.to_bytes();
    key[3..35].copy_from_slice(&non_canonical);
    assert!(matches!(
        GroupKey::<Ed25519>::from_bytes(&key, ThresholdPolicy::Strict),
        Err(K::MemberKey { index: 0, .. })
    ));
}

/// A small-order Ed25519 point (here the identity, y = 1, which is canonical) can never carry a strictly
/// verified signature, so as a member key it would silently cost its group liveness: decoding refuses it.
#[test]
fn ed25519_member_key_must_not_be_weak() {
    let w = world::<Ed25519>(41);
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let point = ed25519_dalek::VerifyingKey::from_bytes(&identity).unwrap();
    assert!(point.is_weak() && point.to_bytes() == identity, "the identity decodes canonically and is weak");
    assert!(<Ed25519 as Scheme>::public_key_from_bytes(&identity).is_err());
    let mut key = w.group.to_bytes();
    key[3..35].copy_from_slice(&identity);
    assert!(matches!(
        GroupKey::<Ed25519>::from_bytes(&key, ThresholdPolicy::Strict),
        Err(K::MemberKey { index: 0, .. })
    ));
}
