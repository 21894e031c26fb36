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
use rayon::slice::ParallelSliceMut;

use super::intern::Key;
use super::{file_name, graph_error, Loader};
use crate::FormatError;

/// What an empty `people.csv` should have held.
const PEOPLE_HEADER: &str = "a header row `id[,handle][,name][,bio][,followers_count][,…]`";

/// Reads `people.csv`.
pub(super) fn load(loader: &mut Loader<'_>, path: &Path) -> Result<(), FormatError> {
    let Some(table) = loader.open(path, PEOPLE_HEADER)? else {
        return Ok(());
    };
    let header = &table.header;
    let id = header.require("id")?;
    let followers = header.column(FOLLOWERS_COUNT);
    // Attribute columns: every named column but `id`, by index. The standard ones carry the
    // names of the graph crate's constants (`handle`, `name`, `bio`, `followers_count`).
    let attributes: Vec<(usize, String)> = header
        .columns()
        .iter()
        .enumerate()
        .filter(|&(i, c)| i != id && !c.is_empty())
        .map(|(i, c)| (i, c.clone()))
        .collect();
    let named: Vec<String> = header
        .columns()
        .iter()
        .filter(|c| !c.is_empty())
        .cloned()
        .collect();
    let named: Vec<&str> = named.iter().map(String::as_str).collect();
    loader.note_ignored(header, &named);

    // A row: the person's key and their non-empty cells as (attribute index, value).
    let parse = |row: &super::Row<'_>, keys: &mut super::Keys| {
        let person = row.id(id)?;
        row.count(followers)?;
        let cells: Vec<(u32, Box<str>)> = attributes
            .iter()
            .enumerate()
            .map(|(a, &(column, _))| (a as u32, row.text(Some(column))))
            .filter(|(_, value)| !value.is_empty())
            .map(|(a, value)| (a, Box::from(value)))
            .collect();
        Ok((keys.key(person), cells))
    };
    // (node, attribute index, value) in file order; resolved once the whole file is read.
    let mut cells: Vec<(u32, u32, Box<str>)> = Vec::new();
    let mut seen: Vec<bool> = Vec::new();
    let mut repeated = 0u64;
    type Parsed = (Key, Vec<(u32, Box<str>)>);
    let ids_of = |r: &Parsed| [Some(r.0), None];
    loader.rows(
        table,
        &parse,
        ids_of,
        &mut |loader, keys, line, (person, values): Parsed| {
            let node = loader
                .node(person, keys)
                .map_err(|e| graph_error(path, line, e))?;
            let slot = node.index();
            if slot >= seen.len() {
                seen.resize(slot + 1, false);
            }
            if seen[slot] {
                repeated += 1;
            }
            seen[slot] = true;
            cells.extend(values.into_iter().map(|(a, v)| (node.0, a, v)));
            Ok(Ok(()))
        },
    )?;

    // Keep the last value of every (person, column); the sort is stable, so "last" is file order.
    cells.par_sort_by_key(|&(node, a, _)| (node, a));
    let mut cells = cells.into_iter().peekable();
    while let Some((node, a, value)) = cells.next() {
        if cells.peek().is_some_and(|&(n, b, _)| (n, b) == (node, a)) {
            continue;
        }
        if let Some((_, name)) = attributes.get(a as usize) {
            loader.builder.set_attribute(NodeId(node), name, &value);
        }
    }
    if repeated > 0 {
        let rows = if repeated == 1 {
            "row repeats"
        } else {
            "rows repeat"
        };
        loader.note(format!(
            "{}: {repeated} {rows} a person listed earlier; later non-empty values replace \
             earlier ones",
            file_name(path)
        ));
    }
    Ok(())
}
