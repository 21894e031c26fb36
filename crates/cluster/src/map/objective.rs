//! The two-level map equation and the exact change in codelength of one move.
//!
//! For a partition `M` of the nodes into modules `i`, with node visit rates `p_α`, module flow
//! `p_i = Σ_{α∈i} p_α`, module exit flow `q_i↷` and enter flow `q_i↶` (flow on links leaving and
//! entering `i`), the two-level map equation (Rosvall & Bergstrom, PNAS 2008) in bits is
//!
//! ```text
//! L(M) = q↶ H(Q) + Σ_i p_i↻ H(P_i)
//!      = plogp(Σ_i q_i↶) − Σ_i plogp(q_i↶)              (index codebook)
//!        − Σ_i plogp(q_i↷) − Σ_α plogp(p_α) + Σ_i plogp(q_i↷ + p_i)   (module codebooks)
//! ```
//!
//! with `plogp(x) = x log₂ x`. For undirected flow `q_i↶ = q_i↷ = q_i` and this is the familiar
//! `plogp(q) − 2 Σ plogp(q_i) − Σ plogp(p_α) + Σ plogp(q_i + p_i)`. With a single module there is
//! no exit flow and `L` is the entropy of the visit rates, the one-level codelength.
//!
//! Moving node `u` (flow `p`, exit `e`, enter `n`) from module `a` to module `b`, where `o_x` is
//! the flow from `u` into `x ∖ {u}` and `i_x` the flow from `x ∖ {u}` into `u`, changes
//!
//! ```text
//! q_a↷' = q_a↷ − (e − o_a) + i_a      q_a↶' = q_a↶ − (n − i_a) + o_a      p_a' = p_a − p
//! q_b↷' = q_b↷ + (e − o_b) − i_b      q_b↶' = q_b↶ + (n − i_b) − o_b      p_b' = p_b + p
//! ```
//!
//! so the change in `L` touches a constant number of terms: `O(1)` per candidate module once
//! the flows `o_x`, `i_x` are gathered (`O(degree)`).

/// `x log₂ x`, with `plogp(0) = 0`; negative rounding residue counts as 0.
#[inline]
pub fn plogp(x: f64) -> f64 {
    if x > 0.0 {
        x * x.log2()
    } else {
        0.0
    }
}

/// One module's flow totals and its cached contribution to `L`, kept together so that
/// evaluating a candidate module touches one cache line.
#[derive(Clone, Copy, Debug, Default)]
#[repr(C, align(32))]
pub(crate) struct ModuleRec {
    flow: f64,
    exit: f64,
    enter: f64,
    terms: f64,
}

/// Flow totals of every module plus the cached terms of the map equation they feed.
#[derive(Clone, Debug)]
pub(crate) struct Modules {
    rec: Vec<ModuleRec>,
    /// Number of member nodes (at the current level).
    size: Vec<u32>,
    /// `Σ_i q_i↶`.
    sum_enter: f64,
    /// `plogp(Σ_i q_i↶)`.
    plogp_sum_enter: f64,
    /// `log₂(Σ_i q_i↶) + 1/ln 2`, the slope of `plogp` there.
    slope_sum_enter: f64,
    /// Whether enter and exit flow are tracked separately.
    directed: bool,
}

/// The flow-dependent numbers of one module after a hypothetical move.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ModuleState {
    pub flow: f64,
    pub exit: f64,
    pub enter: f64,
}

/// What one node brings to a move: its own flow totals.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NodeFlow {
    pub flow: f64,
    pub exit: f64,
    pub enter: f64,
}

/// The contribution of one module to `L` (without the constant node term and the index total).
#[inline]
fn module_terms(s: ModuleState, directed: bool) -> f64 {
    if directed {
        -plogp(s.enter) - plogp(s.exit) + plogp(s.exit + s.flow)
    } else {
        -2.0 * plogp(s.exit) + plogp(s.exit + s.flow)
    }
}

/// The part of a move's codelength change that depends only on the module left behind.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Leaving {
    /// Change of the index total `Σ q↶`.
    enter_change: f64,
    /// Change of the left module's terms.
    terms_change: f64,
}

impl Modules {
    /// Totals of modules, with cached terms; `directed` selects separate enter and exit flow.
    pub fn new(
        flow: Vec<f64>,
        exit: Vec<f64>,
        enter: Vec<f64>,
        size: Vec<u32>,
        directed: bool,
    ) -> Self {
        let rec = (0..flow.len())
            .map(|m| {
                let s = ModuleState {
                    flow: flow[m],
                    exit: exit[m],
                    enter: enter[m],
                };
                ModuleRec {
                    flow: s.flow,
                    exit: s.exit,
                    enter: s.enter,
                    terms: module_terms(s, directed),
                }
            })
            .collect();
        let mut m = Modules {
            rec,
            size,
            sum_enter: 0.0,
            plogp_sum_enter: 0.0,
            slope_sum_enter: 0.0,
            directed,
        };
        m.set_sum_enter(enter.iter().sum());
        m
    }

    fn set_sum_enter(&mut self, sum: f64) {
        self.sum_enter = sum;
        self.plogp_sum_enter = plogp(sum);
        self.slope_sum_enter = if sum > 0.0 {
            sum.log2() + std::f64::consts::LOG2_E
        } else {
            0.0
        };
    }

    /// `plogp(Σ q↶ + d) − plogp(Σ q↶)`: a third-order Taylor expansion when `d` is tiny
    /// relative to the sum (error below 1e-18 bits), else exact.
    #[inline]
    fn index_change(&self, d: f64) -> f64 {
        let s = self.sum_enter;
        if s > 0.0 && d.abs() < 1e-5 * s {
            let r = d / s;
            d * self.slope_sum_enter + std::f64::consts::LOG2_E * d * r * (0.5 - r / 6.0)
        } else {
            plogp(s + d) - self.plogp_sum_enter
        }
    }

    /// The current state of module `m`.
    #[inline]
    pub fn state(&self, m: usize) -> ModuleState {
        let r = &self.rec[m];
        ModuleState {
            flow: r.flow,
            exit: r.exit,
            enter: r.enter,
        }
    }

    /// Number of modules (including emptied ones).
    pub fn len(&self) -> usize {
        self.rec.len()
    }

    /// Module `a` without node `u`; empty exactly when `u` was its last member.
    #[inline]
    pub fn without(&self, a: usize, u: NodeFlow, out_a: f64, in_a: f64) -> ModuleState {
        if self.size[a] <= 1 {
            return ModuleState::default();
        }
        let r = &self.rec[a];
        let exit = (r.exit - (u.exit - out_a) + in_a).max(0.0);
        ModuleState {
            flow: (r.flow - u.flow).max(0.0),
            exit,
            enter: if self.directed {
                (r.enter - (u.enter - in_a) + out_a).max(0.0)
            } else {
                exit
            },
        }
    }

    /// Module `b` with node `u` added.
    #[inline]
    pub fn with(&self, b: usize, u: NodeFlow, out_b: f64, in_b: f64) -> ModuleState {
        self.with_rec(&self.rec[b], u, out_b, in_b)
    }

    /// The module recorded in `r` with node `u` added.
    #[inline]
    pub fn with_rec(&self, r: &ModuleRec, u: NodeFlow, out_b: f64, in_b: f64) -> ModuleState {
        let exit = (r.exit + (u.exit - out_b) - in_b).max(0.0);
        ModuleState {
            flow: r.flow + u.flow,
            exit,
            enter: if self.directed {
                (r.enter + (u.enter - in_b) - out_b).max(0.0)
            } else {
                exit
            },
        }
    }

    /// Copies the records of `keys` into `out`, in order. Gathering them in one tight loop lets
    /// the processor overlap the cache misses that evaluating candidates one by one would serialise.
    #[inline]
    pub fn gather(&self, keys: impl Iterator<Item = u32>, out: &mut Vec<ModuleRec>) {
        out.clear();
        out.extend(keys.map(|k| self.rec[k as usize]));
    }

    /// The part of a move's change contributed by module `a` becoming `a_new`.
    #[inline]
    pub fn leaving(&self, a: usize, a_new: ModuleState) -> Leaving {
        Leaving {
            enter_change: a_new.enter - self.rec[a].enter,
            terms_change: module_terms(a_new, self.directed) - self.rec[a].terms,
        }
    }

    /// The change in `L` when the left module changes as in `leaving` and `b` becomes `b_new`:
    /// two logarithms per candidate for undirected flow.
    #[inline]
    pub fn delta_to(&self, leaving: Leaving, b: usize, b_new: ModuleState) -> f64 {
        self.delta_to_rec(leaving, &self.rec[b], b_new)
    }

    /// [`Modules::delta_to`] for the module recorded in `r`.
    #[inline]
    pub fn delta_to_rec(&self, leaving: Leaving, r: &ModuleRec, b_new: ModuleState) -> f64 {
        self.index_change(leaving.enter_change + (b_new.enter - r.enter))
            + leaving.terms_change
            + (module_terms(b_new, self.directed) - r.terms)
    }

    /// The change in `L` when module `a` becomes `a_new` and `b` becomes `b_new`.
    #[inline]
    pub fn delta(&self, a: usize, a_new: ModuleState, b: usize, b_new: ModuleState) -> f64 {
        self.delta_to(self.leaving(a, a_new), b, b_new)
    }

    /// Moves node `u` from `a` to `b`, given the states computed for the move.
    pub fn apply(&mut self, a: usize, a_new: ModuleState, b: usize, b_new: ModuleState) {
        let sum =
            self.sum_enter + (a_new.enter - self.rec[a].enter) + (b_new.enter - self.rec[b].enter);
        self.set_sum_enter(sum);
        for (m, s) in [(a, a_new), (b, b_new)] {
            self.rec[m] = ModuleRec {
                flow: s.flow,
                exit: s.exit,
                enter: s.enter,
                terms: module_terms(s, self.directed),
            };
        }
        self.size[a] -= 1;
        self.size[b] += 1;
    }

    /// The codelength `L` of the current modules, given `Σ_α plogp(p_α)` over the original nodes,
    /// recomputed from the module totals (not from the cached terms).
    pub fn codelength(&self, node_term: f64) -> f64 {
        let sum_enter: f64 = self.rec.iter().map(|r| r.enter).sum();
        let modules: f64 = (0..self.rec.len())
            .map(|m| module_terms(self.state(m), self.directed))
            .sum();
        plogp(sum_enter) + modules - node_term
    }
}

/// Module totals of the partition `module` (dense ids `0..k`) of `graph`; `O(m)`, parallel over
/// nodes, summed per module in node order (deterministic).
pub(crate) fn module_stats(
    graph: &super::flow::FlowGraph<'_>,
    module: &[u32],
    k: usize,
) -> Modules {
    use rayon::prelude::*;
    let cut: Vec<(f64, f64)> = (0..graph.node_count())
        .into_par_iter()
        .with_min_len(256)
        .map(|u| {
            let mu = module[u];
            let (mut out, mut inn) = (0.0, 0.0);
            graph.for_each_arc(u, |v, fo, fi| {
                if module[v as usize] != mu {
                    out += fo;
                    inn += fi;
                }
            });
            (out, inn)
        })
        .collect();
    let mut flow = vec![0.0; k];
    let mut exit = vec![0.0; k];
    let mut enter = vec![0.0; k];
    let mut size = vec![0; k];
    for (u, &c) in module.iter().enumerate() {
        let c = c as usize;
        flow[c] += graph.node_flow[u];
        exit[c] += cut[u].0;
        enter[c] += cut[u].1;
        size[c] += 1;
    }
    Modules::new(flow, exit, enter, size, graph.is_directed())
}

/// Singleton modules: every node of `graph` alone, `O(n)`.
pub(crate) fn singleton_stats(graph: &super::flow::FlowGraph<'_>) -> Modules {
    Modules::new(
        graph.node_flow.clone(),
        graph.node_exit.clone(),
        graph.node_enter.clone(),
        vec![1; graph.node_count()],
        graph.is_directed(),
    )
}
