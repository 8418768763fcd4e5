//! Parameter sets as Python objects: `ndvt.Instance`, one module constant per set (`ndvt.LEANVM`,
//! `ndvt.DEVNET4`, …), and the conversion every function applies to its `instance` argument (an `Instance`
//! or its name, the CLI's `--instance` spelling).

use ndvt_xmss::by_name;
use ndvt_xmss::registry::InstanceId;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::errors::key_error;

/// One of ndvt's XMSS parameter sets. Compares and hashes by name; `str(instance)` is the name.
#[pyclass(module = "ndvt", frozen, eq, hash, skip_from_py_object)]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Instance {
    pub(crate) id: InstanceId,
}

#[pymethods]
impl Instance {
    /// The set's name, as `ndvt verify --instance` and key directories spell it.
    #[getter]
    fn name(&self) -> &'static str {
        self.id.name()
    }

    /// Bytes of an encoded public key.
    #[getter]
    fn public_key_len(&self) -> usize {
        self.id.public_key_len()
    }

    /// Bytes of an encoded signature.
    #[getter]
    fn signature_len(&self) -> usize {
        self.id.signature_len()
    }

    /// log2 of the number of epochs a key of this set has.
    #[getter]
    fn log_lifetime(&self) -> u32 {
        self.id.log_lifetime()
    }

    fn __repr__(&self) -> String {
        format!("ndvt.Instance('{}')", self.id.name())
    }

    fn __str__(&self) -> &'static str {
        self.id.name()
    }
}

/// The parameter set an `instance` argument names: an [`Instance`] or its name (a `str`).
pub(crate) fn instance_arg(obj: &Bound<'_, PyAny>) -> PyResult<InstanceId> {
    if let Ok(instance) = obj.cast::<Instance>() {
        return Ok(instance.get().id);
    }
    let name: String = obj.extract()?;
    by_name::instance(&name).map_err(key_error)
}

/// The set called `name`; `ndvt.UnknownInstanceError` when there is none.
#[pyfunction]
fn instance(name: &Bound<'_, PyAny>) -> PyResult<Instance> {
    Ok(Instance { id: instance_arg(name)? })
}

/// The constant's name for `id`: `leanvm-test` → `LEANVM_TEST`.
fn constant_name(id: InstanceId) -> String {
    id.name().to_ascii_uppercase().replace('-', "_")
}

/// Adds `Instance`, `instance()`, `INSTANCES` (every set, in registry order) and one constant per set.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Instance>()?;
    m.add_function(wrap_pyfunction!(instance, m)?)?;
    let mut all = Vec::with_capacity(InstanceId::ALL.len());
    for &id in InstanceId::ALL {
        let object = Bound::new(m.py(), Instance { id })?;
        m.add(constant_name(id).as_str(), &object)?;
        all.push(object);
    }
    m.add("INSTANCES", PyTuple::new(m.py(), all)?)?;
    Ok(())
}
