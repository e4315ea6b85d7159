//! The schema as written: the serde model, type expressions and the loader
//! that turns a file into a model or a list of located diagnostics.

pub mod compat;
pub mod load;
pub mod marks;
pub mod model;
pub mod type_expr;

pub use model::*;
pub use type_expr::TypeExpr;
