//! The key derivation functions EIP-8310 allows ("Cipher and KDF"): argon2id and scrypt, with bounds.
//!
//! The derived key is 64 bytes: the first 32 are the AES-256-GCM key, the last 32 feed the password
//! checksum. Reading refuses parameters above [`KdfLimits`] before computing anything, so a hostile keystore
//! cannot make the reader allocate gigabytes or spin for hours; writing uses the production defaults unless
//! the caller picks others (tests pick small ones).

use serde::Deserialize;
use zeroize::Zeroizing;

use crate::error::KeystoreError;
use crate::password::Password;

/// Length of the derived key: 32 bytes of AES-256 key, 32 bytes of checksum key.
pub(crate) const DKLEN: u32 = 64;
/// Salt length written; readers accept 16 to 64 bytes.
pub(crate) const SALT_LEN: usize = 32;

/// A KDF and its cost parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kdf {
    /// argon2id (RFC 9106) with `memory_kib` KiB of memory, `iterations` passes and `lanes` lanes.
    Argon2id {
        /// Memory in KiB (`m`).
        memory_kib: u32,
        /// Passes (`t`).
        iterations: u32,
        /// Lanes (`p`).
        lanes: u32,
    },
    /// scrypt with cost `2^log_n`, block size `r`, parallelism `p`.
    Scrypt {
        /// log2 of the cost `n`.
        log_n: u8,
        /// Block size.
        r: u32,
        /// Parallelism.
        p: u32,
    },
}

impl Kdf {
    /// RFC 9106's second recommended argon2id option (64 MiB, 3 passes, 4 lanes): the default.
    pub const ARGON2ID_DEFAULT: Kdf = Kdf::Argon2id { memory_kib: 64 * 1024, iterations: 3, lanes: 4 };
    /// EIP-2335's scrypt parameters (n = 2^18, r = 8, p = 1: 256 MiB).
    pub const SCRYPT_DEFAULT: Kdf = Kdf::Scrypt { log_n: 18, r: 8, p: 1 };

    /// The KDF's name in the keystore (`crypto.kdf.function`).
    pub fn function(&self) -> &'static str {
        match self {
            Kdf::Argon2id { .. } => "argon2id",
            Kdf::Scrypt { .. } => "scrypt",
        }
    }

    /// Memory the derivation needs, in bytes.
    pub fn memory_bytes(&self) -> u64 {
        match *self {
            Kdf::Argon2id { memory_kib, .. } => u64::from(memory_kib) * 1024,
            Kdf::Scrypt { log_n, r, p } => 128 * u64::from(r) * ((1u64 << log_n) + u64::from(p)),
        }
    }

    /// Refuses parameters outside `limits` (or below what the primitive itself allows).
    pub fn check(&self, limits: &KdfLimits) -> Result<(), KeystoreError> {
        let bad = |why: String| Err(KeystoreError::KdfParams(why));
        if self.memory_bytes() > limits.max_memory_bytes {
            return bad(format!(
                "needs {} bytes of memory, more than {}",
                self.memory_bytes(),
                limits.max_memory_bytes
            ));
        }
        match *self {
            Kdf::Argon2id { memory_kib, iterations, lanes } => {
                if !(1..=limits.max_iterations).contains(&iterations) {
                    return bad(format!(
                        "argon2id t = {iterations}, expected 1 to {}",
                        limits.max_iterations
                    ));
                }
                if !(1..=limits.max_parallelism).contains(&lanes) {
                    return bad(format!("argon2id p = {lanes}, expected 1 to {}", limits.max_parallelism));
                }
                if memory_kib < 8 * lanes {
                    return bad(format!("argon2id m = {memory_kib} KiB is below 8 × p"));
                }
            }
            Kdf::Scrypt { log_n, r, p } => {
                if !(1..=limits.max_scrypt_log_n).contains(&log_n) {
                    return bad(format!(
                        "scrypt n = 2^{log_n}, expected 2^1 to 2^{}",
                        limits.max_scrypt_log_n
                    ));
                }
                if r == 0 || p == 0 || p > limits.max_parallelism {
                    return bad(format!(
                        "scrypt r = {r}, p = {p}: both at least 1, p at most {}",
                        limits.max_parallelism
                    ));
                }
                // Work is proportional to n · r · p; memory alone does not bound it.
                let work = (1u64 << log_n) * u64::from(r) * u64::from(p);
                if work > limits.max_scrypt_work {
                    return bad(format!("scrypt n·r·p = {work}, more than {}", limits.max_scrypt_work));
                }
            }
        }
        Ok(())
    }

    /// Derives the 64-byte key from `password` and `salt`.
    pub(crate) fn derive(
        &self,
        password: &Password,
        salt: &[u8],
    ) -> Result<Zeroizing<[u8; 64]>, KeystoreError> {
        let mut out = Zeroizing::new([0u8; 64]);
        let refused = |e: String| KeystoreError::KdfParams(e);
        match *self {
            Kdf::Argon2id { memory_kib, iterations, lanes } => {
                let params = argon2::Params::new(memory_kib, iterations, lanes, Some(DKLEN as usize))
                    .map_err(|e| refused(e.to_string()))?;
                argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
                    .hash_password_into(password.bytes(), salt, out.as_mut())
                    .map_err(|e| refused(e.to_string()))?;
            }
            Kdf::Scrypt { log_n, r, p } => {
                let params =
                    scrypt::Params::new(log_n, r, p, DKLEN as usize).map_err(|e| refused(e.to_string()))?;
                scrypt::scrypt(password.bytes(), salt, &params, out.as_mut())
                    .map_err(|e| refused(e.to_string()))?;
            }
        }
        Ok(out)
    }
}

/// What a reader accepts. The defaults admit the production parameters with a margin of 16× in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfLimits {
    /// Largest memory a derivation may take (default 1 GiB).
    pub max_memory_bytes: u64,
    /// Largest argon2id pass count (default 16).
    pub max_iterations: u32,
    /// Largest argon2id lane count or scrypt parallelism (default 16).
    pub max_parallelism: u32,
    /// Largest scrypt log2 n (default 20).
    pub max_scrypt_log_n: u8,
    /// Largest scrypt n·r·p (default 2^24: 16 × EIP-2335's parameters).
    pub max_scrypt_work: u64,
}

impl Default for KdfLimits {
    fn default() -> Self {
        KdfLimits {
            max_memory_bytes: 1 << 30,
            max_iterations: 16,
            max_parallelism: 16,
            max_scrypt_log_n: 20,
            max_scrypt_work: 1 << 24,
        }
    }
}

/// `crypto.kdf.params` for argon2id, as written (RFC 9106's letters).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Argon2Json {
    pub dklen: u32,
    pub m: u32,
    pub t: u32,
    pub p: u32,
    pub salt: String,
}

/// `crypto.kdf.params` for scrypt, as EIP-2335 writes them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScryptJson {
    pub dklen: u32,
    pub n: u64,
    pub r: u32,
    pub p: u32,
    pub salt: String,
}

/// Reads `crypto.kdf` (function and params) into a [`Kdf`] and its salt, refusing anything outside `limits`.
pub(crate) fn parse(
    function: &str,
    params: serde_json::Value,
    limits: &KdfLimits,
) -> Result<(Kdf, Vec<u8>), KeystoreError> {
    let bad = |e: serde_json::Error| KeystoreError::KdfParams(e.to_string());
    let (kdf, dklen, salt) = match function {
        "argon2id" => {
            let j: Argon2Json = serde_json::from_value(params).map_err(bad)?;
            (Kdf::Argon2id { memory_kib: j.m, iterations: j.t, lanes: j.p }, j.dklen, j.salt)
        }
        "scrypt" => {
            let j: ScryptJson = serde_json::from_value(params).map_err(bad)?;
            if !j.n.is_power_of_two() || j.n < 2 {
                return Err(KeystoreError::KdfParams(format!(
                    "scrypt n = {} is not a power of two above 1",
                    j.n
                )));
            }
            (Kdf::Scrypt { log_n: j.n.trailing_zeros() as u8, r: j.r, p: j.p }, j.dklen, j.salt)
        }
        other => return Err(KeystoreError::UnsupportedKdf(other.to_string())),
    };
    if dklen != DKLEN {
        return Err(KeystoreError::KdfParams(format!("dklen = {dklen}, expected {DKLEN}")));
    }
    let salt = crate::wire::hex_field("crypto.kdf.params.salt", &salt, 16..=64)?;
    kdf.check(limits)?;
    Ok((kdf, salt))
}

/// Writes `crypto.kdf.params`.
pub(crate) fn params_json(kdf: &Kdf, salt: &[u8]) -> serde_json::Value {
    let salt = hex::encode(salt);
    match *kdf {
        Kdf::Argon2id { memory_kib, iterations, lanes } => {
            serde_json::json!({ "dklen": DKLEN, "m": memory_kib, "t": iterations, "p": lanes, "salt": salt })
        }
        Kdf::Scrypt { log_n, r, p } => {
            serde_json::json!({ "dklen": DKLEN, "n": 1u64 << log_n, "r": r, "p": p, "salt": salt })
        }
    }
}
