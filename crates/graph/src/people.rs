//! What is known about people beyond their ties: handle, name, bio, follower count and any other
//! attribute an export carries (profile features, node attributes of GML/GraphML/GEXF, extra CSV
//! columns).
//!
//! Attributes are sparse columns of `(node, value)` pairs sorted by node: most exports describe
//! few people or few fields, and a graph of a million people without profiles should not pay for
//! a million empty slots. A person may hold several values of one column (two schools).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ids::NodeId;

/// Column name of the display handle.
pub const HANDLE: &str = "handle";
/// Column name of the display name.
pub const NAME: &str = "name";
/// Column name of the profile text.
pub const BIO: &str = "bio";
/// Column name of the follower count reported by the platform (not the follows in the export).
pub const FOLLOWERS_COUNT: &str = "followers_count";

/// One attribute: `(node, value)` pairs sorted by node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeColumn {
    nodes: Vec<u32>,
    values: Vec<Box<str>>,
}

impl AttributeColumn {
    /// The values `node` holds in this column.
    pub fn get(&self, node: NodeId) -> impl Iterator<Item = &str> + '_ {
        let start = self.nodes.partition_point(|&n| n < node.0);
        let end = self.nodes.partition_point(|&n| n <= node.0);
        self.values[start..end].iter().map(|v| &**v)
    }

    /// The first value `node` holds, if any.
    pub fn first(&self, node: NodeId) -> Option<&str> {
        self.get(node).next()
    }

    /// Every `(node, value)` pair, sorted by node.
    pub fn iter(&self) -> impl Iterator<Item = (NodeId, &str)> + '_ {
        self.nodes
            .iter()
            .zip(&self.values)
            .map(|(&n, v)| (NodeId(n), &**v))
    }

    /// Number of `(node, value)` pairs.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the column holds nothing.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// All person attributes by column name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct People {
    columns: BTreeMap<String, AttributeColumn>,
}

impl People {
    /// Builds the columns from unsorted `(column, node, value)` triples; pairs keep their input
    /// order within one node.
    pub fn from_triples(mut triples: Vec<(String, u32, Box<str>)>) -> Self {
        triples.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut columns: BTreeMap<String, AttributeColumn> = BTreeMap::new();
        for (name, node, value) in triples {
            let col = columns.entry(name).or_default();
            col.nodes.push(node);
            col.values.push(value);
        }
        People { columns }
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&AttributeColumn> {
        self.columns.get(name)
    }

    /// All column names, sorted.
    pub fn column_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.columns.keys().map(|k| k.as_str())
    }

    /// All columns by name.
    pub fn columns(&self) -> &BTreeMap<String, AttributeColumn> {
        &self.columns
    }

    /// The first value of `column` for `node`.
    pub fn get(&self, column: &str, node: NodeId) -> Option<&str> {
        self.columns.get(column).and_then(|c| c.first(node))
    }

    /// The handle of `node`, if the export gave one.
    pub fn handle(&self, node: NodeId) -> Option<&str> {
        self.get(HANDLE, node)
    }

    /// The bio of `node`, if the export gave one.
    pub fn bio(&self, node: NodeId) -> Option<&str> {
        self.get(BIO, node)
    }

    /// The platform's follower count of `node`, if the export gave a number.
    pub fn followers_count(&self, node: NodeId) -> Option<u64> {
        self.get(FOLLOWERS_COUNT, node)
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v >= 0.0)
            .map(|v| v as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_columns_answer_per_node() {
        let p = People::from_triples(vec![
            ("school".into(), 3, "b".into()),
            (BIO.into(), 1, "hello".into()),
            ("school".into(), 1, "x".into()),
            ("school".into(), 3, "a".into()),
            (FOLLOWERS_COUNT.into(), 3, "1200".into()),
        ]);
        assert_eq!(p.bio(NodeId(1)), Some("hello"));
        assert_eq!(p.bio(NodeId(3)), None);
        let schools: Vec<_> = p.column("school").unwrap().get(NodeId(3)).collect();
        assert_eq!(schools, vec!["b", "a"]);
        assert_eq!(p.followers_count(NodeId(3)), Some(1200));
        assert_eq!(
            p.column_names().collect::<Vec<_>>(),
            vec![BIO, FOLLOWERS_COUNT, "school"]
        );
    }
}
