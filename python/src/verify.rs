//! Verification of bytes: `verify` (the contract scripts call) and `verify_batch`.
//!
//! Both answer a bool per signature: False for a signature that is not valid, including any decoding
//! failure of the public key or signature and a message that is not 32 bytes, because to a verifier all of
//! those are the same untrusted input that failed. Exceptions are kept for usage errors: an unknown
//! instance (`ndvt.UnknownInstanceError`), an argument of the wrong type (`TypeError`), an epoch that is not
//! a u64 (`OverflowError`).

use ndvt_xmss::by_name::{self, BatchBytes};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;

use crate::instances::instance_arg;

/// Whether `signature` is a valid signature on the 32-byte `message` at `epoch` under `public_key`, for
/// the parameter set `instance` (an `Instance` or its name). Releases the GIL while it hashes.
#[pyfunction]
fn verify(
    py: Python<'_>,
    instance: &Bound<'_, PyAny>,
    public_key: PyBackedBytes,
    epoch: u64,
    message: PyBackedBytes,
    signature: PyBackedBytes,
) -> PyResult<bool> {
    let id = instance_arg(instance)?;
    Ok(py.detach(|| by_name::verify(id, &public_key, epoch, &message, &signature).is_ok()))
}

/// Verifies many signatures of one parameter set at once: `items` is a sequence of
/// `(public_key, epoch, message, signature)`; the answer is one bool per item, in order, each what
/// `verify` answers for it. An item that does not decode affects no other.
#[pyfunction]
fn verify_batch(
    py: Python<'_>,
    instance: &Bound<'_, PyAny>,
    items: Vec<(PyBackedBytes, u64, PyBackedBytes, PyBackedBytes)>,
) -> PyResult<Vec<bool>> {
    let id = instance_arg(instance)?;
    Ok(py.detach(|| {
        let batch: Vec<BatchBytes<'_>> = items
            .iter()
            .map(|(public_key, epoch, message, signature)| BatchBytes {
                public_key,
                epoch: *epoch,
                message,
                signature,
            })
            .collect();
        by_name::verify_batch(id, &batch).iter().map(Result::is_ok).collect()
    }))
}

/// Adds the verification functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(verify_batch, m)?)?;
    Ok(())
}
