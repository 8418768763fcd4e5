//! The keystore file (EIP-8310 version 5 over EIP-2335's modules): reading, writing, encrypting, decrypting.
//!
//! ```text
//! crypto.kdf       argon2id | scrypt, dklen 64, salt            (EIP-8310 "Cipher and KDF")
//! crypto.checksum  sha256, message = SHA-256(DK[32..64])        (the password check)
//! crypto.cipher    aes-256-gcm, iv 12 B, message = ciphertext ‖ tag, key DK[0..32],
//!                  associated data = {version, uuid, pubkey, scheme} as compact JSON
//! pubkey, uuid, path, description, version = 5, scheme, state
//! ```
//! The secret is the key directory's secret-key encoding (leanSig SSZ layout): ndvt keys do not keep their
//! seed, and the encoding re-creates the exact same key, prepared window included (docs/KEYSTORE.md says why
//! this departs from "Encrypted secret").
//!
//! The checksum covers the derived key only, not the ciphertext as in EIP-2335: the AEAD tag already
//! authenticates the ciphertext, and a checksum over both could not tell a wrong password from a changed
//! ciphertext. So a wrong password is [`KeystoreError::WrongPassword`] and a changed ciphertext, nonce or bound
//! field with the right password is [`KeystoreError::Tampered`].

use aes_gcm::aead::AeadInPlace as _;
use aes_gcm::{Aes256Gcm, KeyInit as _, Nonce};
use ndvt_xmss::{Instance, PublicKey, SecretKey};
use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;
use zeroize::Zeroizing;

use crate::VERSION;
use crate::error::KeystoreError;
use crate::kdf::{self, Kdf, KdfLimits, SALT_LEN};
use crate::password::Password;
use crate::scheme::{SCHEMES, SchemeEntry, SchemeJson};
use crate::state::{Snapshot, StateJson};
use crate::wire::{check_uuid, hex_field, uuid_v4};

const IV_LEN: usize = 12;
const TAG_LEN: usize = 16;

const fn max_secret() -> usize {
    let mut i = 0;
    let mut max = 0;
    while i < SCHEMES.len() {
        if SCHEMES[i].max_secret_bytes > max {
            max = SCHEMES[i].max_secret_bytes;
        }
        i += 1;
    }
    max
}

/// The largest keystore file a reader accepts: the largest secret key of a supported instance, hex-encoded,
/// plus 64 KiB for everything else. Read files through a cap of this size.
pub const MAX_KEYSTORE_BYTES: u64 = 2 * (max_secret() + TAG_LEN) as u64 + 64 * 1024;

/// An EIP-8310 keystore, parsed and checked, still encrypted.
pub struct Keystore {
    entry: &'static SchemeEntry,
    scheme: SchemeJson,
    kdf: Kdf,
    salt: Vec<u8>,
    checksum: [u8; 32],
    iv: [u8; IV_LEN],
    ciphertext: Vec<u8>,
    pubkey: Vec<u8>,
    uuid: String,
    path: String,
    description: String,
    snapshot: Snapshot,
}

impl core::fmt::Debug for Keystore {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Keystore")
            .field("instance", &self.entry.instance)
            .field("pubkey", &hex::encode(&self.pubkey))
            .field("uuid", &self.uuid)
            .field("kdf", &self.kdf)
            .field("snapshot", &self.snapshot)
            .finish_non_exhaustive()
    }
}

/// One EIP-2335 module: `function`, `params`, `message`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModuleJson {
    function: String,
    params: Value,
    message: String,
}

/// `crypto`: exactly the three modules (an unknown module could change how the secret is protected).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CryptoJson {
    kdf: ModuleJson,
    checksum: ModuleJson,
    cipher: ModuleJson,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IvJson {
    iv: String,
}

/// What the AEAD tag binds besides the ciphertext: the fields that say whose key this is and how to use it.
#[derive(Serialize)]
struct AssociatedData<'a> {
    version: u64,
    uuid: &'a str,
    pubkey: String,
    scheme: &'a SchemeJson,
}

fn field<T: serde::de::DeserializeOwned>(
    object: &mut serde_json::Map<String, Value>,
    name: &'static str,
) -> Result<T, KeystoreError> {
    let value = object.remove(name).ok_or(KeystoreError::Field { field: name, why: "missing".into() })?;
    serde_json::from_value(value).map_err(|e| KeystoreError::Field { field: name, why: e.to_string() })
}

impl Keystore {
    /// Parses and checks a keystore with the default KDF limits.
    pub fn from_json(bytes: &[u8]) -> Result<Self, KeystoreError> {
        Self::from_json_with_limits(bytes, &KdfLimits::default())
    }

    /// Parses and checks a keystore, refusing KDF parameters above `limits`.
    ///
    /// Unknown top-level fields and unknown fields of `state` are ignored (they carry nothing ndvt signs
    /// from); unknown fields in `crypto` or `scheme.params` are refused, since they could change how the
    /// secret is protected or what the key is.
    pub fn from_json_with_limits(bytes: &[u8], limits: &KdfLimits) -> Result<Self, KeystoreError> {
        if bytes.len() as u64 > MAX_KEYSTORE_BYTES {
            return Err(KeystoreError::TooLarge { limit: MAX_KEYSTORE_BYTES });
        }
        let value: Value = serde_json::from_slice(bytes).map_err(|e| KeystoreError::Json(e.to_string()))?;
        let Value::Object(mut object) = value else {
            return Err(KeystoreError::Json("the top level is not an object".into()));
        };
        let version: u64 = field(&mut object, "version")?;
        if version != VERSION {
            return Err(KeystoreError::UnknownVersion(version));
        }
        let scheme_value = object.remove("scheme").ok_or(KeystoreError::Field {
            field: "scheme",
            why: "missing (a version 5 keystore must name its scheme)".into(),
        })?;
        let (scheme, entry) = SchemeJson::parse(scheme_value)?;
        let crypto: CryptoJson = field(&mut object, "crypto")?;
        let (kdf, salt) = parse_kdf(crypto.kdf, limits)?;
        let checksum = parse_checksum(crypto.checksum)?;
        let (iv, ciphertext) = parse_cipher(crypto.cipher, entry)?;
        let pubkey_hex: String = field(&mut object, "pubkey")?;
        let pubkey = hex_field("pubkey", &pubkey_hex, entry.public_key_bytes..=entry.public_key_bytes)?;
        let uuid: String = field(&mut object, "uuid")?;
        check_uuid(&uuid)?;
        let path: String = optional(&mut object, "path")?;
        let description: String = optional(&mut object, "description")?;
        let state: StateJson = field(&mut object, "state")?;
        let snapshot = state.check(entry)?;
        Ok(Keystore {
            entry,
            scheme,
            kdf,
            salt,
            checksum,
            iv,
            ciphertext,
            pubkey,
            uuid: uuid.to_ascii_lowercase(),
            path,
            description,
            snapshot,
        })
    }

    /// The keystore as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        let json = serde_json::json!({
            "crypto": CryptoJson {
                kdf: ModuleJson {
                    function: self.kdf.function().into(),
                    params: kdf::params_json(&self.kdf, &self.salt),
                    message: String::new(),
                },
                checksum: ModuleJson {
                    function: "sha256".into(),
                    params: serde_json::json!({}),
                    message: hex::encode(self.checksum),
                },
                cipher: ModuleJson {
                    function: "aes-256-gcm".into(),
                    params: serde_json::json!({ "iv": hex::encode(self.iv) }),
                    message: hex::encode(&self.ciphertext),
                },
            },
            "description": self.description,
            "pubkey": hex::encode(&self.pubkey),
            "path": self.path,
            "uuid": self.uuid,
            "version": VERSION,
            "scheme": self.scheme,
            "state": StateJson::new(&self.snapshot),
        });
        let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Encrypts a key of instance `I` under `password`, with `kdf` and fresh salt, nonce and uuid from `rng`.
    ///
    /// `secret_key` is the key's encoding ([`SecretKey::to_bytes`]), `snapshot` what the keystore will report
    /// (it binds nothing: see [`crate::import`]).
    pub fn encrypt<I: Instance, R: CryptoRng + ?Sized>(
        secret_key: &Zeroizing<Vec<u8>>,
        public_key: &PublicKey<I>,
        activation_start: u64,
        snapshot: Snapshot,
        password: &Password,
        kdf: Kdf,
        rng: &mut R,
    ) -> Result<Self, KeystoreError> {
        let entry = SchemeEntry::of::<I>()?;
        kdf.check(&KdfLimits::default())?;
        let mut salt = vec![0u8; SALT_LEN];
        let mut iv = [0u8; IV_LEN];
        let mut uuid = [0u8; 16];
        rng.fill_bytes(&mut salt);
        rng.fill_bytes(&mut iv);
        rng.fill_bytes(&mut uuid);
        let mut keystore = Keystore {
            entry,
            scheme: SchemeJson::new(entry, activation_start),
            kdf,
            salt,
            checksum: [0; 32],
            iv,
            ciphertext: Vec::new(),
            pubkey: public_key.to_bytes().to_vec(),
            uuid: uuid_v4(uuid),
            path: String::new(),
            description: String::new(),
            snapshot,
        };
        let dk = kdf.derive(password, &keystore.salt)?;
        keystore.checksum = Sha256::digest(&dk[32..]).into();
        // Capacity for the tag up front: no reallocation leaves a copy of the plaintext behind.
        let mut buffer = Zeroizing::new(Vec::with_capacity(secret_key.len() + TAG_LEN));
        buffer.extend_from_slice(secret_key);
        let cipher = Aes256Gcm::new_from_slice(&dk[..32]).map_err(|_| KeystoreError::Tampered)?;
        cipher
            .encrypt_in_place(Nonce::from_slice(&keystore.iv), &keystore.associated_data(), &mut *buffer)
            .map_err(|_| KeystoreError::Tampered)?;
        keystore.ciphertext = buffer.to_vec();
        Ok(keystore)
    }

    /// Decrypts the key: derive, check the password, authenticate and decrypt, decode strictly, check that
    /// the key is consistent and is the one the clear fields name.
    pub fn decrypt<I: Instance>(&self, password: &Password) -> Result<SecretKey<I>, KeystoreError> {
        if self.entry.instance != I::NAME {
            return Err(KeystoreError::WrongInstance { expected: I::NAME, found: self.entry.instance });
        }
        let dk = self.kdf.derive(password, &self.salt)?;
        if !bool::from(Sha256::digest(&dk[32..]).as_slice().ct_eq(&self.checksum)) {
            return Err(KeystoreError::WrongPassword);
        }
        let cipher = Aes256Gcm::new_from_slice(&dk[..32]).map_err(|_| KeystoreError::Tampered)?;
        let mut buffer = Zeroizing::new(self.ciphertext.clone());
        cipher
            .decrypt_in_place(Nonce::from_slice(&self.iv), &self.associated_data(), &mut *buffer)
            .map_err(|_| KeystoreError::Tampered)?;
        let key = SecretKey::<I>::from_bytes(&buffer).map_err(KeystoreError::Secret)?;
        key.check_consistency().map_err(KeystoreError::InconsistentSecret)?;
        if key.public_key().to_bytes().as_slice() != self.pubkey.as_slice() {
            return Err(KeystoreError::Mismatch("public key"));
        }
        if key.activation().start != self.scheme.params.activation_epoch {
            return Err(KeystoreError::Mismatch("scheme.params.activation_epoch"));
        }
        Ok(key)
    }

    fn associated_data(&self) -> Vec<u8> {
        let aad = AssociatedData {
            version: VERSION,
            uuid: &self.uuid,
            pubkey: hex::encode(&self.pubkey),
            scheme: &self.scheme,
        };
        serde_json::to_vec(&aad).unwrap_or_default()
    }

    /// ndvt's name of the instance the keystore holds.
    pub fn instance(&self) -> &'static str {
        self.entry.instance
    }

    /// The public key's bytes.
    pub fn public_key(&self) -> &[u8] {
        &self.pubkey
    }

    /// The keystore's uuid.
    pub fn uuid(&self) -> &str {
        &self.uuid
    }

    /// The KDF and its parameters.
    pub fn kdf(&self) -> Kdf {
        self.kdf
    }

    /// The non-authoritative state snapshot.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// `scheme.params.activation_epoch`.
    pub fn activation_epoch(&self) -> u64 {
        self.scheme.params.activation_epoch
    }
}

fn optional(
    object: &mut serde_json::Map<String, Value>,
    name: &'static str,
) -> Result<String, KeystoreError> {
    if object.contains_key(name) { field(object, name) } else { Ok(String::new()) }
}

fn parse_kdf(module: ModuleJson, limits: &KdfLimits) -> Result<(Kdf, Vec<u8>), KeystoreError> {
    if !module.message.is_empty() {
        return Err(KeystoreError::Field { field: "crypto.kdf.message", why: "must be empty".into() });
    }
    kdf::parse(&module.function, module.params, limits)
}

fn parse_checksum(module: ModuleJson) -> Result<[u8; 32], KeystoreError> {
    if module.function != "sha256" {
        return Err(KeystoreError::UnsupportedChecksum(module.function));
    }
    if module.params.as_object().is_none_or(|p| !p.is_empty()) {
        return Err(KeystoreError::Field { field: "crypto.checksum.params", why: "must be {}".into() });
    }
    let bytes = hex_field("crypto.checksum.message", &module.message, 32..=32)?;
    Ok(core::array::from_fn(|i| bytes[i]))
}

fn parse_cipher(module: ModuleJson, entry: &SchemeEntry) -> Result<([u8; IV_LEN], Vec<u8>), KeystoreError> {
    if module.function != "aes-256-gcm" {
        return Err(KeystoreError::UnsupportedCipher(module.function));
    }
    let params: IvJson = serde_json::from_value(module.params)
        .map_err(|e| KeystoreError::Field { field: "crypto.cipher.params", why: e.to_string() })?;
    let iv = hex_field("crypto.cipher.params.iv", &params.iv, IV_LEN..=IV_LEN)?;
    let ciphertext =
        hex_field("crypto.cipher.message", &module.message, TAG_LEN + 1..=entry.max_secret_bytes + TAG_LEN)?;
    Ok((core::array::from_fn(|i| iv[i]), ciphertext))
}
