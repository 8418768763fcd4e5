//! Restoring a backup of a key directory, and merging another record into a live one: both can only raise
//! the watermark.

use std::path::Path;

use super::files::{PUBLIC_FILE, RECORD_FILE, load, read_capped};
use super::{DurableError, DurableSigner, Record};
use crate::instance::Instance;

impl<I: Instance> DurableSigner<I> {
    /// Restores the key directory `backup` into `dir` (a new directory, or the live one) without ever
    /// lowering a watermark: the result's record is the higher of the two. Restoring into a new directory
    /// takes `first_epoch` like an import, since a backup may be older than signatures made after it.
    ///
    /// The backup's record must be bound to the backup's key (a record copied in from another key is refused),
    /// and restoring into a live directory requires the backup to hold the live key.
    pub fn restore(backup: &Path, dir: &Path, first_epoch: u64) -> Result<Self, DurableError> {
        if dir.join(RECORD_FILE).exists() {
            let mut live = Self::open(dir)?;
            let backup_public =
                read_capped(&backup.join(PUBLIC_FILE), I::PUBLIC_KEY_BYTES as u64, "public key")?;
            if backup_public != live.public_key().to_bytes() {
                return Err(DurableError::KeyMismatch);
            }
            let backup = load::<I>(backup)?;
            live.merge_record(Record { next_epoch: backup.record.next_epoch.max(first_epoch), last: None })?;
            return Ok(live);
        }
        let backup = load::<I>(backup)?;
        backup.key.check_consistency()?;
        Self::create(dir, backup.key, backup.record.next_epoch.max(first_epoch))
    }

    /// Raises this signer's watermark to at least `other.next_epoch` (restoring a backup, or learning of
    /// signatures made elsewhere, can only move it up).
    ///
    /// Only the watermark is merged. `other.last` is ignored: it names a message this signer did not sign, and
    /// adopting it would make a second message at a used epoch look like an identical repeat of the first.
    pub fn merge_record(&mut self, other: Record) -> Result<(), DurableError> {
        if other.next_epoch > self.record.next_epoch {
            self.persist(Record { next_epoch: other.next_epoch, last: self.record.last })?;
            self.cursor = self.cursor.max(other.next_epoch);
        }
        Ok(())
    }
}
