//! Replies synthesized from the 8.1 spec, shaped as 8.1 sends them, and
//! arguments for the requests that get them.

use botapi_codegen::schema::TypeExpr;
use serde_json::{json, Map, Value};

use crate::model::{expr, old_named_in, Model, MAX_DEPTH};

/// How to synthesize one 8.1 value.
#[derive(Clone, Copy)]
pub(crate) struct Mode {
    /// Objects above this one.
    pub(crate) depth: usize,
    /// Leave out every optional field.
    pub(crate) required_only: bool,
    /// The root of a reply whose type changed: send its optional scalar
    /// fields too, as that method did.
    pub(crate) root_scalars: bool,
}

impl Mode {
    /// The same place, required fields only.
    fn bare(self) -> Mode {
        Mode {
            required_only: true,
            ..self
        }
    }

    fn inner(self) -> Mode {
        Mode {
            depth: self.depth + 1,
            required_only: self.required_only || self.depth + 1 >= MAX_DEPTH,
            root_scalars: false,
        }
    }
}

impl Model {
    /// Values of a type_info of the 8.1 spec, shaped as 8.1 sends them: one
    /// per relevant union member (arrays hold all of them at once).
    pub(crate) fn old_value(&self, ti: &Value, mode: Mode, path: &mut Vec<String>) -> Vec<Value> {
        match ti["type"].as_str().expect("type") {
            "integer" => vec![ti.get("min").cloned().unwrap_or(json!(7))],
            "float" => vec![json!(1.5)],
            "bool" => vec![json!(true)],
            "string" => {
                let pick = ti["enumeration"]
                    .as_array()
                    .and_then(|e| e.first())
                    .or(ti.get("default"))
                    .cloned();
                vec![pick.unwrap_or(json!("text"))]
            }
            "reference" => self.old_named(ti["reference"].as_str().expect("ref"), mode, path),
            "array" => vec![Value::Array(self.old_value(&ti["array"], mode, path))],
            "any_of" => {
                let alts = ti["any_of"].as_array().expect("any_of");
                let relevant: Vec<&Value> = alts
                    .iter()
                    .filter(|a| !mode.required_only && self.old_dist(a).is_some())
                    .collect();
                match relevant.is_empty() {
                    true => self.old_value(&alts[0], mode.bare(), path),
                    false => relevant
                        .into_iter()
                        .flat_map(|a| self.old_value(a, mode, path))
                        .collect(),
                }
            }
            other => panic!("8.1 type_info {other}"),
        }
    }

    fn old_named(&self, name: &str, mode: Mode, path: &mut Vec<String>) -> Vec<Value> {
        assert!(path.len() < 40, "no end to {path:?}");
        if let Some(variants) = self.old.variants(name) {
            let relevant: Vec<&String> = variants
                .iter()
                .filter(|v| !mode.required_only && self.dist.contains_key(*v) && !path.contains(*v))
                .collect();
            path.push(name.to_string());
            let out = if relevant.is_empty() {
                self.old_named(&variants[0], mode.bare(), path)
            } else {
                relevant
                    .into_iter()
                    .flat_map(|v| self.old_named(v, mode, path))
                    .collect()
            };
            path.pop();
            return out;
        }
        let Some(props) = self.old.props(name) else {
            return vec![json!("AgACAgIAAxkBAAI")]; // InputFile and the like
        };
        let current = self.to_new.get(name);
        let tag = current.and_then(|c| self.tags.get(c));
        let exclusive = current
            .and_then(|c| self.schema.type_def(c))
            .is_some_and(|t| t.exclusive_optional.is_some());
        path.push(name.to_string());
        let mut required: Vec<(String, Vec<Value>)> = Vec::new();
        let mut optional: Vec<(String, Vec<Value>)> = Vec::new();
        for p in props {
            let key = p["name"].as_str().expect("name").to_string();
            let ti = &p["type_info"];
            if p["required"] == true {
                let values = match tag {
                    Some((k, v)) if *k == key => vec![v.clone()],
                    _ => self.old_value(ti, mode.inner(), path),
                };
                required.push((key, values));
                continue;
            }
            let scalar = matches!(
                ti["type"].as_str(),
                Some("integer" | "float" | "bool" | "string")
            );
            let mut inside = Vec::new();
            old_named_in(ti, &mut inside);
            let wanted = !mode.required_only
                && self
                    .old_dist(ti)
                    .is_some_and(|d| mode.depth + 1 + d < MAX_DEPTH)
                && !inside.iter().any(|n| path.contains(n));
            if mode.root_scalars && scalar {
                optional.push((key, self.old_value(ti, mode.inner(), path)));
            } else if wanted {
                // Kept only if it does hold a type that gained fields (the
                // way there may be cut by the depth or a cycle).
                let before = self.emitted.get();
                let values = self.old_value(ti, mode.inner(), path);
                if self.emitted.get() > before {
                    optional.push((key, values));
                }
            }
        }
        path.pop();
        if current.is_some_and(|c| self.gained.contains_key(c)) {
            self.emitted.set(self.emitted.get() + 1);
        }
        let zip = |parts: &[&(String, Vec<Value>)]| -> Vec<Value> {
            let n = parts.iter().map(|(_, v)| v.len()).max().unwrap_or(1);
            (0..n)
                .map(|i| {
                    let obj: Map<String, Value> = parts
                        .iter()
                        .map(|(k, v)| (k.clone(), v[i % v.len()].clone()))
                        .collect();
                    Value::Object(obj)
                })
                .collect()
        };
        if exclusive && !optional.is_empty() {
            // One kind per object (Update).
            optional
                .iter()
                .flat_map(|o| {
                    let parts: Vec<&(String, Vec<Value>)> =
                        required.iter().chain(std::iter::once(o)).collect();
                    zip(&parts)
                })
                .collect()
        } else {
            let parts: Vec<&(String, Vec<Value>)> = required.iter().chain(&optional).collect();
            zip(&parts)
        }
    }

    /// A value of a current type expression with its required parts only,
    /// for the arguments of a request.
    pub(crate) fn arg(&self, e: &TypeExpr, allowed: Option<&Vec<String>>) -> Value {
        match e {
            TypeExpr::Integer => json!(7),
            TypeExpr::Float => json!(1.5),
            TypeExpr::String => json!(allowed.and_then(|a| a.first()).map_or("text", |s| s)),
            TypeExpr::Boolean | TypeExpr::True => json!(true),
            TypeExpr::InputFile => json!("AgACAgIAAxkBAAI"),
            TypeExpr::Array(inner) => json!([self.arg(inner, None)]),
            TypeExpr::Or(alts) => self.arg(&alts[0], allowed),
            TypeExpr::Named(n) => {
                let t = self.schema.type_def(n).expect("type");
                if let Some(u) = &t.union {
                    return self.arg(&expr(&u.variants[0].ty), None);
                }
                let mut obj = Map::new();
                for f in t.fields.iter().flatten().filter(|f| f.required) {
                    obj.insert(f.name.clone(), self.arg(&expr(&f.ty), f.allowed.as_ref()));
                }
                if let Some((k, v)) = self.tags.get(n) {
                    obj.insert(k.clone(), v.clone());
                }
                Value::Object(obj)
            }
        }
    }
}
