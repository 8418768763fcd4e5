//! Keys and the durable signer: generate, open, sign, prepare ahead, info, close; public keys and info from
//! a key directory without its lock.

use std::ffi::c_char;
use std::sync::Mutex;

use ndvt_xmss::by_name::{self, Origin, Signer, SignerInfo};
use zeroize::Zeroizing;

use crate::args;
use crate::buffer::NdvtBytes;
use crate::instances::static_name;
use crate::status::{Failure, NDVT_ERR_INTERNAL, boundary};

/// A durable signer: holds its key directory's exclusive lock until `ndvt_signer_close`.
///
/// Thread safety: one handle may be used from many threads at once; calls on it take turns (an internal
/// lock), so two threads never sign one epoch twice. Closing it while another thread uses it is undefined.
pub struct NdvtSigner {
    inner: Mutex<Box<dyn Signer>>,
}

/// What a key says about itself (`ndvt_signer_info`, `ndvt_key_info`). Ranges are `[start, end)`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct NdvtKeyInfo {
    /// The parameter set's name (static storage, never freed).
    pub instance: *const c_char,
    /// First epoch the key may sign.
    pub activation_start: u64,
    /// One past the last epoch the key may sign.
    pub activation_end: u64,
    /// First epoch of the prepared window.
    pub prepared_start: u64,
    /// One past the prepared window.
    pub prepared_end: u64,
    /// The lowest epoch that may still be signed.
    pub next_epoch: u64,
    /// The last epoch signed, when `has_watermark` is 1.
    pub watermark: u64,
    /// 1 when the key has signed, else 0.
    pub has_watermark: u8,
    /// Epochs left to sign.
    pub remaining: u64,
}

impl From<SignerInfo> for NdvtKeyInfo {
    fn from(i: SignerInfo) -> Self {
        NdvtKeyInfo {
            instance: static_name(i.instance),
            activation_start: i.activation.start,
            activation_end: i.activation.end,
            prepared_start: i.prepared.start,
            prepared_end: i.prepared.end,
            next_epoch: i.next_epoch,
            watermark: i.watermark.unwrap_or(0),
            has_watermark: u8::from(i.watermark.is_some()),
            remaining: i.remaining,
        }
    }
}

/// Puts a new handle behind `out`.
///
/// # Safety
/// `out` is NULL or writable.
unsafe fn hand_out(out: *mut *mut NdvtSigner, signer: Box<dyn Signer>) -> Result<(), Failure> {
    // Callers check `out` first (`out_present`), so a key is never created for nobody; this stays as a guard.
    let handle = Box::into_raw(Box::new(NdvtSigner { inner: Mutex::new(signer) }));
    // SAFETY: forwarded contract.
    unsafe { args::write(out, handle, "out") }.inspect_err(|_| {
        // SAFETY: `handle` came from `Box::into_raw` just above and was handed to nobody.
        drop(unsafe { Box::from_raw(handle) });
    })
}

/// Refuses a NULL out pointer before anything is created, opened or locked.
fn out_present(out: *mut *mut NdvtSigner) -> Result<(), Failure> {
    if out.is_null() { Err(Failure::null("out")) } else { Ok(()) }
}

/// Runs `f` on the signer behind `handle`.
///
/// # Safety
/// `handle` is NULL or a live handle from this library.
unsafe fn with_signer<T>(
    handle: *const NdvtSigner,
    f: impl FnOnce(&mut dyn Signer) -> Result<T, Failure>,
) -> Result<T, Failure> {
    if handle.is_null() {
        return Err(Failure::null("signer"));
    }
    // SAFETY: not NULL and live by the contract; shared access only, mutation goes through the mutex.
    let signer = unsafe { &*handle };
    // A panic while signing would leave the signer in an unknown state: refuse to go on with it.
    let mut guard = signer
        .inner
        .lock()
        .map_err(|_| Failure::new(NDVT_ERR_INTERNAL, "the signer is unusable after an internal error"))?;
    f(guard.as_mut())
}

/// Generates a key of `instance` from fresh OS randomness into the new directory `dir`, active for
/// `[activation_start, activation_start + activation_epochs)` (0 epochs: the default, the whole lifetime up
/// to 2^16 epochs, else two bottom trees; leanSig sets round out to whole bottom trees), and returns its
/// signer in `*out`. A fresh key signs from its activation start.
///
/// # Safety
/// `instance` and `dir` are NULL or NUL-terminated; `out` is NULL or writable.
/// Thread safety: any thread; two calls on one `dir` at once: one fails with `NDVT_ERR_LOCKED` or
/// `NDVT_ERR_KEY_DIRECTORY`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_keygen(
    instance: *const c_char,
    dir: *const c_char,
    activation_start: u64,
    activation_epochs: u64,
    out: *mut *mut NdvtSigner,
) -> i32 {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let id = unsafe { args::instance(instance) }?;
        // SAFETY: forwarded from this function's contract.
        let dir = unsafe { args::path(dir, "dir") }?;
        out_present(out)?;
        let epochs = (activation_epochs != 0).then_some(activation_epochs);
        let signer = by_name::generate(id, &dir, Origin::Os, activation_start, epochs)?;
        // SAFETY: forwarded from this function's contract.
        unsafe { hand_out(out, signer) }
    })
}

/// As `ndvt_keygen`, re-deriving the key from a 32-byte `seed`. The same seed gives the same key, which may
/// have signed before: every epoch below `first_epoch` counts as used, so pass one above every epoch the key
/// may ever have signed (0 only for a key that never signed).
///
/// # Safety
/// As `ndvt_keygen`; `seed` is NULL or valid for `seed_len` bytes.
/// Thread safety: as `ndvt_keygen`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_keygen_from_seed(
    instance: *const c_char,
    dir: *const c_char,
    seed: *const u8,
    seed_len: usize,
    first_epoch: u64,
    activation_start: u64,
    activation_epochs: u64,
    out: *mut *mut NdvtSigner,
) -> i32 {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let id = unsafe { args::instance(instance) }?;
        // SAFETY: forwarded from this function's contract.
        let dir = unsafe { args::path(dir, "dir") }?;
        // SAFETY: forwarded from this function's contract.
        let seed = unsafe { args::bytes(seed, seed_len, "seed") }?;
        let seed: Zeroizing<[u8; 32]> = Zeroizing::new(
            seed.try_into()
                .map_err(|_| Failure::invalid(format!("seed: expected 32 bytes, got {seed_len}")))?,
        );
        out_present(out)?;
        let epochs = (activation_epochs != 0).then_some(activation_epochs);
        let origin = Origin::Seed { seed: &seed, first_epoch };
        let signer = by_name::generate(id, &dir, origin, activation_start, epochs)?;
        // SAFETY: forwarded from this function's contract.
        unsafe { hand_out(out, signer) }
    })
}

/// Opens the key in `dir` (its instance read from the directory) and takes its exclusive lock.
/// `NDVT_ERR_LOCKED` when another signer, in this process or another, holds it.
///
/// # Safety
/// `dir` is NULL or NUL-terminated; `out` is NULL or writable.
/// Thread safety: any thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_signer_open(dir: *const c_char, out: *mut *mut NdvtSigner) -> i32 {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let dir = unsafe { args::path(dir, "dir") }?;
        out_present(out)?;
        let signer = by_name::open(&dir)?;
        // SAFETY: forwarded from this function's contract.
        unsafe { hand_out(out, signer) }
    })
}

/// Signs the 32-byte `message` at `epoch`, which must be in the prepared window (`ndvt_signer_prepare_until`
/// first): the record is made durable before the signature is computed, verified and released into
/// `*signature` (free it with `ndvt_bytes_free`). `NDVT_ERR_REFUSED` for an epoch at or below the watermark,
/// unless it is the last (epoch, message) again, which returns the same bytes.
///
/// # Safety
/// `signer` is NULL or live; `message` NULL or valid for `message_len` bytes; `signature` NULL or writable.
/// Thread safety: many threads may sign through one handle; they take turns, and each epoch is released
/// for one message only.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_signer_sign(
    signer: *mut NdvtSigner,
    epoch: u64,
    message: *const u8,
    message_len: usize,
    signature: *mut NdvtBytes,
) -> i32 {
    boundary(|| {
        if signature.is_null() {
            return Err(Failure::null("signature"));
        }
        // SAFETY: forwarded from this function's contract.
        let message = unsafe { args::bytes(message, message_len, "message") }?;
        // SAFETY: forwarded from this function's contract.
        let bytes = unsafe { with_signer(signer, |s| Ok(s.sign(epoch, message)?)) }?;
        // SAFETY: checked not NULL above; writable by the contract.
        unsafe { args::write(signature, NdvtBytes::from_vec(bytes), "signature") }
    })
}

/// Advances the prepared window until it holds `epoch`, writing the key after each step: call it ahead of
/// need, off the signing path. `NDVT_ERR_NOT_SIGNABLE` for an epoch outside the activation range.
///
/// # Safety
/// `signer` is NULL or live.
/// Thread safety: as `ndvt_signer_sign` (calls on one handle take turns).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_signer_prepare_until(signer: *mut NdvtSigner, epoch: u64) -> i32 {
    // SAFETY: forwarded from this function's contract.
    boundary(|| unsafe { with_signer(signer, |s| Ok(s.prepare_until(epoch)?)) })
}

/// The signer's activation range, prepared window and record, into `*info`.
///
/// # Safety
/// `signer` is NULL or live; `info` NULL or writable.
/// Thread safety: as `ndvt_signer_sign`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_signer_info(signer: *const NdvtSigner, info: *mut NdvtKeyInfo) -> i32 {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let value = unsafe { with_signer(signer, |s| Ok(s.info())) }?;
        // SAFETY: forwarded from this function's contract.
        unsafe { args::write(info, value.into(), "info") }
    })
}

/// The signer's encoded public key, into `*public_key` (free it with `ndvt_bytes_free`).
///
/// # Safety
/// `signer` is NULL or live; `public_key` NULL or writable.
/// Thread safety: as `ndvt_signer_sign`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_signer_public_key(
    signer: *const NdvtSigner,
    public_key: *mut NdvtBytes,
) -> i32 {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let bytes = unsafe { with_signer(signer, |s| Ok(s.public_key())) }?;
        // SAFETY: forwarded from this function's contract.
        unsafe { args::write(public_key, NdvtBytes::from_vec(bytes), "public_key") }
    })
}

/// Closes the signer and releases its key directory's lock. NULL is a no-op.
///
/// # Safety
/// `signer` is NULL or a live handle, not used again afterwards.
/// Thread safety: no other thread may be using the handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_signer_close(signer: *mut NdvtSigner) {
    let _ = std::panic::catch_unwind(|| {
        if !signer.is_null() {
            // SAFETY: a live handle from `hand_out`'s `Box::into_raw`, given up by the caller.
            drop(unsafe { Box::from_raw(signer) });
        }
    });
}

/// The instance and stored public key of the key directory `dir`, read without its lock, into `*public_key`
/// (free it with `ndvt_bytes_free`).
///
/// # Safety
/// `dir` is NULL or NUL-terminated; `public_key` NULL or writable.
/// Thread safety: any thread, also while a signer holds the directory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_key_public_key(dir: *const c_char, public_key: *mut NdvtBytes) -> i32 {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let dir = unsafe { args::path(dir, "dir") }?;
        let (_, bytes) = by_name::public_key(&dir)?;
        // SAFETY: forwarded from this function's contract.
        unsafe { args::write(public_key, NdvtBytes::from_vec(bytes), "public_key") }
    })
}

/// What the key directory `dir` says about its key, read without its lock and without writing.
///
/// # Safety
/// `dir` is NULL or NUL-terminated; `info` NULL or writable.
/// Thread safety: any thread, also while a signer holds the directory.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_key_info(dir: *const c_char, info: *mut NdvtKeyInfo) -> i32 {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let dir = unsafe { args::path(dir, "dir") }?;
        let value = by_name::inspect(&dir)?;
        // SAFETY: forwarded from this function's contract.
        unsafe { args::write(info, value.into(), "info") }
    })
}
