//! Handing a key to an export (an EIP-8310 keystore, `ndvt-keystore`), under the key's lock.
//!
//! An export is a copy of the key, and a copy of a consumable key is safe only if it can never sign an epoch
//! this directory signed. That is the importer's job (it starts above the record handed out here and never
//! below an existing record); this module only guarantees that the secret bytes and the record are read
//! together, by the one holder of the lock, so no signature can slip in between them.

use std::path::Path;

use zeroize::Zeroizing;

use super::files::{RECORD_FILE, SECRET_FILE};
use super::{DurableSigner, Record};
use crate::instance::Instance;

/// A key's secret encoding and its signing record, read together under the key's lock.
pub struct KeyExport {
    /// The secret key's encoding (leanSig SSZ layout), zeroized on drop.
    pub secret_key: Zeroizing<Vec<u8>>,
    /// The record as persisted: every epoch below `next_epoch` is used (a reservation included).
    pub record: Record,
}

impl core::fmt::Debug for KeyExport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeyExport").field("record", &self.record).finish_non_exhaustive()
    }
}

impl<I: Instance> DurableSigner<I> {
    /// The key's secret encoding and persisted record, for an export. Holding `&self` means holding the lock,
    /// so the record is the latest one and covers every signature this key ever released.
    pub fn export(&self) -> KeyExport {
        KeyExport { secret_key: self.key.to_bytes(), record: self.record }
    }
}

/// Whether `dir` already holds a key or a signing record (an import into it must not create a second one).
pub fn holds_key(dir: &Path) -> bool {
    dir.join(RECORD_FILE).exists() || dir.join(SECRET_FILE).exists()
}
