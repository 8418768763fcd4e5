//! Group verification on arbitrary shares: the collector and `GroupSignature::combine` + `verify` are fed
//! the same shares, and both must match an oracle that verifies member by member with the scheme alone.
//!
//! Input: `scheme ‖ share*`, each share `member ‖ kind [‖ edit] [‖ raw share]`; see [`share`].

use std::collections::BTreeSet;

use ndvt_aggregation::{Collector, Ed25519, GroupSignature, GroupSignatureError, Offer, Share};

use super::fixtures::{EPOCH, EPOCH2, FuzzScheme, MSG, MSG2, N, TestXmss};
use super::input::Input;

/// Builds one share from the input: `member % (N + 2)` (so unknown members occur), then `kind`: bits 0–1
/// pick the signature (the member's own, its own on the second pair, the next member's, the single
/// validator's), bit 2 sets EPOCH2, bit 3 sets MSG2, bit 4 applies `(position u16, xor u8)` to the
/// signature bytes, bit 5 replaces everything by a length-prefixed raw share.
fn share<S: FuzzScheme>(input: &mut Input<'_>) -> Option<Share<S>> {
    let w = S::world();
    let member = input.u8() % (N + 2);
    let kind = input.u8();
    if kind & 0x20 != 0 {
        return Share::from_bytes(input.chunk()).ok();
    }
    let k = usize::from(member % N);
    let signature = match kind & 3 {
        0 => &w.member_sigs[k],
        1 => &w.member_sigs2[k],
        2 => &w.member_sigs[(k + 1) % usize::from(N)],
        _ => &w.single_sig,
    };
    let signature = if kind & 0x10 != 0 {
        let mut bytes = S::signature_to_bytes(signature);
        let (at, xor) = (usize::from(input.u16()), input.u8());
        let len = bytes.len();
        bytes[at % len] ^= xor;
        S::signature_from_bytes(&bytes).ok()?
    } else {
        signature.clone()
    };
    let epoch = if kind & 4 != 0 { EPOCH2 } else { EPOCH };
    let message = if kind & 8 != 0 { MSG2 } else { MSG };
    Some(Share { member, epoch, message, signature })
}

/// Whether `share` is a valid signature of its member on (EPOCH, MSG), by the scheme alone.
fn valid<S: FuzzScheme>(share: &Share<S>) -> bool {
    let group = &S::world().group;
    share.epoch == EPOCH
        && share.message == MSG
        && group
            .members()
            .get(usize::from(share.member))
            .is_some_and(|pk| S::verify(pk, EPOCH, &MSG, &share.signature).is_ok())
}

fn collector_agrees<S: FuzzScheme>(shares: &[Share<S>]) -> BTreeSet<u8> {
    let group = &S::world().group;
    let need = usize::from(group.threshold());
    let mut collector = Collector::new(group, EPOCH, MSG);
    let mut signers = BTreeSet::new();
    for s in shares {
        let outcome = collector.offer(s);
        let fits = s.epoch == EPOCH && s.message == MSG && s.member < group.size();
        match outcome {
            Ok(Offer::Duplicate) => assert!(fits && signers.contains(&s.member)),
            Ok(ref offer) => {
                assert!(valid(s) && signers.insert(s.member), "collector accepted {s:?}");
                let have = signers.len();
                match offer {
                    Offer::Accepted { have: h, need: n } => {
                        assert_eq!((*h, *n, have < need), (have, need, true))
                    }
                    Offer::Complete(sig) => {
                        assert_eq!(have, need);
                        assert_eq!(sig.verify(group, EPOCH, &MSG).map(u16::count_ones), Ok(need as u32));
                    }
                    Offer::Extra => assert!(have > need),
                    Offer::Duplicate => unreachable!("handled above"),
                }
            }
            Err(GroupSignatureError::MixedEpoch { .. } | GroupSignatureError::MixedMessage) => {
                assert!(s.epoch != EPOCH || s.message != MSG)
            }
            Err(GroupSignatureError::UnknownMember { .. }) => assert!(s.member >= group.size()),
            Err(GroupSignatureError::InvalidMemberSignature { .. }) => {
                assert!(fits && !valid(s) && !signers.contains(&s.member))
            }
            Err(other) => panic!("collector: unexpected {other:?} for {s:?}"),
        }
        assert_eq!(collector.count(), signers.len());
    }
    let mask: u16 = signers.iter().map(|i| 1u16 << i).sum();
    match collector.signature() {
        Some(sig) => {
            assert!(signers.len() >= need);
            assert_eq!(sig.verify(group, EPOCH, &MSG), Ok(mask));
            assert_eq!(GroupSignature::<S>::from_bytes(&sig.to_bytes()).as_ref(), Ok(&sig));
        }
        None => assert!(signers.len() < need),
    }
    signers
}

fn combine_agrees<S: FuzzScheme>(shares: &[Share<S>], collected: &BTreeSet<u8>) {
    let group = &S::world().group;
    let Ok(sig) = GroupSignature::combine(group, shares) else {
        let first = shares.first();
        let conflicting = shares.iter().any(|a| shares.iter().any(|b| a.member == b.member && a != b));
        let coherent = first.is_some_and(|f| {
            shares.iter().all(|s| s.epoch == f.epoch && s.message == f.message && s.member < group.size())
        });
        assert!(!coherent || conflicting, "combine refused coherent shares");
        return;
    };
    let need = usize::from(group.threshold());
    let all_valid = shares.iter().all(valid::<S>);
    let verified = sig.verify(group, EPOCH, &MSG);
    assert_eq!(verified.is_ok(), all_valid && sig.entries().len() >= need, "{verified:?}");
    if let Ok(mask) = verified {
        for (i, _) in sig.entries() {
            assert!(
                collected.contains(i) && mask >> i & 1 == 1,
                "combine holds a signer the collector lacks"
            );
        }
    }
}

fn run<S: FuzzScheme>(input: &mut Input<'_>) {
    let mut shares = Vec::new();
    while !input.is_empty() && shares.len() < 12 {
        if let Some(s) = share::<S>(input) {
            shares.push(s);
        }
    }
    let collected = collector_agrees(&shares);
    combine_agrees(&shares, &collected);
}

/// The group-verify target: the first byte picks the scheme (even: XMSS test instance, odd: Ed25519).
pub fn group_verify(data: &[u8]) {
    let mut input = Input::new(data);
    if input.u8().is_multiple_of(2) { run::<TestXmss>(&mut input) } else { run::<Ed25519>(&mut input) }
}
