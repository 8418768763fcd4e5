//! Differential target: two of our own verification paths must agree with each other and with a
//! member-by-member oracle that uses nothing but `Scheme::verify`.
//!
//! - `ConcatAggregate::verify` (built with `add_single` / `add_group`, and again after an encode/decode
//!   round trip) against verifying every part's signatures one by one;
//! - `GroupSignature::verify` against the `Collector` fed the same shares;
//! - `merge` of two aggregates that verify must verify, with the union of participants;
//! - `add_group` given a group signature decoded from bytes (any indices, any signatures) refuses it or
//!   yields an aggregate that verifies exactly when `GroupSignature::verify` accepts it, and that decodes.
//!
//! Input: `scheme ‖ plan A ‖ plan B ‖ raw group signature`, each plan `single choice ‖ group choice ‖
//! bad-signer mask`, the raw group signature `count ‖ count × (index ‖ signature choice)`.

use ndvt_aggregation::{Collector, ConcatAggregate, Ed25519, GroupSignature, Participant, Share};

use super::fixtures::{EPOCH, FuzzScheme, MSG, N, TestXmss};
use super::input::Input;

/// What one plan put into its aggregate, with the oracle's verdict on each part.
struct Built<S: FuzzScheme> {
    aggregate: ConcatAggregate<S>,
    oracle: bool,
    participants: u16,
}

fn plan<S: FuzzScheme>(input: &mut Input<'_>) -> Built<S> {
    let w = S::world();
    let mut aggregate = ConcatAggregate::new(EPOCH, MSG, w.registry.len());
    let (single_choice, group_choice, bad) = (input.u8(), input.u8(), input.u8());
    let mut oracle = true;
    let mut participants = 0u16;

    // Participant 0, the single validator: absent, its signature, its signature on the other pair, a group
    // member's signature, or a group part where a single one belongs.
    let single_sig = match single_choice % 5 {
        1 => Some(&w.single_sig),
        2 => Some(&w.single_sig2),
        3 => Some(&w.member_sigs[0]),
        _ => None,
    };
    if let Some(sig) = single_sig {
        aggregate.add_single(0, sig.clone()).expect("index 0 exists");
        oracle &= S::verify(&w.single, EPOCH, &MSG, sig).is_ok();
        participants |= 1;
    }
    if single_choice % 5 == 4 {
        let shares = group_shares::<S>(0b0111, 0);
        let g = GroupSignature::combine(&w.group, &shares).expect("coherent shares combine");
        aggregate.add_group(0, &g).expect("index 0 exists");
        oracle = false;
        participants |= 1;
    }

    // Participant 1, the group: the signers in the low nibble, those in `bad` signing the other pair; the high
    // bit puts a single validator's signature where the group belongs.
    let signers = group_choice & 0x0f;
    if group_choice & 0x80 != 0 {
        aggregate.add_single(1, w.single_sig.clone()).expect("index 1 exists");
        oracle = false;
        participants |= 2;
    } else if signers != 0 {
        let shares = group_shares::<S>(signers, bad & signers);
        let g = GroupSignature::combine(&w.group, &shares).expect("coherent shares combine");
        let one_by_one = shares
            .iter()
            .all(|s| S::verify(&w.group.members()[usize::from(s.member)], EPOCH, &MSG, &s.signature).is_ok())
            && shares.len() >= usize::from(w.group.threshold());
        assert_eq!(g.verify(&w.group, EPOCH, &MSG).is_ok(), one_by_one, "GroupSignature::verify vs oracle");
        collector_agrees(&shares, &g, one_by_one);
        aggregate.add_group(1, &g).expect("index 1 exists");
        oracle &= one_by_one;
        participants |= 2;
    }
    Built { aggregate, oracle, participants }
}

/// Shares of the members in `signers` (a mask over N); those in `bad` sign (EPOCH, MSG) with their
/// signature on the other pair, which is valid for another (epoch, message) and wrong here.
fn group_shares<S: FuzzScheme>(signers: u8, bad: u8) -> Vec<Share<S>> {
    let w = S::world();
    (0..N)
        .filter(|i| signers >> i & 1 == 1)
        .map(|i| {
            let pool = if bad >> i & 1 == 1 { &w.member_sigs2 } else { &w.member_sigs };
            Share { member: i, epoch: EPOCH, message: MSG, signature: pool[usize::from(i)].clone() }
        })
        .collect()
}

/// The collector, fed the same shares, completes iff the combined signature verifies, with the same
/// signature when every share is valid.
fn collector_agrees<S: FuzzScheme>(shares: &[Share<S>], combined: &GroupSignature<S>, valid: bool) {
    let w = S::world();
    let mut collector = Collector::new(&w.group, EPOCH, MSG);
    for s in shares {
        let _ = collector.offer(s);
    }
    let collected = collector.signature();
    if valid {
        assert_eq!(collected.as_ref(), Some(combined), "collector and combine disagree");
    }
    if let Some(sig) = collected {
        assert!(sig.verify(&w.group, EPOCH, &MSG).is_ok());
    }
}

fn run<S: FuzzScheme>(input: &mut Input<'_>) {
    let registry: &[Participant<S>] = &S::world().registry;
    let a = plan::<S>(input);
    let b = plan::<S>(input);
    for built in [&a, &b] {
        let verdict = built.aggregate.verify(registry, EPOCH, &MSG);
        assert_eq!(verdict.is_ok(), built.oracle, "ConcatAggregate::verify vs member by member: {verdict:?}");
        let decoded = ConcatAggregate::<S>::from_bytes(&built.aggregate.to_bytes());
        assert_eq!(decoded.as_ref(), Ok(&built.aggregate), "aggregate encoding round trip");
        let bits: u16 = built.aggregate.participation().ones().map(|i| 1u16 << i).sum();
        assert_eq!(bits, built.participants);
    }
    let merged = a.aggregate.merge(&b.aggregate).expect("same epoch, message and registry");
    let reversed = b.aggregate.merge(&a.aggregate).expect("same epoch, message and registry");
    assert_eq!(merged.participation(), reversed.participation());
    let bits: u16 = merged.participation().ones().map(|i| 1u16 << i).sum();
    assert_eq!(bits, a.participants | b.participants);
    assert_eq!(ConcatAggregate::<S>::from_bytes(&merged.to_bytes()).as_ref(), Ok(&merged));
    if a.oracle && b.oracle {
        assert_eq!(merged.verify(registry, EPOCH, &MSG), Ok(()), "the merge of two valid aggregates");
    }
    unchecked_add_group::<S>(input);
}

/// A group signature built from raw entries: up to 6 of `(index % 18, choice)`, the signature of member
/// `choice % N` on the pair `choice >> 7`. Indices beyond the group (4–15) and beyond any group (16, 17),
/// repeats, disorder and wrong signatures all occur.
fn unchecked_add_group<S: FuzzScheme>(input: &mut Input<'_>) {
    let w = S::world();
    let count = input.u8() % 7;
    let mut bytes = w.group.id().to_vec();
    bytes.extend_from_slice(&EPOCH.to_le_bytes());
    bytes.extend_from_slice(&MSG);
    bytes.push(count);
    for _ in 0..count {
        let (index, choice) = (input.u8() % 18, input.u8());
        let pool = if choice & 0x80 != 0 { &w.member_sigs2 } else { &w.member_sigs };
        bytes.push(index);
        bytes.extend_from_slice(&S::signature_to_bytes(&pool[usize::from(choice % N)]));
    }
    let signature = GroupSignature::<S>::from_bytes(&bytes).expect("well-formed entries");
    let direct = signature.verify(&w.group, EPOCH, &MSG);
    let mut aggregate = ConcatAggregate::new(EPOCH, MSG, w.registry.len());
    match aggregate.add_group(1, &signature) {
        Ok(()) => {
            let verdict = aggregate.verify(&w.registry, EPOCH, &MSG);
            assert_eq!(
                verdict.is_ok(),
                direct.is_ok(),
                "add_group + verify: {verdict:?}, direct: {direct:?}"
            );
            let decoded = ConcatAggregate::<S>::from_bytes(&aggregate.to_bytes());
            assert_eq!(decoded.as_ref(), Ok(&aggregate), "an aggregate add_group built must decode");
        }
        Err(e) => assert!(direct.is_err(), "add_group refused ({e:?}) a group signature that verifies"),
    }
}

/// The differential target: the first byte picks the scheme (even: XMSS test instance, odd: Ed25519).
pub fn differential(data: &[u8]) {
    let mut input = Input::new(data);
    if input.u8().is_multiple_of(2) { run::<TestXmss>(&mut input) } else { run::<Ed25519>(&mut input) }
}
