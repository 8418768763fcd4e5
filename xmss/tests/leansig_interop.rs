//! Interop with leanSig c08a3ba and leanSpec: every vector in `testdata/vectors`, byte for byte.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed unwrap is a failed test

mod vectors;

use ndvt_xmss::hazmat::RawSign;
use ndvt_xmss::primitives::{poseidon16, poseidon24};
use ndvt_xmss::{
    DecodeError, Devnet4, F, Instance, PublicKey, SecretKey, Signature, TestInstance, VerifyError,
};
use p3_field::{PrimeCharacteristicRing, PrimeField32};
use p3_symmetric::Permutation;
use serde_json::Value;

fn permutation_answers<const W: usize, P: Permutation<[F; W]>>(perm: &P, section: &Value) {
    let cases = section["vectors"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    for case in cases {
        let words = |key: &str| -> [u32; W] {
            let v: Vec<u32> =
                case[key].as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as u32).collect();
            v.try_into().unwrap()
        };
        let mut state = words("input").map(F::from_u32);
        perm.permute_mut(&mut state);
        assert_eq!(state.map(|x| x.as_canonical_u32()), words("output"));
    }
}

#[test]
fn poseidon1_known_answers() {
    let v = vectors::json("leansig/poseidon1_koalabear.json");
    permutation_answers(poseidon16(), &v["width16"]);
    permutation_answers(poseidon24(), &v["width24"]);
}

fn check_scheme_header<I: Instance>(v: &Value) {
    let s = &v["scheme"];
    assert_eq!(s["log_lifetime"].as_u64(), Some(u64::from(I::LOG_LIFETIME)));
    assert_eq!(s["dimension"].as_u64(), Some(I::DIMENSION as u64));
    assert_eq!(s["base"].as_u64(), Some(I::BASE as u64));
    assert_eq!(s["target_sum"].as_u64(), Some(I::TARGET_SUM as u64));
    assert_eq!(v["sizes"]["signature"].as_u64(), Some(I::SIGNATURE_BYTES as u64));
    assert_eq!(v["sizes"]["public_key"].as_u64(), Some(I::PUBLIC_KEY_BYTES as u64));
}

fn verify_positive<I: Instance>(key: &Value) -> PublicKey<I> {
    let pk_bytes = vectors::bytes(&key["public_key"]);
    let pk = PublicKey::<I>::from_bytes(&pk_bytes).unwrap();
    assert_eq!(pk.to_bytes(), pk_bytes);
    for s in key["signatures"].as_array().unwrap() {
        let epoch = s["epoch"].as_u64().unwrap();
        let sig_bytes = vectors::bytes(&s["signature"]);
        let sig = Signature::<I>::from_bytes(&sig_bytes).unwrap();
        assert_eq!(sig.to_bytes(), sig_bytes, "re-encoding of the signature at epoch {epoch}");
        pk.verify(epoch, &vectors::message(&s["message"]), &sig)
            .unwrap_or_else(|e| panic!("epoch {epoch}: {e}"));
    }
    pk
}

#[test]
fn test_instance_keys_decode_derive_and_resign_byte_for_byte() {
    let v = vectors::json("leansig/leansig_test_lifetime2_8.json");
    check_scheme_header::<TestInstance>(&v);
    for key in v["keys"].as_array().unwrap() {
        let pk = verify_positive::<TestInstance>(key);
        let sk_bytes = vectors::bytes(&key["secret_key"]);
        let mut sk = SecretKey::<TestInstance>::from_bytes(&sk_bytes).unwrap();
        assert_eq!(*sk.to_bytes(), sk_bytes, "secret key re-encoding");
        assert_eq!(sk.public_key(), pk, "public key derived from the secret key");
        sk.check_consistency().unwrap();
        let interval = |k: &str| key[k][0].as_u64().unwrap()..key[k][1].as_u64().unwrap();
        assert_eq!(sk.activation(), interval("activation_interval"));
        assert_eq!(sk.prepared(), interval("prepared_interval_at_keygen"));
        for s in key["signatures"].as_array().unwrap() {
            let epoch = s["epoch"].as_u64().unwrap();
            while !sk.prepared().contains(&epoch) {
                sk.advance().unwrap();
            }
            let ours = sk.sign_raw(epoch, &vectors::message(&s["message"])).unwrap();
            assert_eq!(ours.to_bytes(), vectors::bytes(&s["signature"]), "signature at epoch {epoch}");
        }
    }
}

#[test]
fn devnet4_signatures_verify() {
    let v = vectors::json("leansig/leansig_prod_lifetime2_32.json");
    check_scheme_header::<Devnet4>(&v);
    let keys = v["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    let signed: usize = keys.iter().map(|k| k["signatures"].as_array().unwrap().len()).sum();
    assert_eq!(signed, 16);
    verify_positive::<Devnet4>(&keys[0]);
}

fn check_negative<I: Instance>(case: &Value) {
    let id = case["id"].as_str().unwrap();
    let pk = PublicKey::<I>::from_bytes(&vectors::bytes(&case["public_key"])).unwrap();
    let epoch = case["epoch"].as_u64().unwrap();
    let result =
        pk.verify_bytes(epoch, &vectors::bytes(&case["message"]), &vectors::bytes(&case["signature"]));
    let err = result.expect_err(id);
    match (case["case"].as_str().unwrap(), case["expected"].as_str().unwrap()) {
        (_, "reject-noncanonical") => assert!(
            matches!(err, VerifyError::Decode(DecodeError::NonCanonicalFieldElement { .. })),
            "{id}: {err:?}"
        ),
        ("truncated-signature", _) => assert!(matches!(err, VerifyError::Decode(_)), "{id}: {err:?}"),
        ("wrong-epoch", _) if epoch >= I::LIFETIME => {
            assert!(matches!(err, VerifyError::EpochOutOfRange { .. }), "{id}: {err:?}")
        }
        (_, "reject") => assert!(
            matches!(err, VerifyError::RootMismatch | VerifyError::Encoding(_)),
            "{id}: expected a cryptographic rejection, got {err:?}"
        ),
        (c, e) => panic!("{id}: unknown case {c} / {e}"),
    }
}

#[test]
fn every_negative_vector_is_rejected_as_expected() {
    let test = vectors::json("leansig/leansig_test_lifetime2_8.json");
    let prod = vectors::json("leansig/leansig_prod_lifetime2_32.json");
    let (t, p) = (test["negative"].as_array().unwrap(), prod["negative"].as_array().unwrap());
    assert_eq!((t.len(), p.len()), (10, 6));
    t.iter().for_each(check_negative::<TestInstance>);
    p.iter().for_each(check_negative::<Devnet4>);
}

#[test]
fn leanspec_test_keys_decode_reencode_and_sign() {
    for i in 0..8 {
        let file = vectors::json(&format!("leanspec-test-keys/{i}.json"));
        for role in ["attestation_keypair", "proposal_keypair"] {
            let pair = &file[role];
            let sk_bytes = vectors::bytes(&pair["secret_key"]);
            let pk_bytes = vectors::bytes(&pair["public_key"]);
            let sk = SecretKey::<TestInstance>::from_bytes(&sk_bytes)
                .unwrap_or_else(|e| panic!("{i}/{role}: {e}"));
            assert_eq!(*sk.to_bytes(), sk_bytes, "{i}/{role}: re-encoding");
            assert_eq!(sk.public_key().to_bytes(), pk_bytes, "{i}/{role}: derived public key");
            sk.check_consistency().unwrap();
            let pk = PublicKey::<TestInstance>::from_bytes(&pk_bytes).unwrap();
            let epoch = sk.prepared().start + 3;
            let sig = sk.sign_raw(epoch, &[i as u8; 32]).unwrap();
            pk.verify(epoch, &[i as u8; 32], &sig).unwrap();
        }
    }
}
