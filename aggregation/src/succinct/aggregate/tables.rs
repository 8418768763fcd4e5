//! The six tables as one AIR type (batch-stark proves a slice of one type).

use std::borrow::Cow;

use p3_air::{Air, BaseAir};
use p3_lookup::InteractionBuilder;

use super::super::config::Val;
use super::chain_table::ChainTable;
use super::key_table::KeyTable;
use super::merkle_table::MerkleTable;
use super::sig_table::SigTable;
use super::sponge_table::SpongeTable;
use super::tweak_table::TweakTable;

/// One of the aggregate's tables.
#[derive(Clone)]
pub(crate) enum Table {
    Sig(SigTable),
    Chain(ChainTable),
    Sponge(SpongeTable),
    Merkle(MerkleTable),
    Key(KeyTable),
    Tweak(TweakTable),
}

macro_rules! each {
    ($self:expr, $t:ident => $e:expr) => {
        match $self {
            Table::Sig($t) => $e,
            Table::Chain($t) => $e,
            Table::Sponge($t) => $e,
            Table::Merkle($t) => $e,
            Table::Key($t) => $e,
            Table::Tweak($t) => $e,
        }
    };
}

impl BaseAir<Val> for Table {
    fn width(&self) -> usize {
        each!(self, t => BaseAir::<Val>::width(t))
    }

    fn num_public_values(&self) -> usize {
        each!(self, t => BaseAir::<Val>::num_public_values(t))
    }

    fn num_periodic_columns(&self) -> usize {
        each!(self, t => BaseAir::<Val>::num_periodic_columns(t))
    }

    fn periodic_columns(&self) -> Cow<'_, [Vec<Val>]> {
        each!(self, t => BaseAir::<Val>::periodic_columns(t))
    }
}

impl<AB: InteractionBuilder<F = Val>> Air<AB> for Table {
    fn eval(&self, builder: &mut AB) {
        each!(self, t => t.eval(builder))
    }
}

/// The tables of a statement over `epoch` with these key entries and `bound` participation values.
pub(crate) fn tables(epoch: u32, entries: &[[Val; super::key_table::ENTRY]], bound: usize) -> Vec<Table> {
    vec![
        Table::Sig(SigTable::new()),
        Table::Chain(ChainTable::new()),
        Table::Sponge(SpongeTable::new(epoch)),
        Table::Merkle(MerkleTable::new()),
        Table::Key(KeyTable::new(entries, bound)),
        Table::Tweak(TweakTable::new(epoch)),
    ]
}
