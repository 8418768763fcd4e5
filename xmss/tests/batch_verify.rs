//! Batch verification answers exactly as single verification, item by item: on the leanSig Devnet 4
//! vectors (all valid, then mixed with wrong epochs, messages, keys and tampered signatures), and on random
//! test-instance batches of every size around the SIMD width.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod vectors;

use ndvt_xmss::hazmat::RawSign;
use std::sync::LazyLock;

use ndvt_xmss::leanvm::LeanVmTest;
use ndvt_xmss::{BatchItem, Devnet4, Instance, PublicKey, SecretKey, Signature, TestInstance, verify_batch};
use proptest::prelude::*;

fn single<I: Instance>(items: &[BatchItem<'_, I>]) -> Vec<Result<(), ndvt_xmss::VerifyError>> {
    items.iter().map(|i| i.public_key.verify(i.epoch, i.message, i.signature)).collect()
}

struct Devnet4Vectors {
    pk: PublicKey<Devnet4>,
    other_pk: PublicKey<Devnet4>,
    signed: Vec<(u64, [u8; 32], Signature<Devnet4>)>,
}

fn devnet4() -> Devnet4Vectors {
    let v = vectors::json("leansig/leansig_prod_lifetime2_32.json");
    let key = &v["keys"][0];
    let pk = PublicKey::<Devnet4>::from_bytes(&vectors::bytes(&key["public_key"])).unwrap();
    let mut other = vectors::bytes(&key["public_key"]);
    other[0] ^= 1;
    let signed = key["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let sig = Signature::<Devnet4>::from_bytes(&vectors::bytes(&s["signature"])).unwrap();
            (s["epoch"].as_u64().unwrap(), vectors::message(&s["message"]), sig)
        })
        .collect();
    Devnet4Vectors { pk, other_pk: PublicKey::from_bytes(&other).unwrap(), signed }
}

#[test]
fn devnet4_vectors_verify_in_one_batch() {
    let d = devnet4();
    let items: Vec<_> = d
        .signed
        .iter()
        .map(|(e, m, s)| BatchItem { public_key: &d.pk, epoch: *e, message: m, signature: s })
        .collect();
    assert_eq!(items.len(), 16);
    assert!(verify_batch(&items).iter().all(Result::is_ok));
}

#[test]
fn devnet4_mixed_batch_matches_single_verification() {
    let d = devnet4();
    let other_message = [0xee; 32];
    let mut tampered = d.signed[3].2.to_bytes();
    tampered[200] ^= 0x10;
    let tampered = Signature::<Devnet4>::from_bytes(&tampered).unwrap();
    let mut items = Vec::new();
    for (k, (e, m, s)) in d.signed.iter().enumerate() {
        items.push(BatchItem { public_key: &d.pk, epoch: *e, message: m, signature: s });
        match k % 4 {
            0 => items.push(BatchItem { public_key: &d.pk, epoch: e + 1, message: m, signature: s }),
            1 => {
                items.push(BatchItem { public_key: &d.pk, epoch: *e, message: &other_message, signature: s })
            }
            2 => items.push(BatchItem { public_key: &d.other_pk, epoch: *e, message: m, signature: s }),
            _ => items.push(BatchItem { public_key: &d.pk, epoch: *e, message: m, signature: &tampered }),
        }
    }
    items.push(BatchItem {
        public_key: &d.pk,
        epoch: 1 << 32,
        message: &other_message,
        signature: &tampered,
    });
    let batch = verify_batch(&items);
    assert_eq!(batch, single(&items));
    assert_eq!(batch.iter().filter(|r| r.is_ok()).count(), 16);
}

/// Public keys, and per key its signatures by epoch.
type Fixture<I> = (Vec<PublicKey<I>>, Vec<Vec<Signature<I>>>);

/// Eight keys of a lifetime-2^8 set with epochs 0..64 signed on a message derived from (key, epoch).
fn fixture<I: Instance>() -> Fixture<I> {
    (0..8u8)
        .map(|k| {
            let (mut sk, pk) = SecretKey::<I>::from_seed(&[k + 1; 32], 0, 256).unwrap();
            let sigs = (0..64u64)
                .map(|e| {
                    while !sk.prepared().contains(&e) {
                        sk.advance().unwrap();
                    }
                    sk.sign_raw(e, &message(k, e)).unwrap()
                })
                .collect();
            (pk, sigs)
        })
        .unzip()
}

fn message(key: u8, epoch: u64) -> [u8; 32] {
    core::array::from_fn(|i| key ^ (epoch as u8).wrapping_mul(31) ^ i as u8)
}

/// A batch of picks (key, epoch, other key, fault) with faults: 0-2 none, 3 another key, 4 another epoch's
/// signature, 5 an epoch past the lifetime; its batch results must equal single verification's.
fn check_picks<I: Instance>(fixture: &Fixture<I>, picks: &[(u8, u64, u8, u8)]) -> Result<(), TestCaseError> {
    let (pks, sigs) = fixture;
    let messages: Vec<[u8; 32]> = picks.iter().map(|&(k, e, _, _)| message(k, e)).collect();
    let items: Vec<BatchItem<'_, I>> = picks
        .iter()
        .zip(&messages)
        .map(|(&(k, e, kk, fault), m)| {
            let signature = &sigs[usize::from(k)][e as usize];
            let (key, epoch, signature) = match fault {
                3 => (kk, e, signature),
                4 => (k, e, &sigs[usize::from(k)][((e + 1) % 64) as usize]),
                5 => (k, e + 256, signature),
                _ => (k, e, signature),
            };
            BatchItem { public_key: &pks[usize::from(key)], epoch, message: m, signature }
        })
        .collect();
    prop_assert_eq!(verify_batch(&items), single(&items));
    Ok(())
}

static TEST_FIXTURE: LazyLock<Fixture<TestInstance>> = LazyLock::new(fixture);
static LEANVM_FIXTURE: LazyLock<Fixture<LeanVmTest>> = LazyLock::new(fixture);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_test_batches_match_single_verification(
        picks in proptest::collection::vec((0..8u8, 0..64u64, 0..8u8, 0..6u8), 0..40)
    ) {
        check_picks(&TEST_FIXTURE, &picks)?;
    }

    /// The leanVM back-end's lane-per-signature batches (16 or 8 signatures a chunk, walks packed across
    /// them) against one verification at a time.
    #[test]
    fn random_leanvm_batches_match_single_verification(
        picks in proptest::collection::vec((0..8u8, 0..64u64, 0..8u8, 0..6u8), 0..40)
    ) {
        check_picks(&LEANVM_FIXTURE, &picks)?;
    }
}
