//! leanVM-b 5df6c37's BLAKE2s XMSS, replayed byte for byte from `testdata/vectors/leanvm-blake2s`: every
//! tweak hash, PRF output, encoding and the chain walk layer by layer; every public key from (seed, range)
//! alone; every signature re-created from (seed, range, epoch, message, rho) through the hazmat API; every
//! negative case rejected with its own error variant.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[path = "vectors.rs"]
mod vectors;

use std::sync::LazyLock;

use ndvt_xmss::backend::TweakableHash;
use ndvt_xmss::hazmat::RawSign;
use ndvt_xmss::leanvm::{LeanVm, LeanVmLayout, LeftoverBitDigits, Rev5df6c37, TweakKind, prf, th};
use ndvt_xmss::{DecodeError, EncodingError, Instance, PublicKey, SecretKey, Signature, VerifyError};
use serde_json::Value;
use vectors::{bytes, json, message};

static KAT: LazyLock<Value> = LazyLock::new(|| json("leanvm-blake2s/blake2s_kat.json"));
static XMSS: LazyLock<Value> = LazyLock::new(|| json("leanvm-blake2s/leanvm_xmss.json"));

fn array<const N: usize>(v: &Value) -> [u8; N] {
    bytes(v).try_into().unwrap()
}

fn kind(t: u64) -> TweakKind {
    [TweakKind::Chain, TweakKind::Leaf, TweakKind::Node, TweakKind::Message][t as usize]
}

#[test]
fn every_tweak_hash() {
    let cases = KAT["tweak_hash"].as_array().unwrap();
    assert_eq!(cases.len(), 13);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let (sub, index) = (case["sub_position"].as_u64().unwrap(), case["index"].as_u64().unwrap());
        let tweak = Rev5df6c37::tweak(kind(case["tweak_type"].as_u64().unwrap()), sub as u32, index as u32);
        assert_eq!(tweak.to_vec(), bytes(&case["tweak"]), "{name}: tweak");
        let digest = th(&array(&case["public_param"]), &tweak, &[&bytes(&case["payload"])]);
        assert_eq!(digest.to_vec(), bytes(&case["digest"]), "{name}: digest");
    }
}

#[test]
fn every_prf_output() {
    let cases = KAT["prf"].as_array().unwrap();
    assert_eq!(cases.len(), 20);
    for case in cases {
        let n = |k: &str| case[k].as_u64().unwrap();
        let out = prf(&array(&case["key_seed"]), n("domain") as u32, n("a"), n("b"));
        assert_eq!(out.to_vec(), bytes(&case["output"]), "{}", case["name"]);
        assert_eq!(
            ndvt_xmss::leanvm::prf_input(n("domain") as u32, n("a"), n("b")).to_vec(),
            bytes(&case["message"])
        );
    }
}

/// The encoding, valid or not, and the exact rule an invalid one breaks.
#[test]
fn every_encoding() {
    let cases = KAT["encoding"].as_array().unwrap();
    assert_eq!(cases.len(), 8);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let (parameter, epoch) = (array(&case["public_param"]), case["epoch"].as_u64().unwrap() as u32);
        let digest = <<LeanVm as Instance>::Hash as TweakableHash>::message_digest(
            &parameter,
            epoch,
            &array(&case["randomness"]),
            &message(&case["message"]),
        );
        assert_eq!(digest.to_vec(), bytes(&case["digest"]), "{name}: digest");
        let digits: Vec<u64> = LeftoverBitDigits::digits(&digest).iter().map(|&d| u64::from(d)).collect();
        let expected: Vec<u64> =
            case["digits"].as_array().unwrap().iter().map(|d| d.as_u64().unwrap()).collect();
        assert_eq!(digits, expected, "{name}: digits");
        let mut out = [0u8; 42];
        let got = ndvt_xmss::primitives::codeword::<LeanVm>(
            &parameter,
            epoch,
            &array(&case["randomness"]),
            &message(&case["message"]),
            &mut out,
        );
        let sum = case["digit_sum"].as_u64().unwrap() as usize;
        let want = if case["valid"].as_bool().unwrap() {
            Ok(())
        } else if case["leftover_bit63"].as_u64() == Some(1) {
            Err(EncodingError::LeftoverBit { bit: 63 })
        } else if case["leftover_bit127"].as_u64() == Some(1) {
            Err(EncodingError::LeftoverBit { bit: 127 })
        } else {
            Err(EncodingError::TargetSum { expected: 195, got: sum })
        };
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn the_chain_walk() {
    let walk = &KAT["chain_walk"];
    let seed: [u8; 32] = array(&walk["seed"]);
    let parameter = prf(&seed, Rev5df6c37::PRF_PARAMETER, 0, 0);
    assert_eq!(parameter.to_vec(), bytes(&walk["public_param"]));
    let (epoch, chain) = (walk["epoch"].as_u64().unwrap(), walk["chain_index"].as_u64().unwrap() as usize);
    let mut value = prf(&seed, Rev5df6c37::PRF_CHAIN, epoch, chain as u64);
    for (s, expected) in walk["values_0_to_7"].as_array().unwrap().iter().enumerate() {
        assert_eq!(value.to_vec(), bytes(expected), "value {s}");
        let tweak =
            Rev5df6c37::tweak(TweakKind::Chain, Rev5df6c37::chain_position(chain, s as u8), epoch as u32);
        value = th(&parameter, &tweak, &[&value]);
    }
    let tips: Vec<u8> = walk["wots_public_key_all_tips"].as_array().unwrap().iter().flat_map(bytes).collect();
    let leaf = th(&parameter, &Rev5df6c37::tweak(TweakKind::Leaf, 0, epoch as u32), &[&tips]);
    assert_eq!(leaf.to_vec(), bytes(&walk["wots_public_key_hash_leaf"]));
}

fn key(index: usize) -> (SecretKey<LeanVm>, PublicKey<LeanVm>) {
    let k = &XMSS["keys"][index];
    let (start, end) = (k["epoch_start"].as_u64().unwrap(), k["epoch_end"].as_u64().unwrap());
    SecretKey::<LeanVm>::from_seed(&array(&k["seed"]), start, end - start + 1).unwrap()
}

/// Every public key from (seed, inclusive range) alone, every signature re-created byte for byte and
/// verified from its bytes.
#[test]
fn every_key_and_signature() {
    let keys = XMSS["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 4);
    let mut signatures = 0;
    for (index, k) in keys.iter().enumerate() {
        let (sk, pk) = key(index);
        assert_eq!(pk.to_bytes(), bytes(&k["public_key"]), "key {index}: public key");
        let (start, end) = (k["epoch_start"].as_u64().unwrap(), k["epoch_end"].as_u64().unwrap());
        assert_eq!(sk.activation(), start..end + 1, "key {index}: exact range");
        for s in k["signatures"].as_array().unwrap() {
            let epoch = s["epoch"].as_u64().unwrap();
            let msg = message(&s["message"]);
            let signature = sk.sign_raw_with_rho(epoch, &msg, &array(&s["randomness"])).unwrap();
            assert_eq!(signature.to_bytes(), bytes(&s["signature"]), "key {index}, epoch {epoch}");
            let decoded = Signature::<LeanVm>::from_bytes(&bytes(&s["signature"])).unwrap();
            PublicKey::<LeanVm>::from_bytes(&pk.to_bytes()).unwrap().verify(epoch, &msg, &decoded).unwrap();
            signatures += 1;
        }
    }
    assert_eq!(signatures, 30);
}

/// ndvt's own signer (derived randomness) makes signatures the reference accepts by the same rules.
#[test]
fn own_signatures_verify_and_are_deterministic() {
    let (sk, pk) = key(1);
    for epoch in [777, 1509, 2900] {
        let a = sk.sign_raw(epoch, &[7; 32]).unwrap();
        assert_eq!(a, sk.sign_raw(epoch, &[7; 32]).unwrap());
        pk.verify(epoch, &[7; 32], &a).unwrap();
    }
}

#[test]
fn every_negative_is_rejected_with_its_variant() {
    let cases = XMSS["negative"].as_array().unwrap();
    assert_eq!(cases.len(), 15);
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let epoch = case["epoch"].as_u64().unwrap();
        let pk = PublicKey::<LeanVm>::from_bytes(&bytes(&case["public_key"])).unwrap();
        let got = pk.verify_bytes(epoch, &bytes(&case["message"]), &bytes(&case["signature"])).unwrap_err();
        let ok = match &id[..16] {
            "shared-neg-01-ra" | "shared-neg-04-wr" | "shared-neg-06-wr" | "shared-neg-14-pk"
            | "shared-neg-15-ot" => {
                matches!(got, VerifyError::Encoding(_))
            }
            "shared-neg-02-ch" | "shared-neg-03-me" | "shared-neg-13-pk" => got == VerifyError::RootMismatch,
            "shared-neg-05-ep" => got == VerifyError::EpochOutOfRange { epoch: 1 << 32, log_lifetime: 32 },
            "shared-neg-07-tr" => {
                got == VerifyError::Decode(DecodeError::Length {
                    what: "signature",
                    expected: 1208,
                    got: 1207,
                })
            }
            "shared-neg-08-ex" => {
                got == VerifyError::Decode(DecodeError::Length {
                    what: "signature",
                    expected: 1208,
                    got: 1209,
                })
            }
            "shared-neg-09-le" => got == VerifyError::Encoding(EncodingError::LeftoverBit { bit: 63 }),
            "shared-neg-10-le" => got == VerifyError::Encoding(EncodingError::LeftoverBit { bit: 127 }),
            "shared-neg-11-su" => {
                got == VerifyError::Encoding(EncodingError::TargetSum { expected: 195, got: 194 })
            }
            "shared-neg-12-su" => {
                got == VerifyError::Encoding(EncodingError::TargetSum { expected: 195, got: 196 })
            }
            other => panic!("unknown negative case {other}"),
        };
        assert!(ok, "{id}: {got:?}");
    }
}

/// The verifier's path nodes Z0..Z32 for each key's first signature, recomputed from the signature bytes.
#[test]
fn the_debug_path_of_each_key() {
    for k in XMSS["keys"].as_array().unwrap() {
        let d = &k["debug_first_signature"];
        let first = &k["signatures"][0];
        let sig = bytes(&first["signature"]);
        let epoch = d["epoch"].as_u64().unwrap();
        let parameter: [u8; 16] = array(&k["public_param"]);
        let nodes: Vec<Vec<u8>> =
            d["path_nodes_level0_to_32"].as_array().unwrap().iter().map(bytes).collect();
        let mut current: [u8; 16] = nodes[0].clone().try_into().unwrap();
        for level in 0..32usize {
            let sibling = &sig[696 + 16 * level..712 + 16 * level];
            let (l, r): (&[u8], &[u8]) =
                if (epoch >> level) & 1 == 0 { (&current, sibling) } else { (sibling, &current) };
            let tweak = Rev5df6c37::tweak(TweakKind::Node, level as u32 + 1, (epoch >> (level + 1)) as u32);
            current = th(&parameter, &tweak, &[l, r]);
            assert_eq!(current.to_vec(), nodes[level + 1], "level {}", level + 1);
        }
        assert_eq!(current.to_vec(), bytes(&k["merkle_root"]));
    }
}

/// (public key, epoch, message, signature).
type Signed = (PublicKey<LeanVm>, u64, [u8; 32], Signature<LeanVm>);

/// Every vector signature and every negative that decodes, in one batch and then shuffled into another:
/// the lane-per-signature batch answers exactly as one verification at a time, variant for variant.
#[test]
fn vectors_and_negatives_in_one_batch_answer_as_single_verification() {
    let mut owned: Vec<Signed> = Vec::new();
    for k in XMSS["keys"].as_array().unwrap() {
        let pk = PublicKey::<LeanVm>::from_bytes(&bytes(&k["public_key"])).unwrap();
        for s in k["signatures"].as_array().unwrap() {
            let sig = Signature::from_bytes(&bytes(&s["signature"])).unwrap();
            owned.push((pk, s["epoch"].as_u64().unwrap(), message(&s["message"]), sig));
        }
    }
    let valid = owned.len();
    for case in XMSS["negative"].as_array().unwrap() {
        let (Ok(pk), Ok(sig), Ok(m)) = (
            PublicKey::<LeanVm>::from_bytes(&bytes(&case["public_key"])),
            Signature::<LeanVm>::from_bytes(&bytes(&case["signature"])),
            <[u8; 32]>::try_from(bytes(&case["message"])),
        ) else {
            continue;
        };
        owned.push((pk, case["epoch"].as_u64().unwrap(), m, sig));
    }
    assert!(owned.len() > valid + 10, "most negatives decode and reach verification");
    let items: Vec<ndvt_xmss::BatchItem<'_, LeanVm>> = owned
        .iter()
        .map(|(public_key, epoch, message, signature)| ndvt_xmss::BatchItem {
            public_key,
            epoch: *epoch,
            message,
            signature,
        })
        .collect();
    let single: Vec<_> = items.iter().map(|i| i.public_key.verify(i.epoch, i.message, i.signature)).collect();
    assert_eq!(single.iter().filter(|r| r.is_ok()).count(), valid);
    assert_eq!(ndvt_xmss::verify_batch(&items), single);
    let mut shuffled: Vec<usize> = (0..items.len()).collect();
    shuffled.sort_by_key(|&i| (i * 7919) % items.len());
    let items: Vec<_> = shuffled.iter().map(|&i| items[i]).collect();
    let single: Vec<_> = shuffled.iter().map(|&i| single[i].clone()).collect();
    assert_eq!(ndvt_xmss::verify_batch(&items), single);
}
