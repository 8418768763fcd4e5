//! Byte buffers ndvt hands to C: allocated here, released with `ndvt_bytes_free`.

/// Bytes returned by ndvt (a signature, a public key, a group key). Owned by the caller once returned;
/// release them with `ndvt_bytes_free`. An empty buffer is `{NULL, 0}`.
#[repr(C)]
#[derive(Debug)]
pub struct NdvtBytes {
    /// The first byte, or NULL when empty.
    pub data: *mut u8,
    /// Number of bytes.
    pub len: usize,
}

impl NdvtBytes {
    /// The empty buffer, `{NULL, 0}`.
    pub(crate) const EMPTY: NdvtBytes = NdvtBytes { data: std::ptr::null_mut(), len: 0 };

    /// Hands `bytes` to C.
    pub(crate) fn from_vec(bytes: Vec<u8>) -> NdvtBytes {
        if bytes.is_empty() {
            return NdvtBytes::EMPTY;
        }
        let boxed = bytes.into_boxed_slice();
        let len = boxed.len();
        NdvtBytes { data: Box::into_raw(boxed).cast::<u8>(), len }
    }
}

/// Releases a buffer returned by ndvt and sets it to `{NULL, 0}`; NULL, or an already released or empty
/// buffer, is a no-op.
///
/// # Safety
/// `bytes`, when not NULL, points to an `NdvtBytes` that ndvt filled and that was not modified since.
/// Thread safety: a buffer may be released from any thread, once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_bytes_free(bytes: *mut NdvtBytes) {
    let _ = std::panic::catch_unwind(|| {
        if bytes.is_null() {
            return;
        }
        // SAFETY: not NULL; points to a buffer ndvt filled, by the caller's contract.
        let buffer = unsafe { &mut *bytes };
        if !buffer.data.is_null() {
            let slice = std::ptr::slice_from_raw_parts_mut(buffer.data, buffer.len);
            // SAFETY: `data`/`len` came from `Box::into_raw` of a boxed slice of exactly `len` bytes in
            // `from_vec`, and have not been released (the caller's contract; we reset them below).
            // SAFETY: forwarded from this function's contract.
            drop(unsafe { Box::from_raw(slice) });
        }
        *buffer = NdvtBytes::EMPTY;
    });
}
