//! Verification of bytes: one signature (`ndvt_verify`, the contract scripts call) and batches.

use std::ffi::c_char;

use ndvt_xmss::by_name::{self, BatchBytes};

use crate::args;
use crate::status::{Failure, NDVT_INVALID, boundary, describe};

/// Verifies `signature` on `message` (32 bytes) at `epoch` under `public_key`, for the parameter set named
/// `instance` (the CLI's `--instance` name).
///
/// Returns 0 when the signature is valid, 1 when it is not (including any decoding failure of the public
/// key or signature and a message that is not 32 bytes; `ndvt_last_error_message` says why), and a negative
/// code for a usage error: `NDVT_ERR_UNKNOWN_INSTANCE`, `NDVT_ERR_NULL_POINTER`.
///
/// # Safety
/// Each pointer is NULL or valid for its length (`instance`: NUL-terminated).
/// Thread safety: safe to call from any number of threads at once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_verify(
    instance: *const c_char,
    public_key: *const u8,
    public_key_len: usize,
    epoch: u64,
    message: *const u8,
    message_len: usize,
    signature: *const u8,
    signature_len: usize,
) -> i32 {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let id = unsafe { args::instance(instance) }?;
        // SAFETY: forwarded from this function's contract.
        let public_key = unsafe { args::bytes(public_key, public_key_len, "public_key") }?;
        // SAFETY: forwarded from this function's contract.
        let message = unsafe { args::bytes(message, message_len, "message") }?;
        // SAFETY: forwarded from this function's contract.
        let signature = unsafe { args::bytes(signature, signature_len, "signature") }?;
        by_name::verify(id, public_key, epoch, message, signature)
            .map_err(|e| Failure::new(NDVT_INVALID, describe(&e)))
    })
}

/// One item of `ndvt_verify_batch`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct NdvtBatchItem {
    /// The encoded public key.
    pub public_key: *const u8,
    /// Its length.
    pub public_key_len: usize,
    /// The epoch.
    pub epoch: u64,
    /// The message (32 bytes).
    pub message: *const u8,
    /// Its length.
    pub message_len: usize,
    /// The encoded signature.
    pub signature: *const u8,
    /// Its length.
    pub signature_len: usize,
}

/// Verifies `count` items of one parameter set at once; `results[i]` becomes 0 (valid) or 1 (invalid, as
/// `ndvt_verify` answers for item i). Returns 0 when every item was checked, or a negative usage error
/// (unknown instance, a NULL pointer anywhere, in which case `results` is left unchanged).
///
/// # Safety
/// `items` and `results` are NULL or valid for `count` elements; each item's pointers as in `ndvt_verify`.
/// Thread safety: safe to call from any number of threads at once (each with its own `results`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_verify_batch(
    instance: *const c_char,
    items: *const NdvtBatchItem,
    count: usize,
    results: *mut i32,
) -> i32 {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let id = unsafe { args::instance(instance) }?;
        if items.is_null() {
            return Err(Failure::null("items"));
        }
        if results.is_null() {
            return Err(Failure::null("results"));
        }
        if count > isize::MAX as usize / size_of::<NdvtBatchItem>() {
            return Err(Failure::invalid(format!("count {count} is too large")));
        }
        // SAFETY: not NULL, `count` elements, by the contract.
        let items = unsafe { std::slice::from_raw_parts(items, count) };
        let decoded = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                Ok(BatchBytes {
                    // SAFETY: forwarded from this function's contract.
                    public_key: unsafe {
                        args::bytes(item.public_key, item.public_key_len, &format!("items[{i}].public_key"))
                    }?,
                    epoch: item.epoch,
                    // SAFETY: forwarded from this function's contract.
                    message: unsafe {
                        args::bytes(item.message, item.message_len, &format!("items[{i}].message"))
                    }?,
                    // SAFETY: forwarded from this function's contract.
                    signature: unsafe {
                        args::bytes(item.signature, item.signature_len, &format!("items[{i}].signature"))
                    }?,
                })
            })
            .collect::<Result<Vec<_>, Failure>>()?;
        let answers = by_name::verify_batch(id, &decoded);
        // SAFETY: not NULL, writable for `count` elements, by the contract.
        let results = unsafe { std::slice::from_raw_parts_mut(results, count) };
        for (slot, answer) in results.iter_mut().zip(answers) {
            *slot = if answer.is_ok() { 0 } else { NDVT_INVALID };
        }
        Ok(())
    })
}
