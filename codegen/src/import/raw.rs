//! The upstream description as read from either format, before it becomes
//! our schema: names, doc-style type strings, required flags and the prose
//! (kept only long enough to mine facts from it, never written out).

/// A parameter or field as upstream states it.
#[derive(Debug, Clone)]
pub struct RawField {
    /// Wire name.
    pub name: String,
    /// Type in our grammar (`Integer or String`, `Array of (A or B)`).
    pub ty: String,
    /// Required flag.
    pub required: bool,
    /// Upstream prose, for mining only.
    pub prose: String,
    /// The same prose with its markup kept (quotes, italics, emoji), where
    /// the format has a second rendering that keeps what `prose` loses
    /// (aiogram's `rst_description`); empty otherwise. For mining value
    /// lists only.
    pub markup: String,
}

/// A type as upstream states it.
#[derive(Debug, Clone)]
pub struct RawType {
    /// Official name.
    pub name: String,
    /// Doc anchor with `#`.
    pub anchor: String,
    /// Fields of an object (`None` for a union).
    pub fields: Option<Vec<RawField>>,
    /// Variant type names of a union.
    pub variants: Option<Vec<String>>,
    /// Upstream prose of the type, for mining only (rules across fields).
    pub prose: String,
}

/// A method as upstream states it.
#[derive(Debug, Clone)]
pub struct RawMethod {
    /// Wire name.
    pub name: String,
    /// Doc anchor with `#`.
    pub anchor: String,
    /// Return type in our grammar.
    pub returns: String,
    /// Parameters.
    pub params: Vec<RawField>,
    /// Upstream prose of the method, for mining only (upload limits).
    pub prose: String,
}

/// A whole upstream description.
#[derive(Debug, Clone)]
pub struct RawApi {
    /// Which format it came from.
    pub format: &'static str,
    /// Version (`10.2`).
    pub version: String,
    /// Release date, `YYYY-MM-DD`.
    pub release_date: String,
    /// Methods in doc order.
    pub methods: Vec<RawMethod>,
    /// Types in doc order.
    pub types: Vec<RawType>,
}

/// Normalize a doc-style type string to our grammar: `Int` -> `Integer`,
/// `Array of A, B and C` -> `Array of (A or B or C)`.
pub fn normalize_type(doc: &str) -> String {
    let doc = doc.trim();
    if let Some(rest) = doc.strip_prefix("Array of ") {
        if rest.contains(',') || rest.contains(" and ") || rest.contains(" or ") {
            let alts: Vec<String> = rest
                .split([','])
                .flat_map(|s| s.split(" and "))
                .flat_map(|s| s.split(" or "))
                .map(|s| normalize_type(s.trim()))
                .filter(|s| !s.is_empty())
                .collect();
            return format!("Array of ({})", alts.join(" or "));
        }
        return format!("Array of {}", normalize_type(rest));
    }
    if doc.contains(" or ") {
        return doc
            .split(" or ")
            .map(normalize_type)
            .collect::<Vec<_>>()
            .join(" or ");
    }
    match doc {
        "Int" | "Integer number" => "Integer".into(),
        "Float number" => "Float".into(),
        "Bool" => "Boolean".into(),
        other => other.to_string(),
    }
}

/// Join alternatives given as a list (`["Array of A", "Array of B"]`).
pub fn join_alternatives(types: &[String]) -> String {
    let norm: Vec<String> = types.iter().map(|t| normalize_type(t)).collect();
    if norm.len() > 1 && norm.iter().all(|t| t.starts_with("Array of ")) {
        let inner: Vec<&str> = norm.iter().map(|t| &t["Array of ".len()..]).collect();
        return format!("Array of ({})", inner.join(" or "));
    }
    norm.join(" or ")
}

/// `June 11, 2026` -> `2026-06-11`; already ISO dates pass through.
pub fn iso_date(s: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = s.split([' ', ',']).filter(|p| !p.is_empty()).collect();
    if let [month, day, year] = parts.as_slice() {
        if let (Some(m), Ok(d)) = (MONTHS.iter().position(|x| x == month), day.parse::<u32>()) {
            return format!("{year}-{:02}-{d:02}", m + 1);
        }
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_types() {
        assert_eq!(
            normalize_type("Array of A, B and C"),
            "Array of (A or B or C)"
        );
        assert_eq!(normalize_type("Integer or String"), "Integer or String");
        assert_eq!(
            normalize_type("Array of Array of PhotoSize"),
            "Array of Array of PhotoSize"
        );
        assert_eq!(
            join_alternatives(&["Array of A".into(), "Array of B".into()]),
            "Array of (A or B)"
        );
        assert_eq!(
            join_alternatives(&["Int".into(), "String".into()]),
            "Integer or String"
        );
        assert_eq!(iso_date("June 11, 2026"), "2026-06-11");
        assert_eq!(iso_date("2026-07-14"), "2026-07-14");
    }
}
