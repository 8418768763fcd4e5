//! Reading C arguments: NULL checks, lengths, strings and paths, each failure a [`Failure`].

use std::ffi::{CStr, c_char};
use std::path::PathBuf;

use ndvt_xmss::by_name;
use ndvt_xmss::registry::InstanceId;

use crate::status::Failure;

/// The bytes `ptr[0..len]`. NULL is refused even when `len` is 0: C callers pass any non-NULL pointer for an
/// empty buffer, and a NULL here is far more often a bug than an empty input.
///
/// # Safety
/// `ptr`, when not NULL, points to `len` readable bytes that stay unchanged during the call.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    if len > isize::MAX as usize {
        return Err(Failure::invalid(format!("{what}: length {len} exceeds PTRDIFF_MAX")));
    }
    // SAFETY: not NULL, at most isize::MAX bytes, and readable for `len` bytes by the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The NUL-terminated string at `ptr`, as bytes without the NUL.
///
/// # Safety
/// `ptr`, when not NULL, points to a NUL-terminated string.
unsafe fn c_str<'a>(ptr: *const c_char, what: &str) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: not NULL and NUL-terminated by the caller's contract.
    Ok(unsafe { CStr::from_ptr(ptr) }.to_bytes())
}

/// The parameter set named by the C string `ptr` (the CLI's `--instance` spelling).
///
/// # Safety
/// As [`c_str`].
pub(crate) unsafe fn instance(ptr: *const c_char) -> Result<InstanceId, Failure> {
    // SAFETY: forwarded contract.
    let name = unsafe { c_str(ptr, "instance") }?;
    let name = String::from_utf8_lossy(name);
    Ok(by_name::instance(&name)?)
}

/// The path named by the C string `ptr`: any bytes on Unix, UTF-8 elsewhere.
///
/// # Safety
/// As [`c_str`].
pub(crate) unsafe fn path(ptr: *const c_char, what: &str) -> Result<PathBuf, Failure> {
    // SAFETY: forwarded contract.
    let raw = unsafe { c_str(ptr, what) }?;
    if raw.is_empty() {
        return Err(Failure::invalid(format!("{what} is empty")));
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Ok(PathBuf::from(std::ffi::OsStr::from_bytes(raw)))
    }
    #[cfg(not(unix))]
    {
        let text = std::str::from_utf8(raw).map_err(|_| Failure::invalid(format!("{what} is not UTF-8")))?;
        Ok(PathBuf::from(text))
    }
}

/// Writes `value` through the out pointer `out`.
///
/// # Safety
/// `out`, when not NULL, is valid for a write of `T`.
pub(crate) unsafe fn write<T>(out: *mut T, value: T, what: &str) -> Result<(), Failure> {
    if out.is_null() {
        return Err(Failure::null(what));
    }
    // SAFETY: not NULL and writable by the caller's contract; `write` does not read or drop the old value.
    unsafe { out.write(value) };
    Ok(())
}
