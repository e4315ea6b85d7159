//! The Bot API 8.1 description next to the current schema: which current
//! types gained required fields since 8.1, and how far each 8.1 type is
//! from one of them.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use botapi_codegen::schema::{Schema, TypeExpr};
use serde_json::{json, Value};

/// Where the older specs are; see its README.md.
pub(crate) fn upstream() -> PathBuf {
    std::env::var_os("BOTAPI_UPSTREAM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/upstream"))
}

fn schema() -> Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/api.json");
    botapi_codegen::schema::load::load_file(&path)
        .expect("schema/api.json")
        .schema
}

/// Named types one level inside a type expression of the schema.
pub(crate) fn named_in(e: &TypeExpr, out: &mut Vec<String>) {
    match e {
        TypeExpr::Named(n) => out.push(n.clone()),
        TypeExpr::Array(inner) => named_in(inner, out),
        TypeExpr::Or(alts) => alts.iter().for_each(|a| named_in(a, out)),
        _ => {}
    }
}

pub(crate) fn expr(src: &str) -> TypeExpr {
    TypeExpr::parse(src).unwrap_or_else(|e| panic!("type `{src}`: {}", e.message))
}

/// Named types inside a type_info of the 8.1 spec.
pub(crate) fn old_named_in(ti: &Value, out: &mut Vec<String>) {
    match ti["type"].as_str() {
        Some("reference") => out.push(ti["reference"].as_str().expect("reference").into()),
        Some("array") => old_named_in(&ti["array"], out),
        Some("any_of") => ti["any_of"]
            .as_array()
            .expect("any_of")
            .iter()
            .for_each(|t| old_named_in(t, out)),
        _ => {}
    }
}

/// The Bot API 8.1 description (ark0f's custom_v2 format).
pub(crate) struct Old {
    objects: HashMap<String, Value>,
    pub(crate) methods: HashMap<String, Value>,
}

impl Old {
    fn load(path: &Path) -> Old {
        let text = std::fs::read_to_string(path).expect("read the 8.1 spec");
        let v: Value = serde_json::from_str(&text).expect("the 8.1 spec is JSON");
        assert_eq!(v["version"]["major"], 8, "expected Bot API 8.x");
        let by_name = |key: &str| -> HashMap<String, Value> {
            v[key]
                .as_array()
                .expect(key)
                .iter()
                .map(|o| (o["name"].as_str().expect("name").to_string(), o.clone()))
                .collect()
        };
        Old {
            objects: by_name("objects"),
            methods: by_name("methods"),
        }
    }

    pub(crate) fn props(&self, name: &str) -> Option<&Vec<Value>> {
        let o = self.objects.get(name)?;
        (o["type"] == "properties").then(|| o["properties"].as_array().expect("properties"))
    }

    pub(crate) fn variants(&self, name: &str) -> Option<Vec<String>> {
        let o = self.objects.get(name)?;
        (o["type"] == "any_of").then(|| {
            let mut out = Vec::new();
            old_named_in(o, &mut out);
            out
        })
    }

    /// Types a value of `name` holds directly (fields or union members).
    fn children(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(props) = self.props(name) {
            props
                .iter()
                .for_each(|p| old_named_in(&p["type_info"], &mut out));
        }
        out.extend(self.variants(name).unwrap_or_default());
        out
    }
}

/// Deepest nesting of objects in a synthesized reply, counted from its root.
pub(crate) const MAX_DEPTH: usize = 7;

pub(crate) struct Model {
    pub(crate) schema: Schema,
    pub(crate) old: Old,
    /// 8.1 type name -> its current name.
    pub(crate) to_new: HashMap<String, String>,
    /// Current types with required fields absent from them in 8.1.
    pub(crate) gained: BTreeMap<String, Vec<String>>,
    /// 8.1 type name -> fewest objects between it and a type of `gained`.
    pub(crate) dist: HashMap<String, usize>,
    /// Current variant type -> its tag (key, value).
    pub(crate) tags: HashMap<String, (String, Value)>,
    /// Objects of a `gained` type synthesized so far.
    pub(crate) emitted: Cell<usize>,
}

impl Model {
    pub(crate) fn load(old_path: &Path) -> Model {
        let schema = schema();
        let old = Old::load(old_path);
        let (mut to_old, mut to_new) = (HashMap::new(), HashMap::new());
        for t in &schema.types {
            let names = std::iter::once(&t.name).chain(t.renamed_from.iter().map(|r| &r.name));
            if let Some(n) = names.into_iter().find(|n| old.objects.contains_key(*n)) {
                to_old.insert(t.name.clone(), n.clone());
                to_new.insert(n.clone(), t.name.clone());
            }
        }
        let mut gained = BTreeMap::new();
        for t in &schema.types {
            let (Some(fields), Some(props)) =
                (&t.fields, to_old.get(&t.name).and_then(|n| old.props(n)))
            else {
                continue;
            };
            let had: BTreeSet<&str> = props.iter().filter_map(|p| p["name"].as_str()).collect();
            let new: Vec<String> = fields
                .iter()
                .filter(|f| f.required && !had.contains(f.name.as_str()))
                .map(|f| f.name.clone())
                .collect();
            if !new.is_empty() {
                gained.insert(t.name.clone(), new);
            }
        }
        // Distances in the 8.1 graph: objects count one, union members none.
        let mut dist: HashMap<String, usize> = gained
            .keys()
            .filter_map(|n| to_old.get(n))
            .map(|n| (n.clone(), 0))
            .collect();
        loop {
            let mut changed = false;
            for name in old.objects.keys() {
                let step = usize::from(old.props(name).is_some());
                let best = old
                    .children(name)
                    .iter()
                    .filter_map(|c| dist.get(c))
                    .map(|d| d + step)
                    .min();
                if let Some(b) = best {
                    if dist.get(name).is_none_or(|d| b < *d) {
                        dist.insert(name.clone(), b);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let mut tags = HashMap::new();
        for t in &schema.types {
            let Some(u) = &t.union else { continue };
            let Some(key) = &u.discriminator else {
                continue;
            };
            for v in u.variants.iter().filter(|v| !v.fallback) {
                let value = v.value.clone().unwrap_or_default();
                let numeric = schema
                    .type_def(&v.ty)
                    .and_then(|d| d.fields.as_ref())
                    .and_then(|fs| fs.iter().find(|f| &f.name == key))
                    .is_some_and(|f| f.ty == "Integer");
                let value = match (numeric, value.parse::<i64>()) {
                    (true, Ok(n)) => json!(n),
                    _ => json!(value),
                };
                tags.entry(v.ty.clone()).or_insert((key.clone(), value));
            }
        }
        Model {
            schema,
            old,
            to_new,
            gained,
            dist,
            tags,
            emitted: Cell::new(0),
        }
    }

    /// Does a value of this current type expression reach a type of
    /// `gained`, in the current schema?
    pub(crate) fn reaches(&self, e: &TypeExpr, memo: &mut HashMap<String, Option<bool>>) -> bool {
        let mut names = Vec::new();
        named_in(e, &mut names);
        names.iter().any(|n| self.reaches_named(n, memo))
    }

    fn reaches_named(&self, name: &str, memo: &mut HashMap<String, Option<bool>>) -> bool {
        if self.gained.contains_key(name) {
            return true;
        }
        match memo.get(name) {
            Some(Some(r)) => return *r,
            Some(None) => return false, // on the current path
            None => {}
        }
        memo.insert(name.to_string(), None);
        let t = self.schema.type_def(name).expect("a schema type");
        let mut inner: Vec<String> = Vec::new();
        for f in t.fields.iter().flatten() {
            named_in(&expr(&f.ty), &mut inner);
        }
        for v in t.union.iter().flat_map(|u| &u.variants) {
            named_in(&expr(&v.ty), &mut inner);
        }
        let r = inner.iter().any(|n| self.reaches_named(n, memo));
        memo.insert(name.to_string(), Some(r));
        r
    }

    /// Least distance from any named type in `ti` (8.1) to a gained type.
    pub(crate) fn old_dist(&self, ti: &Value) -> Option<usize> {
        let mut names = Vec::new();
        old_named_in(ti, &mut names);
        names.iter().filter_map(|n| self.dist.get(n)).min().copied()
    }
}
