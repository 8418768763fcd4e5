//! The parameter sets by name: the registry's one list, as C strings.

use std::ffi::{CString, c_char};
use std::sync::LazyLock;

use ndvt_xmss::registry::InstanceId;

use crate::args;
use crate::status::boundary;

/// Every set's name as a C string, in registry order; lives as long as the library.
static NAMES: LazyLock<Vec<CString>> =
    LazyLock::new(|| InstanceId::ALL.iter().map(|i| CString::new(i.name()).unwrap_or_default()).collect());

/// The static C name of `id`.
pub(crate) fn static_name(id: InstanceId) -> *const c_char {
    let index = InstanceId::ALL.iter().position(|&i| i == id).unwrap_or(0);
    NAMES.get(index).map_or(c"".as_ptr(), |n| n.as_ptr())
}

/// The number of parameter sets.
///
/// Thread safety: any thread.
#[unsafe(no_mangle)]
pub extern "C" fn ndvt_instance_count() -> usize {
    InstanceId::ALL.len()
}

/// The name of parameter set `index` (`0 ≤ index < ndvt_instance_count()`), the CLI's `--instance` value,
/// in static storage; NULL past the end.
///
/// Thread safety: any thread.
#[unsafe(no_mangle)]
pub extern "C" fn ndvt_instance_name(index: usize) -> *const c_char {
    std::panic::catch_unwind(|| NAMES.get(index).map_or(std::ptr::null(), |n| n.as_ptr()))
        .unwrap_or(std::ptr::null())
}

/// The encoded public key and signature sizes of the set named `instance`.
///
/// # Safety
/// `instance` is NULL or NUL-terminated; the out pointers NULL or writable.
/// Thread safety: any thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn ndvt_instance_sizes(
    instance: *const c_char,
    public_key_len: *mut usize,
    signature_len: *mut usize,
) -> i32 {
    boundary(|| {
        // SAFETY: forwarded from this function's contract.
        let id = unsafe { args::instance(instance) }?;
        // SAFETY: forwarded from this function's contract.
        unsafe { args::write(public_key_len, id.public_key_len(), "public_key_len") }?;
        // SAFETY: forwarded from this function's contract.
        unsafe { args::write(signature_len, id.signature_len(), "signature_len") }
    })
}
