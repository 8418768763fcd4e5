//! EIP-8310 keystores and EIP-3076 signing history for ndvt's XMSS keys.
//!
//! A keystore ([`Keystore`]) carries one key from one tool to another: its secret, encrypted under a password
//! (AES-256-GCM, key from argon2id or scrypt), the scheme-parameter block that names the XMSS instance, and a
//! snapshot of its signing state. The snapshot is **not authoritative** (EIP-8310, "State authority"): the
//! watermark ndvt signs against stays in the key directory's durable record, and [`import`] only ever starts a
//! key above every epoch the keystore, the existing record and the operator say may have been signed.
//!
//! The signing history ([`interchange`]) is EIP-3076's slashing-protection interchange, mapped to XMSS epochs
//! (one epoch = one slot in lean consensus); importing it raises a key's watermark and never lowers it.
//!
//! Decrypted secrets live in [`zeroize::Zeroizing`] buffers or in the [`ndvt_xmss::SecretKey`] they decode
//! to; none of them is `Clone`, and neither [`Password`] nor any secret reaches `Debug`. Every decoder is
//! strict and bounded: a hostile file gets a typed [`KeystoreError`] or [`InterchangeError`], never a panic,
//! an unbounded allocation or an unbounded KDF computation. The format is in docs/KEYSTORE.md.

pub mod by_name;
mod error;
pub mod import;
pub mod interchange;
mod kdf;
mod keystore;
mod password;
mod scheme;
mod state;
mod wire;

pub use error::{InterchangeError, KeystoreError};
pub use import::{ImportError, ImportOutcome, export_key_dir, import_history, import_keystore};
pub use interchange::{Interchange, MAX_INTERCHANGE_BYTES};
pub use kdf::{Kdf, KdfLimits};
pub use keystore::{Keystore, MAX_KEYSTORE_BYTES};
pub use password::Password;
pub use scheme::{SCHEMES, SchemeEntry};
pub use state::{ReservedRange, Snapshot};

/// The keystore version this crate reads and writes (EIP-8310, "File format").
pub const VERSION: u64 = 5;
