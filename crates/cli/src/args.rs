//! A small `--name value` / `--flag` parser: the CLI's interface is fixed and tiny, so a
//! dependency would cost more build time than it saves.

use std::collections::HashMap;

pub(crate) struct Args {
    values: HashMap<String, String>,
    flags: Vec<String>,
}

impl Args {
    /// Parses `argv` accepting only the named options (`takes_value`) and switches (`flags`).
    pub(crate) fn parse(
        argv: &[String],
        takes_value: &[&str],
        flags: &[&str],
    ) -> Result<Args, String> {
        let mut values = HashMap::new();
        let mut set = Vec::new();
        let mut it = argv.iter();
        while let Some(arg) = it.next() {
            let name = arg
                .strip_prefix("--")
                .ok_or_else(|| format!("unexpected argument {arg:?}; options start with --"))?;
            if takes_value.contains(&name) {
                let value = it.next().ok_or_else(|| format!("--{name} needs a value"))?;
                values.insert(name.to_string(), value.clone());
            } else if flags.contains(&name) {
                set.push(name.to_string());
            } else {
                return Err(format!("unknown option --{name}"));
            }
        }
        Ok(Args { values, flags: set })
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    pub(crate) fn required(&self, name: &str) -> Result<&str, String> {
        self.get(name)
            .ok_or_else(|| format!("missing required option --{name}"))
    }

    pub(crate) fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    /// An optional number, or `default`.
    pub(crate) fn number<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, String> {
        match self.get(name) {
            None => Ok(default),
            Some(text) => text
                .parse()
                .map_err(|_| format!("--{name} expects a whole number, found {text:?}")),
        }
    }
}
