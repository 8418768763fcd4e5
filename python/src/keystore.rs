//! EIP-8310 keystores and EIP-3076 signing history, through `ndvt_keystore::by_name`: export a key
//! directory to keystore bytes, import keystore bytes into a key directory (never lowering a watermark), and
//! move a key's signing history in and out.
//!
//! Passwords are `str`. The binding copies each into a zeroizing buffer for the KDF and drops it at once;
//! the Python string itself is immutable and cannot be wiped, so keep its lifetime short.

use std::path::PathBuf;

use ndvt_keystore::by_name;
use ndvt_keystore::{ImportOutcome, Kdf, Password};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;
use zeroize::Zeroizing;

use crate::errors::{invalid_argument, keystore_error};
use crate::instances::Instance;

/// argon2id (RFC 9106) key derivation for a new keystore. The defaults are RFC 9106's second recommended
/// option (64 MiB, 3 passes, 4 lanes); readers refuse more than 1 GiB, 16 passes or 16 lanes.
#[pyclass(module = "ndvt", frozen, get_all, skip_from_py_object)]
#[derive(Clone, Copy)]
pub(crate) struct Argon2id {
    /// Memory in KiB (at least 8 per lane).
    memory_kib: u32,
    /// Passes.
    iterations: u32,
    /// Lanes.
    lanes: u32,
}

#[pymethods]
impl Argon2id {
    #[new]
    #[pyo3(signature = (memory_kib=65536, iterations=3, lanes=4))]
    fn new(memory_kib: u32, iterations: u32, lanes: u32) -> Self {
        Argon2id { memory_kib, iterations, lanes }
    }

    fn __repr__(&self) -> String {
        format!(
            "ndvt.Argon2id(memory_kib={}, iterations={}, lanes={})",
            self.memory_kib, self.iterations, self.lanes
        )
    }
}

/// scrypt key derivation for a new keystore. The defaults are EIP-2335's (n = 2^18, r = 8, p = 1: 256 MiB);
/// readers refuse n above 2^20 and n·r·p above 2^24.
#[pyclass(module = "ndvt", frozen, get_all, skip_from_py_object)]
#[derive(Clone, Copy)]
pub(crate) struct Scrypt {
    /// log2 of the cost n.
    log_n: u8,
    /// Block size.
    r: u32,
    /// Parallelism.
    p: u32,
}

#[pymethods]
impl Scrypt {
    #[new]
    #[pyo3(signature = (log_n=18, r=8, p=1))]
    fn new(log_n: u8, r: u32, p: u32) -> Self {
        Scrypt { log_n, r, p }
    }

    fn __repr__(&self) -> String {
        format!("ndvt.Scrypt(log_n={}, r={}, p={})", self.log_n, self.r, self.p)
    }
}

/// The KDF a `kdf` argument names: an `Argon2id`, a `Scrypt`, or None for the argon2id default.
fn kdf_arg(kdf: Option<&Bound<'_, PyAny>>) -> PyResult<Kdf> {
    let Some(kdf) = kdf else { return Ok(Kdf::ARGON2ID_DEFAULT) };
    if let Ok(a) = kdf.cast::<Argon2id>() {
        let a = a.get();
        return Ok(Kdf::Argon2id { memory_kib: a.memory_kib, iterations: a.iterations, lanes: a.lanes });
    }
    if let Ok(s) = kdf.cast::<Scrypt>() {
        let s = s.get();
        return Ok(Kdf::Scrypt { log_n: s.log_n, r: s.r, p: s.p });
    }
    Err(invalid_argument("kdf: expected ndvt.Argon2id(...), ndvt.Scrypt(...) or None"))
}

/// The password, normalised as EIP-2335 prescribes; the copy of its text is wiped on return.
fn password_arg(text: String) -> Password {
    let text = Zeroizing::new(text);
    Password::new(&text)
}

/// What `import_keystore` did.
#[pyclass(module = "ndvt", frozen, get_all)]
pub(crate) struct ImportResult {
    /// True when a new key directory was made; False when it already held this key (left untouched, its
    /// record raised to first_epoch when that is higher).
    created: bool,
    /// The directory's next signable epoch.
    next_epoch: u64,
    /// The parameter set of the key.
    instance: Instance,
    /// The key's encoded public key.
    public_key: Py<PyBytes>,
}

#[pymethods]
impl ImportResult {
    fn __repr__(&self) -> String {
        format!(
            "ndvt.ImportResult(created={}, next_epoch={}, instance={:?})",
            if self.created { "True" } else { "False" },
            self.next_epoch,
            self.instance.id.name()
        )
    }
}

/// Exports the key in `key_dir` to an EIP-8310 keystore (JSON bytes) encrypted under `password` with `kdf`
/// (default `Argon2id()`). Takes the key's lock while reading, so close its signer first. The key stays
/// usable in `key_dir`; an import elsewhere must start above every epoch either copy signs.
#[pyfunction]
#[pyo3(signature = (key_dir, password, *, kdf=None))]
fn export_keystore<'py>(
    py: Python<'py>,
    key_dir: PathBuf,
    password: String,
    kdf: Option<&Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let kdf = kdf_arg(kdf)?;
    let password = password_arg(password);
    let json = py.detach(|| by_name::export(&key_dir, &password, kdf).map(|k| k.to_json()));
    Ok(PyBytes::new(py, json.map_err(keystore_error)?.as_bytes()))
}

/// Imports the EIP-8310 `keystore` (JSON bytes) into `key_dir`. A new directory needs `first_epoch`, above
/// every epoch the key may have signed anywhere (the keystore's snapshot is not authoritative); the key then
/// starts at the higher of it and the snapshot. A directory that already holds the key keeps its record
/// (`ndvt.WatermarkBehindError` if that record is behind the snapshot).
#[pyfunction]
#[pyo3(signature = (keystore, password, key_dir, *, first_epoch=None))]
fn import_keystore(
    py: Python<'_>,
    keystore: PyBackedBytes,
    password: String,
    key_dir: PathBuf,
    first_epoch: Option<u64>,
) -> PyResult<ImportResult> {
    let password = password_arg(password);
    let (outcome, id, public_key) = py
        .detach(|| -> Result<_, by_name::Error> {
            let keystore = by_name::parse(&keystore)?;
            let id = by_name::keystore_instance(&keystore)?;
            let outcome = by_name::import(&keystore, &password, &key_dir, first_epoch)?;
            Ok((outcome, id, keystore.public_key().to_vec()))
        })
        .map_err(keystore_error)?;
    let (created, next_epoch) = match outcome {
        ImportOutcome::Created { next_epoch } => (true, next_epoch),
        ImportOutcome::AlreadyPresent { next_epoch } => (false, next_epoch),
    };
    Ok(ImportResult {
        created,
        next_epoch,
        instance: Instance { id },
        public_key: PyBytes::new(py, &public_key).unbind(),
    })
}

/// The chain's genesis validators root: 32 bytes (lean devnets have none: 32 zero bytes).
fn root_arg(root: Option<PyBackedBytes>) -> PyResult<[u8; 32]> {
    match root {
        None => Ok([0; 32]),
        Some(bytes) => <[u8; 32]>::try_from(&bytes[..]).map_err(|_| {
            crate::errors::LengthError::new_err(format!(
                "genesis_validators_root: expected 32 bytes, got {}",
                bytes.len()
            ))
        }),
    }
}

/// The signing history of the key in `key_dir` as an EIP-3076 interchange file (JSON bytes): every epoch
/// below the record's next signable epoch counts as used. Takes the key's lock.
#[pyfunction]
#[pyo3(signature = (key_dir, *, genesis_validators_root=None))]
fn export_history<'py>(
    py: Python<'py>,
    key_dir: PathBuf,
    genesis_validators_root: Option<PyBackedBytes>,
) -> PyResult<Bound<'py, PyBytes>> {
    let root = root_arg(genesis_validators_root)?;
    let json = py.detach(|| by_name::export_history(&key_dir, root).map(|(h, _)| h.to_json()));
    Ok(PyBytes::new(py, json.map_err(keystore_error)?.as_bytes()))
}

/// Raises the watermark of the key in `key_dir` above every epoch the EIP-3076 `interchange` (JSON bytes)
/// names for its public key; never lowers it. Returns the next signable epoch before and after.
#[pyfunction]
#[pyo3(signature = (key_dir, interchange, *, genesis_validators_root=None))]
fn import_history(
    py: Python<'_>,
    key_dir: PathBuf,
    interchange: PyBackedBytes,
    genesis_validators_root: Option<PyBackedBytes>,
) -> PyResult<(u64, u64)> {
    let root = root_arg(genesis_validators_root)?;
    py.detach(|| {
        let history = by_name::parse_history(&interchange, &root)?;
        by_name::import_history(&key_dir, &history)
    })
    .map_err(keystore_error)
}

/// Adds the keystore classes and functions.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Argon2id>()?;
    m.add_class::<Scrypt>()?;
    m.add_class::<ImportResult>()?;
    m.add_function(wrap_pyfunction!(export_keystore, m)?)?;
    m.add_function(wrap_pyfunction!(import_keystore, m)?)?;
    m.add_function(wrap_pyfunction!(export_history, m)?)?;
    m.add_function(wrap_pyfunction!(import_history, m)?)?;
    Ok(())
}
