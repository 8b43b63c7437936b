//! Checks over the whole list of presets: unique ids, 40 or more, each
//! documented in docs/providers.md, and small (the presets' own files, before
//! their tests, average under 30 lines; the figure is printed).

use super::PRESETS;

/// Each preset file's lines before its tests, by file name.
fn preset_file_sizes() -> Vec<(String, usize)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/providers");
    let mut sizes = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        if !text
            .lines()
            .any(|l| l.starts_with("pub const PRESET: Preset = "))
        {
            continue;
        }
        let before_tests = text.lines().take_while(|l| *l != "#[cfg(test)]").count();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        sizes.push((name, before_tests));
    }
    sizes.sort();
    sizes
}

#[test]
fn forty_or_more_presets_with_unique_ids() {
    assert!(PRESETS.len() >= 40, "{} presets", PRESETS.len());
    let mut ids: Vec<_> = PRESETS.iter().map(|p| p.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), PRESETS.len(), "duplicate preset ids");
    assert_eq!(
        preset_file_sizes().len(),
        PRESETS.len(),
        "one file per preset"
    );
}

#[test]
fn the_presets_files_average_under_thirty_lines_before_tests() {
    let sizes = preset_file_sizes();
    let total: usize = sizes.iter().map(|(_, n)| n).sum();
    let average = total as f64 / sizes.len() as f64;
    println!(
        "{} preset files, {total} lines before tests, {average:.1} on average",
        sizes.len()
    );
    for (file, lines) in &sizes {
        println!("  {file}: {lines}");
    }
    assert!(average < 30.0, "presets average {average:.1} lines");
}

#[test]
fn every_preset_has_a_row_and_a_colour() {
    let docs = include_str!("../../docs/providers.md");
    for preset in PRESETS {
        let row = format!("| `{}` |", preset.id);
        assert!(docs.contains(&row), "docs/providers.md lacks {row}");
        let c = preset.color;
        assert!(c.len() == 7 && c.starts_with('#'), "{}: {c}", preset.id);
        assert!(
            c[1..].chars().all(|h| h.is_ascii_hexdigit()),
            "{}",
            preset.id
        );
    }
}
