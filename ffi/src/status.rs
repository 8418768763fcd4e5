//! Return codes, the calling thread's last error message, and the boundary every entry point goes through.

use std::cell::RefCell;
use std::ffi::{CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use ndvt_xmss::by_name;

/// Success.
pub const NDVT_OK: i32 = 0;
/// Verification functions only: the signature is not valid (including any decoding failure).
pub const NDVT_INVALID: i32 = 1;
/// A required pointer argument is NULL.
pub const NDVT_ERR_NULL_POINTER: i32 = -1;
/// The instance name is not one of ndvt's parameter sets (`ndvt_instance_name`).
pub const NDVT_ERR_UNKNOWN_INSTANCE: i32 = -2;
/// An argument is malformed: a seed or message of the wrong length, a path that is not valid text, a length
/// beyond `PTRDIFF_MAX`.
pub const NDVT_ERR_INVALID_ARGUMENT: i32 = -3;
/// Public key bytes do not decode under the instance.
pub const NDVT_ERR_PUBLIC_KEY: i32 = -4;
/// The requested activation range cannot be a key of this instance.
pub const NDVT_ERR_KEY: i32 = -5;
/// The durable signer refused: the epoch is at or below the watermark or was signed for another message.
pub const NDVT_ERR_REFUSED: i32 = -6;
/// The key cannot sign this epoch now: outside its activation range or its prepared window.
pub const NDVT_ERR_NOT_SIGNABLE: i32 = -7;
/// Another signer (this process or another) holds the key directory's lock.
pub const NDVT_ERR_LOCKED: i32 = -8;
/// The key directory cannot be used (missing, corrupt, other instance, already a key, a write failed).
pub const NDVT_ERR_KEY_DIRECTORY: i32 = -9;
/// The operating system gave no randomness.
pub const NDVT_ERR_RANDOMNESS: i32 = -10;
/// The threshold linter refused the group (zero threshold, threshold above n, disjoint quorums).
pub const NDVT_ERR_GROUP_LINTER: i32 = -11;
/// The group key bytes or member keys are malformed.
pub const NDVT_ERR_GROUP_KEY: i32 = -12;
/// Shares could not be combined into a group signature (fewer than m valid distinct shares, bad share).
pub const NDVT_ERR_GROUP_SIGNATURE: i32 = -13;
/// A bug inside ndvt (a panic caught at the boundary). Please report it.
pub const NDVT_ERR_INTERNAL: i32 = -100;

/// A failed call: its code and the message `ndvt_last_error_message` returns.
pub(crate) struct Failure {
    pub(crate) code: i32,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(code: i32, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }

    pub(crate) fn null(what: &str) -> Self {
        Self::new(NDVT_ERR_NULL_POINTER, format!("{what} is NULL"))
    }

    pub(crate) fn invalid(what: impl Into<String>) -> Self {
        Self::new(NDVT_ERR_INVALID_ARGUMENT, what)
    }
}

/// The error and its causes, one line: "what failed: why".
pub(crate) fn describe(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

impl From<by_name::Error> for Failure {
    fn from(e: by_name::Error) -> Self {
        use by_name::Error as E;
        let code = match &e {
            E::UnknownInstance(_) => NDVT_ERR_UNKNOWN_INSTANCE,
            E::Length { .. } => NDVT_ERR_INVALID_ARGUMENT,
            E::PublicKey(_) => NDVT_ERR_PUBLIC_KEY,
            E::Key(_) => NDVT_ERR_KEY,
            E::Refused(_) => NDVT_ERR_REFUSED,
            E::NotSignable(_) => NDVT_ERR_NOT_SIGNABLE,
            E::Locked(_) => NDVT_ERR_LOCKED,
            E::KeyDirectory(_) => NDVT_ERR_KEY_DIRECTORY,
            E::Randomness(_) => NDVT_ERR_RANDOMNESS,
            _ => NDVT_ERR_INTERNAL,
        };
        Failure::new(code, describe(&e))
    }
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn set_last_error(message: String) {
    // An interior NUL cannot come from ndvt's messages; drop any rather than lose the message.
    let text = CString::new(message.replace('\0', "")).unwrap_or_default();
    LAST_ERROR.with(|slot| *slot.borrow_mut() = text);
}

/// Runs one entry point: no panic crosses into C, every failure leaves its message for the calling thread.
/// `Ok` returns [`NDVT_OK`] and clears the message; `Err` returns the failure's code.
pub(crate) fn boundary(body: impl FnOnce() -> Result<(), Failure>) -> i32 {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => {
            set_last_error(String::new());
            NDVT_OK
        }
        Ok(Err(failure)) => {
            set_last_error(failure.message);
            failure.code
        }
        Err(_) => {
            set_last_error("internal error: a panic was caught at the C boundary".into());
            NDVT_ERR_INTERNAL
        }
    }
}

/// The message of the calling thread's last failed call ("" after a successful one), as UTF-8.
///
/// The pointer stays valid until the calling thread's next ndvt call; copy it to keep it. Never NULL.
/// Thread safety: each thread has its own message.
#[unsafe(no_mangle)]
pub extern "C" fn ndvt_last_error_message() -> *const c_char {
    LAST_ERROR.with(|slot| slot.borrow().as_ptr())
}
