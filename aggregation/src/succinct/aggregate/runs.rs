//! The run layout the hash tables share, committed and constrained instead of periodic (see `tweak_table`).
//!
//! A run is the consecutive rows one signature owns in a table: a chain's steps, a leaf's absorptions, a
//! path's levels. Its rows are `active`; the first is flagged `first`, the last `last`; all share one `sid`;
//! and a `counter` grows by one per row, from a fixed value or from whatever the first row's lookups pin,
//! to a fixed value at the last row. Idle rows (`active = 0`) pad the table after the runs.

use p3_air::{AirBuilder, WindowAccess};
use p3_field::PrimeCharacteristicRing;

use super::super::config::Val;

/// The columns of a table's run layout.
pub(crate) struct Run {
    pub(crate) active: usize,
    pub(crate) first: usize,
    pub(crate) last: usize,
    pub(crate) sid: usize,
    pub(crate) counter: usize,
}

impl Run {
    /// Constrains the layout: the flags are boolean and only on active rows; `first` rows count
    /// `first_count` (if fixed), `last` rows `last_count`; an active row that is not `last` continues on
    /// the next row (active, not `first`, same `sid`, counter + 1); an active row that is not `first`
    /// follows one; the table starts with a `first` row or idle and never ends mid-run.
    ///
    /// Returns `carry`, 1 exactly on rows whose run goes on, for the caller's own row-to-row constraints.
    pub(crate) fn eval<AB: AirBuilder<F = Val>>(
        &self,
        builder: &mut AB,
        first_count: Option<usize>,
        last_count: usize,
    ) -> AB::Expr {
        let main = builder.main();
        let (row, next) = (main.current_slice(), main.next_slice());
        let one = AB::Expr::ONE;
        let col = |c: usize| -> AB::Expr { row[c].into() };
        let carry = col(self.active) - col(self.last);

        for c in [self.active, self.first, self.last] {
            builder.assert_bool(row[c]);
        }
        for c in [self.first, self.last] {
            builder.assert_zero(col(c) * (one.clone() - col(self.active)));
        }
        if let Some(count) = first_count {
            builder.assert_zero(col(self.first) * (col(self.counter) - Val::from_usize(count)));
        }
        builder.assert_zero(col(self.last) * (col(self.counter) - Val::from_usize(last_count)));
        builder.when_first_row().assert_eq(row[self.active], row[self.first]);
        builder.when_last_row().assert_zero(carry.clone());

        let next_active: AB::Expr = next[self.active].into();
        let next_first: AB::Expr = next[self.first].into();
        let mut t = builder.when_transition();
        t.assert_zero(carry.clone() * (one.clone() - next_active.clone()));
        t.assert_zero(carry.clone() * next_first.clone());
        t.assert_zero((next_active - next_first) * (one.clone() - carry.clone()));
        t.assert_zero(carry.clone() * (next[self.sid].into() - col(self.sid)));
        t.assert_zero(carry.clone() * (next[self.counter].into() - col(self.counter) - one));
        carry
    }
}
