//! Keys and the durable signer: `generate`, `Signer` (open, sign, prepare, info, close; a context manager),
//! and `key_info` / `key_public_key`, which read a key directory without its lock.
//!
//! Signing goes only through `ndvt_xmss::by_name`'s durable signer: the record is durable before a signature
//! exists, and the directory's exclusive lock keeps every other signer out, in this process or another.
//! Python adds one hazard the C ABI does not have: `os.fork()` (multiprocessing's default start method on
//! Linux) copies an open signer into the child together with its lock, and both copies could then sign one
//! epoch for different messages. A signer therefore remembers the process that opened it and refuses to work
//! in any other (`ndvt.LockedError`).

use std::path::PathBuf;
use std::sync::Mutex;

use ndvt_xmss::by_name::{self, Origin, SignerInfo};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;
use zeroize::Zeroizing;

use crate::errors::{LockedError, invalid_argument, key_error};
use crate::instances::{Instance, instance_arg};

/// What a key says about itself. Ranges are half-open: `[start, end)`.
#[pyclass(module = "ndvt", frozen, get_all)]
pub(crate) struct KeyInfo {
    /// The parameter set.
    instance: Instance,
    /// First epoch the key may sign.
    activation_start: u64,
    /// One past the last epoch the key may sign.
    activation_end: u64,
    /// First epoch of the prepared window (signable without preparing).
    prepared_start: u64,
    /// One past the prepared window.
    prepared_end: u64,
    /// The lowest epoch that may still be signed.
    next_epoch: u64,
    /// The last epoch signed, or None if the key never signed.
    watermark: Option<u64>,
    /// Epochs left, from next_epoch to the activation end.
    remaining: u64,
}

impl From<SignerInfo> for KeyInfo {
    fn from(i: SignerInfo) -> Self {
        KeyInfo {
            instance: Instance { id: i.instance },
            activation_start: i.activation.start,
            activation_end: i.activation.end,
            prepared_start: i.prepared.start,
            prepared_end: i.prepared.end,
            next_epoch: i.next_epoch,
            watermark: i.watermark,
            remaining: i.remaining,
        }
    }
}

#[pymethods]
impl KeyInfo {
    fn __repr__(&self) -> String {
        format!(
            "ndvt.KeyInfo(instance={:?}, activation=[{}, {}), prepared=[{}, {}), next_epoch={}, watermark={}, \
             remaining={})",
            self.instance.id.name(),
            self.activation_start,
            self.activation_end,
            self.prepared_start,
            self.prepared_end,
            self.next_epoch,
            self.watermark.map_or_else(|| "None".to_string(), |w| w.to_string()),
            self.remaining
        )
    }
}

/// A durable signer holding its key directory's exclusive lock until `close()` (or the end of a `with`
/// block). Methods may be called from many threads; they take turns, and each epoch is released for one
/// message only. Not picklable, and unusable in a forked child: open the key in the process that signs.
#[pyclass(module = "ndvt", frozen)]
pub(crate) struct Signer {
    /// `None` once closed; the mutex serialises callers that released the GIL.
    inner: Mutex<Option<Box<dyn by_name::Signer>>>,
    /// The process that opened the key (see the module's note on `fork`).
    owner: u32,
    instance: Instance,
}

impl Signer {
    fn wrap(signer: Box<dyn by_name::Signer>) -> Self {
        let instance = Instance { id: signer.instance() };
        Signer { inner: Mutex::new(Some(signer)), owner: std::process::id(), instance }
    }

    /// Runs `f` on the open signer, with the GIL released so other Python threads run meanwhile.
    fn with<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut dyn by_name::Signer) -> Result<T, by_name::Error> + Send,
    ) -> PyResult<T> {
        if std::process::id() != self.owner {
            return Err(LockedError::new_err(
                "this signer was opened by another process (inherited through fork): open the key directory \
                 in this process instead",
            ));
        }
        let outcome = py.detach(|| -> Result<T, Option<by_name::Error>> {
            // A panic while another caller held the lock leaves the signer in an unknown state: refuse it.
            let mut guard = self.inner.lock().map_err(|_| None)?;
            let signer = guard.as_mut().ok_or(None)?;
            f(signer.as_mut()).map_err(Some)
        });
        outcome.map_err(|e| match e {
            Some(e) => key_error(e),
            None => invalid_argument("the signer is closed (or unusable after an internal error)"),
        })
    }
}

#[pymethods]
impl Signer {
    /// Opens the key in `key_dir` (its instance read from the directory) and takes its exclusive lock.
    /// Raises `ndvt.LockedError` when another signer holds it.
    #[staticmethod]
    fn open(py: Python<'_>, key_dir: PathBuf) -> PyResult<Signer> {
        let signer = py.detach(|| by_name::open(&key_dir)).map_err(key_error)?;
        Ok(Signer::wrap(signer))
    }

    /// The parameter set.
    #[getter]
    fn instance(&self) -> Instance {
        self.instance
    }

    /// The encoded public key.
    #[getter]
    fn public_key<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.with(py, |s| Ok(s.public_key()))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Activation range, prepared window and record, as a `KeyInfo`.
    #[getter]
    fn info(&self, py: Python<'_>) -> PyResult<KeyInfo> {
        Ok(self.with(py, |s| Ok(s.info()))?.into())
    }

    /// Signs the 32-byte `message` at `epoch` and returns the encoded signature. The epoch must be in the
    /// prepared window (`prepare` first). The record is made durable before the signature is computed.
    /// Raises `ndvt.RefusedError` for an epoch at or below the watermark (signing the last (epoch, message)
    /// again returns the same bytes), `ndvt.NotSignableError` outside the window, `ndvt.LengthError` for a
    /// message that is not 32 bytes.
    fn sign<'py>(
        &self,
        py: Python<'py>,
        epoch: u64,
        message: PyBackedBytes,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let signature = self.with(py, |s| s.sign(epoch, &message))?;
        Ok(PyBytes::new(py, &signature))
    }

    /// Advances the prepared window until it holds `epoch`, writing the key after each step. Slow (a bottom
    /// tree at a time): call it ahead of need, off the signing path.
    fn prepare(&self, py: Python<'_>, epoch: u64) -> PyResult<()> {
        self.with(py, |s| s.prepare_until(epoch))
    }

    /// Releases the key directory's lock. Idempotent; the signer is unusable afterwards.
    fn close(&self, py: Python<'_>) {
        // Taken without the GIL: a thread signing right now finishes first. A poisoned lock still closes.
        py.detach(|| {
            let mut guard = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            drop(guard.take());
        });
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self, py: Python<'_>) -> bool {
        py.detach(|| self.inner.lock().map(|g| g.is_none()).unwrap_or(true))
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_args))]
    fn __exit__(&self, py: Python<'_>, _args: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close(py);
        false
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let state = if self.closed(py) { "closed" } else { "open" };
        format!("<ndvt.Signer {} {state}>", self.instance.id.name())
    }
}

/// Generates a key of `instance` into the new directory `key_dir` and returns its open `Signer`.
///
/// Without `seed`, the secret comes from the operating system and the key signs from its activation start.
/// With a 32-byte `seed`, the same seed gives the same key, which may have signed before: `first_epoch` is
/// then required, and every epoch below it counts as used. The key is active for
/// `[activation_start, activation_start + activation_epochs)` (default: the whole lifetime up to 2^16
/// epochs, else two bottom trees; leanSig sets round out to whole bottom trees).
#[pyfunction]
#[pyo3(signature = (instance, key_dir, *, seed=None, first_epoch=None, activation_start=0, activation_epochs=None))]
fn generate(
    py: Python<'_>,
    instance: &Bound<'_, PyAny>,
    key_dir: PathBuf,
    seed: Option<PyBackedBytes>,
    first_epoch: Option<u64>,
    activation_start: u64,
    activation_epochs: Option<u64>,
) -> PyResult<Signer> {
    let id = instance_arg(instance)?;
    let seed = match seed {
        None => None,
        Some(bytes) => {
            let array = <[u8; 32]>::try_from(&bytes[..]).map_err(|_| {
                key_error(by_name::Error::Length { what: "seed", expected: 32, got: bytes.len() })
            })?;
            let first = first_epoch.ok_or_else(|| {
                pyo3::exceptions::PyTypeError::new_err(
                    "a seed needs first_epoch: the key may have signed every epoch below it before",
                )
            })?;
            Some((Zeroizing::new(array), first))
        }
    };
    let signer = py
        .detach(|| {
            let origin = match &seed {
                None => Origin::Os,
                Some((seed, first_epoch)) => Origin::Seed { seed, first_epoch: *first_epoch },
            };
            by_name::generate(id, &key_dir, origin, activation_start, activation_epochs)
        })
        .map_err(key_error)?;
    Ok(Signer::wrap(signer))
}

/// What the key directory `key_dir` says about its key, read without its lock and without writing (also
/// while a signer holds it).
#[pyfunction]
fn key_info(py: Python<'_>, key_dir: PathBuf) -> PyResult<KeyInfo> {
    Ok(py.detach(|| by_name::inspect(&key_dir)).map_err(key_error)?.into())
}

/// The encoded public key stored in `key_dir`, read without its lock.
#[pyfunction]
fn key_public_key<'py>(py: Python<'py>, key_dir: PathBuf) -> PyResult<Bound<'py, PyBytes>> {
    let (_, bytes) = py.detach(|| by_name::public_key(&key_dir)).map_err(key_error)?;
    Ok(PyBytes::new(py, &bytes))
}

/// Adds the signer's classes and functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Signer>()?;
    m.add_class::<KeyInfo>()?;
    m.add_function(wrap_pyfunction!(generate, m)?)?;
    m.add_function(wrap_pyfunction!(key_info, m)?)?;
    m.add_function(wrap_pyfunction!(key_public_key, m)?)?;
    Ok(())
}
