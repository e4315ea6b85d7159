//! Facts about how types hold each other, computed once for lowering: which
//! types are received (reachable from a method's result), which reach which
//! without an array between (recursion needs a `Box`), and a rough size of
//! each type if nothing were boxed (big values are boxed too).

use std::collections::{BTreeMap, BTreeSet};

use crate::check::{Checked, CheckedType, Ty};

/// The holding graph of a checked schema.
pub struct Graph {
    /// Named types a type holds directly (not through an array).
    edges: BTreeMap<String, BTreeSet<String>>,
    /// Types reachable from a method's result.
    pub received: BTreeSet<String>,
    /// Estimated in-memory size of each type if nothing were boxed.
    pub sizes: BTreeMap<String, usize>,
}

/// Every type a checked type refers to, with the resolved type of each use.
fn uses<'t>(t: &'t CheckedType) -> Vec<&'t Ty> {
    t.fields
        .iter()
        .map(|f| &f.ty)
        .chain(t.variants.iter().map(|v| &v.ty))
        .collect()
}

impl Graph {
    /// Compute the graph of `c`.
    pub fn new(c: &Checked) -> Graph {
        let mut edges = BTreeMap::new();
        for t in &c.types {
            let direct = uses(t)
                .into_iter()
                .filter_map(|ty| match ty {
                    Ty::Named(n) => Some(n.clone()),
                    _ => None,
                })
                .collect();
            edges.insert(t.def.name.clone(), direct);
        }
        let mut g = Graph {
            edges,
            received: received(c),
            sizes: BTreeMap::new(),
        };
        for t in &c.types {
            let size = g.estimate(c, &t.def.name, &mut BTreeSet::new());
            g.sizes.insert(t.def.name.clone(), size);
        }
        g
    }

    /// Does `from` reach `to` through non-array edges?
    pub fn reaches(&self, from: &str, to: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_string()];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                if let Some(next) = self.edges.get(&n) {
                    stack.extend(next.iter().cloned());
                }
            }
        }
        false
    }

    /// Rough size in bytes of a type whose nested values are stored inline
    /// (a type already being measured counts as a pointer).
    fn estimate(&self, c: &Checked, name: &str, busy: &mut BTreeSet<String>) -> usize {
        if let Some(s) = self.sizes.get(name) {
            return *s;
        }
        let Some(t) = c.type_named(name) else {
            return 8;
        };
        if !busy.insert(name.to_string()) {
            return 8;
        }
        let ty_size = |g: &Self, ty: &Ty, busy: &mut BTreeSet<String>| -> usize {
            match ty {
                Ty::Integer | Ty::Float => 8,
                Ty::Bool => 1,
                Ty::String | Ty::Array(_) => 24,
                Ty::InputFile => 48,
                // A synthetic union (an `X or Y`) counted as before: small.
                Ty::Named(n) if c.type_named(n).is_some_and(|t| t.def.synthetic) => 32,
                Ty::Named(n) => g.estimate(c, n, busy),
            }
        };
        let size = if t.def.fields.is_some() {
            t.fields
                .iter()
                .map(|f| {
                    let inner = ty_size(self, &f.ty, busy);
                    let niche = matches!(f.ty, Ty::String | Ty::Array(_));
                    if f.def.required || niche {
                        inner
                    } else {
                        inner + 8
                    }
                })
                .sum()
        } else if t.def.union.is_some() {
            8 + t
                .variants
                .iter()
                .map(|v| ty_size(self, &v.ty, busy))
                .max()
                .unwrap_or(0)
                .max(32)
        } else {
            0
        };
        busy.remove(name);
        size
    }
}

/// Types reachable from any method's result.
fn received(c: &Checked) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    // A result written `X or Y` counts its alternatives, not the synthetic
    // union naming them (a method's result is read as one of them).
    let mut stack: Vec<String> = Vec::new();
    for name in c.methods.iter().filter_map(|m| m.returns.named()) {
        match c.type_named(name) {
            Some(t) if t.def.synthetic => stack.extend(
                t.variants
                    .iter()
                    .filter_map(|v| v.ty.named().map(str::to_string)),
            ),
            _ => stack.push(name.to_string()),
        }
    }
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(t) = c.type_named(&name) {
            stack.extend(
                uses(t)
                    .into_iter()
                    .filter_map(|ty| ty.named().map(str::to_string)),
            );
        }
    }
    seen
}
