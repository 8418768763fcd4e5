//! Fixtures shared by the keystore tests: small keys, small KDF parameters, a seeded RNG.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use ndvt_keystore::{Kdf, Keystore, Password, Snapshot};
use ndvt_xmss::{Instance, SecretKey, TestInstance};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;

/// Cheap parameters: tests must be fast; production uses `Kdf::ARGON2ID_DEFAULT` / `SCRYPT_DEFAULT`.
pub const ARGON2_SMALL: Kdf = Kdf::Argon2id { memory_kib: 64, iterations: 1, lanes: 1 };
/// Cheap scrypt parameters.
pub const SCRYPT_SMALL: Kdf = Kdf::Scrypt { log_n: 4, r: 8, p: 1 };

pub fn rng() -> ChaCha20Rng {
    ChaCha20Rng::from_seed([42; 32])
}

pub fn password() -> Password {
    Password::new("correct horse battery staple")
}

pub fn test_key(seed: u8) -> SecretKey<TestInstance> {
    SecretKey::<TestInstance>::from_seed(&[seed; 32], 0, 64).unwrap().0
}

/// A keystore of `key` whose snapshot says every epoch below `next` is used.
pub fn keystore_of<I: Instance>(key: &SecretKey<I>, next: u64, kdf: Kdf) -> Keystore {
    let snapshot = Snapshot::of_record(key.activation(), next, None);
    Keystore::encrypt(
        &key.to_bytes(),
        &key.public_key(),
        key.activation().start,
        snapshot,
        &password(),
        kdf,
        &mut rng(),
    )
    .unwrap()
}

/// The keystore's JSON as a value, edited by `edit`, back to bytes.
pub fn edited(keystore: &Keystore, edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_str(&keystore.to_json()).unwrap();
    edit(&mut v);
    serde_json::to_vec(&v).unwrap()
}
