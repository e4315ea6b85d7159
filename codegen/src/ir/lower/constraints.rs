//! A field's constraints in the units the validator checks: ranges by the
//! leaf type (integer or float), lengths with their unit and the sibling
//! that switches them off, item counts, allowed values, upload size.

use crate::check::Ty;
use crate::ir::{Constraints, Length};
use crate::schema::{Field, LenUnit};

/// The constraints of `f`, whose resolved type is `ty`; `skip_if_set` is the
/// Rust name of the sibling named by `len_parsed_with`.
pub fn of(f: &Field, ty: &Ty, skip_if_set: Option<String>) -> Constraints {
    let bound =
        |lo: Option<f64>, hi: Option<f64>| (lo.is_some() || hi.is_some()).then_some((lo, hi));
    let mut c = Constraints {
        items: (f.min_items.is_some() || f.max_items.is_some())
            .then_some((f.min_items, f.max_items)),
        allowed: f.allowed.clone(),
        max_upload: f.max_upload,
        ..Constraints::default()
    };
    match ty.leaf() {
        Ty::Integer => {
            c.int_range =
                bound(f.min, f.max).map(|(a, b)| (a.map(|x| x as i64), b.map(|x| x as i64)))
        }
        Ty::Float => c.float_range = bound(f.min, f.max),
        _ => {}
    }
    if f.min_len.is_some() || f.max_len.is_some() {
        c.len = Some(Length {
            min: f.min_len,
            max: f.max_len,
            bytes: f.len_unit == Some(LenUnit::Bytes),
            skip_if_set,
        });
    }
    c
}
