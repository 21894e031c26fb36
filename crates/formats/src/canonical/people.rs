//! `people.csv`: who is in the export and what is known about them.
//!
//! `id` is required; `handle`, `name`, `bio` and `followers_count` fill the standard attribute
//! columns of [`contextivity_graph::people`]; every other named column is kept as an attribute
//! of the same (lower-cased) name. Empty cells are not attributes.
//!
//! A person listed on several rows keeps one value per column: a later non-empty cell replaces
//! an earlier one (the newest profile wins) and an empty cell never erases. A note counts such
//! people.

use std::path::Path;

use contextivity_graph::people::FOLLOWERS_COUNT;
use contextivity_graph::NodeId;

use super::{file_name, graph_error, Loader};
use crate::FormatError;

/// What an empty `people.csv` should have held.
const PEOPLE_HEADER: &str = "a header row `id[,handle][,name][,bio][,followers_count][,…]`";

/// Reads `people.csv`.
pub(super) fn load(loader: &mut Loader<'_>, path: &Path) -> Result<(), FormatError> {
    let Some(mut table) = loader.open(path, PEOPLE_HEADER)? else {
        return Ok(());
    };
    let id = table.require("id")?;
    let followers = table.column(FOLLOWERS_COUNT);
    // Attribute columns: every named column but `id`, by index. The standard ones carry the
    // names of the graph crate's constants (`handle`, `name`, `bio`, `followers_count`).
    let attributes: Vec<(usize, String)> = table
        .columns()
        .iter()
        .enumerate()
        .filter(|&(i, c)| i != id && !c.is_empty())
        .map(|(i, c)| (i, c.clone()))
        .collect();
    let named: Vec<String> = table
        .columns()
        .iter()
        .filter(|c| !c.is_empty())
        .cloned()
        .collect();
    let named: Vec<&str> = named.iter().map(String::as_str).collect();
    loader.note_ignored(&table, &named);

    // (node, attribute index, value) in file order; resolved once the whole file is read.
    let mut cells: Vec<(u32, usize, Box<str>)> = Vec::new();
    let mut seen: Vec<bool> = Vec::new();
    let mut repeated = 0u64;
    loader.rows(&mut table, |builder, row| {
        let person = match row.id(id) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        if let Err(e) = row.count(followers) {
            return Ok(Err(e));
        }
        let node = builder.node(person).map_err(|e| graph_error(row, e))?;
        let slot = node.index();
        if slot >= seen.len() {
            seen.resize(slot + 1, false);
        }
        if seen[slot] {
            repeated += 1;
        }
        seen[slot] = true;
        for (a, &(column, _)) in attributes.iter().enumerate() {
            let value = row.text(Some(column));
            if !value.is_empty() {
                cells.push((node.0, a, Box::from(value)));
            }
        }
        Ok(Ok(()))
    })?;

    // Keep the last value of every (person, column); the sort is stable, so "last" is file order.
    cells.sort_by_key(|&(node, a, _)| (node, a));
    let mut i = 0;
    while i < cells.len() {
        let (node, a) = (cells[i].0, cells[i].1);
        let mut last = i;
        while last + 1 < cells.len() && (cells[last + 1].0, cells[last + 1].1) == (node, a) {
            last += 1;
        }
        loader
            .builder
            .set_attribute(NodeId(node), &attributes[a].1, &cells[last].2);
        i = last + 1;
    }
    if repeated > 0 {
        let rows = if repeated == 1 {
            "row repeats"
        } else {
            "rows repeat"
        };
        loader.builder.note(format!(
            "{}: {repeated} {rows} a person listed earlier; later non-empty values replace \
             earlier ones",
            file_name(path)
        ));
    }
    Ok(())
}
