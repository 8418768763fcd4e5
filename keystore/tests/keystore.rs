//! Keystore encoding, encryption and strict decoding: round trips per KDF and instance, wrong password vs
//! tampering, the EIP's tolerance rules, and one test per bad-input class with its exact error.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use ndvt_keystore::{Kdf, KdfLimits, Keystore, KeystoreError, Password};
use ndvt_xmss::leanvm::LeanVmTest;
use ndvt_xmss::{Devnet4, SecretKey, TestInstance};
use serde_json::json;

fn assert_same_key<I: ndvt_xmss::Instance>(a: &SecretKey<I>, b: &SecretKey<I>) {
    assert_eq!(*a.to_bytes(), *b.to_bytes());
    assert_eq!(a.public_key(), b.public_key());
}

#[test]
fn round_trip_per_kdf() {
    let key = test_key(1);
    for kdf in [ARGON2_SMALL, SCRYPT_SMALL] {
        let ks = keystore_of(&key, 5, kdf);
        let parsed = Keystore::from_json(ks.to_json().as_bytes()).unwrap();
        assert_eq!(parsed.kdf(), kdf);
        assert_eq!(parsed.snapshot(), ks.snapshot());
        assert_eq!(parsed.to_json(), ks.to_json(), "re-encoding is the identity");
        assert_same_key(&parsed.decrypt::<TestInstance>(&password()).unwrap(), &key);
    }
}

#[test]
fn round_trip_per_instance_and_instance_is_checked() {
    let (vm, _) = SecretKey::<LeanVmTest>::from_seed(&[3; 32], 10, 40).unwrap();
    let ks = Keystore::from_json(keystore_of(&vm, 12, ARGON2_SMALL).to_json().as_bytes()).unwrap();
    assert_eq!(ks.instance(), "leanvm-test");
    assert_eq!(ks.activation_epoch(), 10);
    assert_same_key(&ks.decrypt::<LeanVmTest>(&password()).unwrap(), &vm);
    assert!(matches!(
        ks.decrypt::<TestInstance>(&password()),
        Err(KeystoreError::WrongInstance { expected: "test", found: "leanvm-test" })
    ));
    assert!(matches!(ks.decrypt::<Devnet4>(&password()), Err(KeystoreError::WrongInstance { .. })));
}

#[test]
fn wrong_password_and_tampering_are_distinct() {
    let ks = keystore_of(&test_key(1), 0, ARGON2_SMALL);
    let wrong =
        Keystore::from_json(ks.to_json().as_bytes()).unwrap().decrypt::<TestInstance>(&Password::new("nope"));
    assert!(matches!(wrong, Err(KeystoreError::WrongPassword)), "{wrong:?}");

    let flip = |path: &[&str]| {
        edited(&ks, |v| {
            let mut cursor = &mut *v;
            for p in path {
                cursor = &mut cursor[*p];
            }
            let mut text = cursor.as_str().unwrap().to_string();
            let last = text.pop().unwrap();
            text.push(if last == '0' { '1' } else { '0' });
            *cursor = json!(text);
        })
    };
    // The ciphertext, its tag (the last bytes), the nonce, and every field the tag binds.
    for path in [&["crypto", "cipher", "message"][..], &["crypto", "cipher", "params", "iv"], &["uuid"]] {
        let r = Keystore::from_json(&flip(path)).unwrap().decrypt::<TestInstance>(&password());
        assert!(matches!(r, Err(KeystoreError::Tampered)), "{path:?}: {r:?}");
    }
    let moved = edited(&ks, |v| v["scheme"]["params"]["activation_epoch"] = json!(1));
    let r = Keystore::from_json(&moved).unwrap().decrypt::<TestInstance>(&password());
    assert!(matches!(r, Err(KeystoreError::Tampered)), "{r:?}");
    let other_pubkey = edited(&ks, |v| v["pubkey"] = json!(hex::encode(test_key(2).public_key().to_bytes())));
    let r = Keystore::from_json(&other_pubkey).unwrap().decrypt::<TestInstance>(&password());
    assert!(matches!(r, Err(KeystoreError::Tampered)), "{r:?}");
    // The checksum or the salt changed: the derived key no longer matches, which is a wrong password.
    for path in [&["crypto", "checksum", "message"][..], &["crypto", "kdf", "params", "salt"]] {
        let r = Keystore::from_json(&flip(path)).unwrap().decrypt::<TestInstance>(&password());
        assert!(matches!(r, Err(KeystoreError::WrongPassword)), "{path:?}: {r:?}");
    }
}

#[test]
fn the_state_snapshot_is_not_bound_and_is_informational() {
    // A changed snapshot still decrypts: it binds nothing (imports take it only as a floor).
    let ks = keystore_of(&test_key(1), 9, ARGON2_SMALL);
    let raised = edited(&ks, |v| {
        v["state"]["high_water"] = json!(30);
        v["state"]["capacity"] = json!({ "total": 256, "consumed": 31, "remaining": 225 });
    });
    let parsed = Keystore::from_json(&raised).unwrap();
    assert_eq!(parsed.snapshot().floor(), 31);
    parsed.decrypt::<TestInstance>(&password()).unwrap();
}

#[test]
fn unknown_fields_are_tolerated_only_where_they_change_nothing() {
    let ks = keystore_of(&test_key(1), 0, ARGON2_SMALL);
    // Top level and state: ignored.
    let extra = edited(&ks, |v| {
        v["x-client"] = json!({ "name": "zeam" });
        v["state"]["x-note"] = json!("informational");
    });
    Keystore::from_json(&extra).unwrap().decrypt::<TestInstance>(&password()).unwrap();
    // description and path may be absent (EIP-2335 readers do not need them).
    let bare = edited(&ks, |v| {
        v.as_object_mut().unwrap().remove("description");
        v.as_object_mut().unwrap().remove("path");
    });
    Keystore::from_json(&bare).unwrap();
    // scheme.params: an unknown parameter could change the key, so it is refused.
    let p = edited(&ks, |v| v["scheme"]["params"]["chain_length"] = json!(8));
    assert!(matches!(Keystore::from_json(&p), Err(KeystoreError::UnsupportedParameters(_))));
    // crypto: an unknown module or parameter could change how the secret is protected.
    let c = edited(&ks, |v| v["crypto"]["mac"] = json!("00"));
    assert!(matches!(Keystore::from_json(&c), Err(KeystoreError::Field { field: "crypto", .. })));
    let k = edited(&ks, |v| v["crypto"]["kdf"]["params"]["secret"] = json!(1));
    assert!(matches!(Keystore::from_json(&k), Err(KeystoreError::KdfParams(_))));
}

#[test]
fn versions_and_schemes() {
    let ks = keystore_of(&test_key(1), 0, ARGON2_SMALL);
    for version in [4, 6, 0] {
        let v = edited(&ks, |v| v["version"] = json!(version));
        assert!(matches!(Keystore::from_json(&v), Err(KeystoreError::UnknownVersion(n)) if n == version));
    }
    let s = edited(&ks, |v| v["scheme"]["name"] = json!("lms"));
    assert!(matches!(Keystore::from_json(&s), Err(KeystoreError::UnknownScheme(n)) if n == "lms"));
    let missing = edited(&ks, |v| {
        v.as_object_mut().unwrap().remove("scheme");
    });
    assert!(matches!(Keystore::from_json(&missing), Err(KeystoreError::Field { field: "scheme", .. })));
    for (name, value) in [
        ("dimension", json!(5)),
        ("hash", json!("sha3-256")),
        ("hypertree_layers", json!(2)),
        ("encoding", json!("winternitz")),
        ("index_mode", json!("counter")),
        ("lifetime_leaves", json!(512)),
        ("activation_epoch", json!(256)),
    ] {
        let p = edited(&ks, |v| v["scheme"]["params"][name] = value);
        assert!(matches!(Keystore::from_json(&p), Err(KeystoreError::UnsupportedParameters(_))), "{name}");
    }
}

#[test]
fn hostile_kdf_parameters_are_refused_before_any_work() {
    let ks = keystore_of(&test_key(1), 0, ARGON2_SMALL);
    let argon = |m: u64, t: u64, p: u64| {
        edited(&ks, |v| {
            v["crypto"]["kdf"]["params"]["m"] = json!(m);
            v["crypto"]["kdf"]["params"]["t"] = json!(t);
            v["crypto"]["kdf"]["params"]["p"] = json!(p);
        })
    };
    let started = std::time::Instant::now();
    for bytes in
        [argon(4 << 20, 1, 1), argon(64, 1 << 20, 1), argon(64, 1, 64), argon(64, 0, 1), argon(4, 1, 1)]
    {
        assert!(matches!(Keystore::from_json(&bytes), Err(KeystoreError::KdfParams(_))));
    }
    let dklen = edited(&ks, |v| v["crypto"]["kdf"]["params"]["dklen"] = json!(32));
    assert!(matches!(Keystore::from_json(&dklen), Err(KeystoreError::KdfParams(_))));
    let sc = keystore_of(&test_key(1), 0, SCRYPT_SMALL);
    let scrypt = |n: u64, r: u64, p: u64| {
        edited(&sc, |v| {
            v["crypto"]["kdf"]["params"]["n"] = json!(n);
            v["crypto"]["kdf"]["params"]["r"] = json!(r);
            v["crypto"]["kdf"]["params"]["p"] = json!(p);
        })
    };
    for bytes in
        [scrypt(1 << 30, 8, 1), scrypt(1000, 8, 1), scrypt(1, 8, 1), scrypt(1 << 18, 8, 16), scrypt(16, 0, 1)]
    {
        assert!(matches!(Keystore::from_json(&bytes), Err(KeystoreError::KdfParams(_))));
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "refusals must not compute");
    // A stricter reader refuses what the default accepts.
    let strict = KdfLimits { max_memory_bytes: 32 * 1024, ..KdfLimits::default() };
    assert!(matches!(
        Keystore::from_json_with_limits(ks.to_json().as_bytes(), &strict),
        Err(KeystoreError::KdfParams(_))
    ));
    // Writing refuses parameters no reader would accept.
    let huge = Kdf::Argon2id { memory_kib: 8 << 20, iterations: 1, lanes: 1 };
    let key = test_key(1);
    let r = Keystore::encrypt(
        &key.to_bytes(),
        &key.public_key(),
        0,
        ks.snapshot().clone(),
        &password(),
        huge,
        &mut rng(),
    );
    assert!(matches!(r, Err(KeystoreError::KdfParams(_))));
}

#[test]
fn one_error_per_bad_input_class() {
    let ks = keystore_of(&test_key(1), 0, ARGON2_SMALL);
    let parse = |edit: &dyn Fn(&mut serde_json::Value)| Keystore::from_json(&edited(&ks, edit));
    assert!(matches!(Keystore::from_json(b"{"), Err(KeystoreError::Json(_))));
    assert!(matches!(Keystore::from_json(b"[5]"), Err(KeystoreError::Json(_))));
    let big = vec![b' '; ndvt_keystore::MAX_KEYSTORE_BYTES as usize + 1];
    assert!(matches!(Keystore::from_json(&big), Err(KeystoreError::TooLarge { .. })));
    assert!(matches!(
        parse(&|v| v["version"] = json!("5")),
        Err(KeystoreError::Field { field: "version", .. })
    ));
    assert!(matches!(
        parse(&|v| v["crypto"]["kdf"]["function"] = json!("pbkdf2")),
        Err(KeystoreError::UnsupportedKdf(_))
    ));
    assert!(matches!(
        parse(&|v| v["crypto"]["kdf"]["message"] = json!("00")),
        Err(KeystoreError::Field { field: "crypto.kdf.message", .. })
    ));
    assert!(matches!(
        parse(&|v| v["crypto"]["cipher"]["function"] = json!("aes-128-ctr")),
        Err(KeystoreError::UnsupportedCipher(_))
    ));
    assert!(matches!(
        parse(&|v| v["crypto"]["checksum"]["function"] = json!("sha3")),
        Err(KeystoreError::UnsupportedChecksum(_))
    ));
    assert!(matches!(
        parse(&|v| v["crypto"]["checksum"]["params"] = json!({"a": 1})),
        Err(KeystoreError::Field { field: "crypto.checksum.params", .. })
    ));
    assert!(matches!(
        parse(&|v| v["crypto"]["checksum"]["message"] = json!("abcd")),
        Err(KeystoreError::Field { field: "crypto.checksum.message", .. })
    ));
    assert!(matches!(
        parse(&|v| v["crypto"]["cipher"]["params"]["iv"] = json!("00ff")),
        Err(KeystoreError::Field { field: "crypto.cipher.params.iv", .. })
    ));
    assert!(matches!(
        parse(&|v| v["crypto"]["cipher"]["message"] = json!("zz")),
        Err(KeystoreError::Field { field: "crypto.cipher.message", .. })
    ));
    assert!(matches!(
        parse(&|v| v["crypto"]["cipher"]["message"] = json!("00")),
        Err(KeystoreError::Field { field: "crypto.cipher.message", .. })
    ));
    assert!(matches!(
        parse(&|v| v["crypto"]["kdf"]["params"]["salt"] = json!("00")),
        Err(KeystoreError::Field { field: "crypto.kdf.params.salt", .. })
    ));
    assert!(matches!(
        parse(&|v| v["pubkey"] = json!("00")),
        Err(KeystoreError::Field { field: "pubkey", .. })
    ));
    assert!(matches!(
        parse(&|v| v["uuid"] = json!("not-a-uuid")),
        Err(KeystoreError::Field { field: "uuid", .. })
    ));
    assert!(matches!(parse(&|v| v["state"]["authoritative"] = json!(true)), Err(KeystoreError::State(_))));
    assert!(matches!(parse(&|v| v["state"]["authority"] = json!("external")), Err(KeystoreError::State(_))));
    assert!(matches!(
        parse(&|v| v["state"]["capacity"]["consumed"] = json!(1)),
        Err(KeystoreError::State(_))
    ));
    assert!(matches!(parse(&|v| v["state"]["high_water"] = json!(256)), Err(KeystoreError::State(_))));
    assert!(matches!(
        parse(&|v| {
            v.as_object_mut().unwrap().remove("state");
        }),
        Err(KeystoreError::Field { field: "state", .. })
    ));
    let range = |id: &str, start: u64, end: u64, hw: Option<u64>| json!({ "id": id, "start": start, "end": end, "high_water": hw });
    for ranges in [
        json!([range("a", 0, 99, None), range("b", 99, 120, None)]),
        json!([range("a", 10, 5, None)]),
        json!([range("a", 0, 256, None)]),
        json!([range("a", 0, 9, Some(10))]),
        json!([range("a", 0, 9, None), range("a", 10, 19, None)]),
        json!([range("", 0, 9, None)]),
    ] {
        assert!(
            matches!(
                parse(&|v| v["state"]["reserved_ranges"] = ranges.clone()),
                Err(KeystoreError::ReservedRanges(_))
            ),
            "{ranges}"
        );
    }
}

#[test]
fn reserved_ranges_raise_the_floor_to_their_ends() {
    let ks = keystore_of(&test_key(1), 3, ARGON2_SMALL);
    let bytes = edited(&ks, |v| {
        v["state"]["reserved_ranges"] = json!([
            { "id": "signer-a", "start": 0, "end": 99, "high_water": 41 },
            { "id": "signer-b", "start": 100, "end": 199, "high_water": null },
        ]);
    });
    let parsed = Keystore::from_json(&bytes).unwrap();
    assert_eq!(parsed.snapshot().reserved_ranges.len(), 2);
    assert_eq!(parsed.snapshot().floor(), 200, "ndvt never signs inside another signer's range");
    assert!(parsed.to_json().contains("signer-b"), "ranges survive a re-encoding");
}

#[test]
fn debug_output_shows_no_secret() {
    let key = test_key(1);
    let ks = keystore_of(&key, 0, ARGON2_SMALL);
    let shown = format!("{ks:?} {:?}", password());
    assert!(!shown.contains("correct horse"));
    assert!(shown.len() < 2000, "the ciphertext is not printed: {} bytes", shown.len());
}
