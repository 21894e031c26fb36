//! Conversions between contextivity's CSR and petgraph's graph types, for library users who
//! already hold a petgraph graph or want petgraph's algorithms on ours.

use petgraph::graph::{DiGraph, NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;
use petgraph::EdgeType;

use crate::csr::{BuildOptions, Csr, EdgeList};
use crate::error::GraphError;
use crate::view::UndirectedGraph;

/// A directed petgraph graph with one edge per CSR entry (node weights are the node ids).
pub fn to_digraph(csr: &Csr) -> DiGraph<u32, f32> {
    let mut g = DiGraph::with_capacity(csr.node_count(), csr.entry_count());
    for u in 0..csr.node_count() {
        g.add_node(u as u32);
    }
    for (u, v, w) in csr.iter() {
        g.add_edge(NodeIndex::new(u as usize), NodeIndex::new(v as usize), w);
    }
    g
}

/// An undirected petgraph graph with one edge per undirected pair of `graph`.
pub fn to_ungraph(graph: &UndirectedGraph) -> UnGraph<u32, f32> {
    let csr = graph.csr();
    let mut g = UnGraph::with_capacity(csr.node_count(), graph.edge_count());
    for u in 0..csr.node_count() {
        g.add_node(u as u32);
    }
    for (u, v, w) in csr.iter() {
        if u < v {
            g.add_edge(NodeIndex::new(u as usize), NodeIndex::new(v as usize), w);
        }
    }
    g
}

/// A CSR from any petgraph graph whose edge weights convert to `f32` (node indices become ids;
/// an undirected graph is stored in both directions; parallel edges are summed).
pub fn from_petgraph<N, E, Ty>(graph: &petgraph::Graph<N, E, Ty>) -> Result<Csr, GraphError>
where
    E: Copy + Into<f64>,
    Ty: EdgeType,
{
    let mut edges = EdgeList::new();
    for e in graph.edge_references() {
        let w: f64 = (*e.weight()).into();
        edges.push(
            e.source().index() as u32,
            e.target().index() as u32,
            w as f32,
        );
    }
    let options = BuildOptions {
        symmetric: !Ty::is_directed(),
        keep_self_loops: true,
    };
    Ok(Csr::from_edges(graph.node_count(), &edges, options)?.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_petgraph() {
        let mut edges = EdgeList::new();
        edges.push(0, 1, 1.0);
        edges.push(1, 2, 2.0);
        let view = UndirectedGraph::from_edges(3, &edges).unwrap();
        let g = to_ungraph(&view);
        assert_eq!(g.edge_count(), 2);
        assert_eq!(petgraph::algo::connected_components(&g), 1);
        let back = from_petgraph(&g).unwrap();
        assert_eq!(&back, view.csr());
        let d = to_digraph(view.csr());
        assert_eq!(d.edge_count(), 4);
        assert_eq!(&from_petgraph(&d).unwrap(), view.csr());
    }
}
