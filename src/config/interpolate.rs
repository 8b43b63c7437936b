//! `${VAR}` interpolation of config file values from the environment.

use super::ConfigError;

/// Replaces every `${VAR}` in the string values of `table`, recursively.
pub(super) fn expand_table(table: &mut toml::Table, prefix: &str) -> Result<(), ConfigError> {
    for (key, value) in table.iter_mut() {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        expand_value(value, &path)?;
    }
    Ok(())
}

fn expand_value(value: &mut toml::Value, path: &str) -> Result<(), ConfigError> {
    match value {
        toml::Value::String(s) => *s = expand_str(s, path)?,
        toml::Value::Array(items) => {
            for item in items {
                expand_value(item, path)?;
            }
        }
        toml::Value::Table(t) => expand_table(t, path)?,
        _ => {}
    }
    Ok(())
}

/// Expands `${NAME}` occurrences in `s`; `$$` is not special, text without `${` is kept.
pub(super) fn expand_str(s: &str, key: &str) -> Result<String, ConfigError> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return Err(ConfigError::Invalid(format!(
                "`{key}`: unterminated `${{` in value"
            )));
        };
        let var = &after[..end];
        let valid = !var.is_empty() && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(ConfigError::Invalid(format!(
                "`{key}`: `${{{var}}}` is not an environment variable name"
            )));
        }
        let value = std::env::var(var).map_err(|_| ConfigError::MissingVar {
            var: var.to_owned(),
            key: key.to_owned(),
        })?;
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}
