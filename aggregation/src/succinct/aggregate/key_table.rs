//! The key table: the statement's member keys as a lookup table.
//!
//! Entry `e` is `(participant, member, threshold, parameter(5), root(8))` for every member of every
//! participant, in statement order. The entries are periodic columns computed by the verifier from the
//! statement (and absorbed by the transcript as this table's public values); the only committed column is
//! each entry's multiplicity, zero on padding rows. A signature row can therefore only claim a key, a
//! member index and a threshold that the statement gives together.

use std::borrow::Cow;

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::PrimeCharacteristicRing;
use p3_lookup::{InteractionBuilder, LookupBus};
use p3_matrix::dense::RowMajorMatrix;

use super::super::config::Val;
use super::KEY_BUS;

/// Elements per entry.
pub(crate) const ENTRY: usize = 16;
const VALID: usize = ENTRY;
const PERIODIC: usize = ENTRY + 1;
/// Committed columns: the entry (a copy of the periodic one, which p3-lookup 0.8's interactions cannot
/// read) and the multiplicity.
const MULTIPLICITY: usize = ENTRY;
const COLUMNS: usize = ENTRY + 1;

/// Trace height for `entries` entries.
pub(crate) fn height(entries: usize) -> usize {
    entries.next_power_of_two().max(2)
}

/// The key table's AIR.
#[derive(Clone)]
pub(crate) struct KeyTable {
    periodic: Vec<Vec<Val>>,
    public_values: usize,
}

impl KeyTable {
    /// The table of `entries`, whose public values are the entries followed by `bound` more values the
    /// transcript absorbs and no constraint reads (the statement's participation).
    pub(crate) fn new(entries: &[[Val; ENTRY]], bound: usize) -> Self {
        let mut periodic = vec![vec![Val::ZERO; height(entries.len())]; PERIODIC];
        for (e, entry) in entries.iter().enumerate() {
            for (i, &x) in entry.iter().enumerate() {
                periodic[i][e] = x;
            }
            periodic[VALID][e] = Val::ONE;
        }
        KeyTable { periodic, public_values: ENTRY * entries.len() + bound }
    }
}

impl BaseAir<Val> for KeyTable {
    fn width(&self) -> usize {
        COLUMNS
    }

    fn num_public_values(&self) -> usize {
        self.public_values
    }

    fn num_periodic_columns(&self) -> usize {
        PERIODIC
    }

    fn periodic_columns(&self) -> Cow<'_, [Vec<Val>]> {
        Cow::Borrowed(&self.periodic)
    }
}

impl<AB: InteractionBuilder<F = Val>> Air<AB> for KeyTable {
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let row = main.current_slice();
        let multiplicity: AB::Expr = row[MULTIPLICITY].into();
        let p: Vec<AB::Expr> = builder.periodic_values().iter().map(|&v| v.into()).collect();
        for i in 0..ENTRY {
            builder.assert_eq(row[i], p[i].clone());
        }
        builder.assert_zero((AB::Expr::ONE - p[VALID].clone()) * multiplicity.clone());
        let entry: Vec<AB::Expr> = row[..ENTRY].iter().map(|&v| v.into()).collect();
        LookupBus::new(KEY_BUS).table_entry(builder, entry, multiplicity);
    }
}

/// The entries and how many signature rows use each.
pub(crate) fn key_trace(entries: &[[Val; ENTRY]], uses: &[usize]) -> RowMajorMatrix<Val> {
    let mut values = vec![Val::ZERO; height(entries.len()) * COLUMNS];
    for (row, entry) in values.chunks_exact_mut(COLUMNS).zip(entries) {
        row[..ENTRY].copy_from_slice(entry);
    }
    for &e in uses {
        values[e * COLUMNS + MULTIPLICITY] += Val::ONE;
    }
    RowMajorMatrix::new(values, COLUMNS)
}
