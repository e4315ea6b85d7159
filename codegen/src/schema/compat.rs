//! Which facts of the schema a reply from an older server may lack: the
//! `compat_floor` says how far back replies must still decode, and `since`
//! dates each field, so a required field that arrived after the floor (and
//! after its type) may be missing from an older server's reply.

use super::model::{version_key, Field, Schema, TypeDef};

/// Is `v` later than `floor`? An undated item counts as old.
fn after(v: Option<&str>, floor: &str) -> bool {
    v.is_some_and(|v| version_key(v) > version_key(floor))
}

/// Can a reply from a server at the compatibility floor or later leave out
/// the required field `f` of `owner`? True when the field was first seen
/// after both the floor and its type.
pub fn may_be_absent(schema: &Schema, owner: &TypeDef, f: &Field) -> bool {
    let Some(floor) = schema.compat_floor.as_deref() else {
        return false;
    };
    let since = f.since.as_deref();
    f.required
        && after(since, floor)
        && owner
            .since
            .as_deref()
            .is_none_or(|t| since.is_some_and(|s| version_key(s) > version_key(t)))
}
