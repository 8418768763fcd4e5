//! The `--instance` values: the library's one list of parameter sets ([`ndvt_xmss::registry`]) as a clap
//! value parser, so the CLI, the C ABI and the Python package accept exactly the same names.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
pub use ndvt_xmss::registry::InstanceId as InstanceArg;

/// Parses `--instance NAME` into the library's [`InstanceArg`], listing every name in `--help` and errors.
#[derive(Clone, Copy, Debug, Default)]
pub struct InstanceParser;

fn names() -> PossibleValuesParser {
    PossibleValuesParser::new(InstanceArg::ALL.iter().map(|i| PossibleValue::new(i.name())))
}

impl TypedValueParser for InstanceParser {
    type Value = InstanceArg;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<InstanceArg, clap::Error> {
        let name = names().parse_ref(cmd, arg, value)?;
        // `names()` accepted it, so it is in the list; the fallback error keeps this free of panics.
        InstanceArg::from_name(&name)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(InstanceArg::ALL.iter().map(|i| PossibleValue::new(i.name()))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Args {
        #[arg(long, value_parser = InstanceParser)]
        instance: InstanceArg,
    }

    /// Every library name parses to its set; anything else is a usage error naming the valid values.
    #[test]
    fn every_library_name_is_a_value() {
        for &i in InstanceArg::ALL {
            let args = Args::try_parse_from(["t", "--instance", i.name()]).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(args.instance, i);
        }
        let Err(e) = Args::try_parse_from(["t", "--instance", "devnet5"]) else { panic!("accepted devnet5") };
        assert_eq!(e.kind(), clap::error::ErrorKind::InvalidValue);
        assert!(e.to_string().contains("leanvm-test"), "{e}");
    }
}
