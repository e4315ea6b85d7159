//! The checked model: what `check` hands to lowering once a schema has no
//! problems. Every type expression is parsed once (while checking) and
//! resolved: names are known to exist and each `X or Y` is replaced by the
//! synthetic union naming it, so lowering never parses a string and has no
//! fallback for a name it cannot find.

use std::collections::{BTreeSet, HashMap};

use crate::schema::{Field, Method, Schema, TypeDef, TypeExpr, Variant};

/// A type expression after checking.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ty {
    /// `Integer`.
    Integer,
    /// `Float`.
    Float,
    /// `String`.
    String,
    /// `Boolean` or `True`.
    Bool,
    /// `InputFile`, or a choice that includes one (`InputFile or String`).
    InputFile,
    /// A type of the schema (synthetic unions included), by its name.
    Named(String),
    /// `Array of ...`.
    Array(Box<Ty>),
}

impl Ty {
    /// The schema type this one holds, through arrays, if any.
    pub fn named(&self) -> Option<&str> {
        match self {
            Ty::Named(n) => Some(n),
            Ty::Array(inner) => inner.named(),
            _ => None,
        }
    }

    /// The type without its arrays.
    pub fn leaf(&self) -> &Ty {
        match self {
            Ty::Array(inner) => inner.leaf(),
            other => other,
        }
    }
}

/// A field or parameter with its type resolved.
#[derive(Debug, Clone)]
pub struct CheckedField<'a> {
    /// As written.
    pub def: &'a Field,
    /// As parsed (for docs: `Array of PhotoSize`).
    pub expr: TypeExpr,
    /// Resolved.
    pub ty: Ty,
}

/// A union variant with its type resolved.
#[derive(Debug, Clone)]
pub struct CheckedVariant<'a> {
    /// As written.
    pub def: &'a Variant,
    /// Resolved.
    pub ty: Ty,
}

/// A type definition, checked.
#[derive(Debug, Clone)]
pub struct CheckedType<'a> {
    /// As written.
    pub def: &'a TypeDef,
    /// Its fields (objects), in schema order.
    pub fields: Vec<CheckedField<'a>>,
    /// Its variants (unions), in schema order.
    pub variants: Vec<CheckedVariant<'a>>,
}

/// A method, checked.
#[derive(Debug, Clone)]
pub struct CheckedMethod<'a> {
    /// As written.
    pub def: &'a Method,
    /// Its parameters, in schema order.
    pub params: Vec<CheckedField<'a>>,
    /// What it returns.
    pub returns: Ty,
}

/// A schema that passed every check.
#[derive(Debug, Clone)]
pub struct Checked<'a> {
    /// The schema as written (names, summaries, constraints).
    pub schema: &'a Schema,
    /// Types in schema order.
    pub types: Vec<CheckedType<'a>>,
    /// Methods in schema order.
    pub methods: Vec<CheckedMethod<'a>>,
    index: HashMap<&'a str, usize>,
}

impl<'a> Checked<'a> {
    /// The type named `name`; every name a checked `Ty` holds has one.
    pub fn type_named(&self, name: &str) -> Option<&CheckedType<'a>> {
        self.index.get(name).map(|&i| &self.types[i])
    }
}

/// What went wrong assembling the model: a checker bug (a value the checks
/// accepted but did not parse), reported rather than papered over.
#[derive(Debug)]
pub struct Missing(pub String);

/// Assemble the model from the expressions the checker parsed, by JSON path.
pub fn assemble<'a>(
    schema: &'a Schema,
    parsed: &HashMap<String, TypeExpr>,
) -> Result<Checked<'a>, Missing> {
    let synthetic: HashMap<BTreeSet<TypeExpr>, &str> = schema
        .types
        .iter()
        .filter(|t| t.synthetic)
        .filter_map(|t| {
            let u = t.union.as_ref()?;
            let set = u
                .variants
                .iter()
                .map(|v| TypeExpr::parse(&v.ty).ok())
                .collect::<Option<BTreeSet<_>>>()?;
            Some((set, t.name.as_str()))
        })
        .collect();
    let expr = |path: String| -> Result<TypeExpr, Missing> {
        parsed.get(&path).cloned().ok_or(Missing(path))
    };
    let resolve = |path: &str, e: &TypeExpr| -> Result<Ty, Missing> {
        resolve(e, &synthetic).ok_or_else(|| Missing(path.to_string()))
    };
    let field = |path: String, def: &'a Field| -> Result<CheckedField<'a>, Missing> {
        let e = expr(format!("{path}.type"))?;
        let ty = resolve(&path, &e)?;
        Ok(CheckedField { def, expr: e, ty })
    };
    let mut types = Vec::new();
    for (i, t) in schema.types.iter().enumerate() {
        let fields = t
            .fields
            .iter()
            .flatten()
            .enumerate()
            .map(|(j, f)| field(format!("types[{i}].fields[{j}]"), f))
            .collect::<Result<_, _>>()?;
        let tagged = t.union.as_ref().is_some_and(|u| u.discriminator.is_some());
        let variants = t
            .union
            .iter()
            .flat_map(|u| u.variants.iter())
            .enumerate()
            .map(|(j, v)| {
                let path = format!("types[{i}].union.variants[{j}].type");
                let e = expr(path.clone())?;
                let ty = resolve(&path, &e)?;
                // Lowering relies on it: a tagged variant is a named type.
                if tagged && !matches!(ty, Ty::Named(_)) {
                    return Err(Missing(path));
                }
                Ok(CheckedVariant { def: v, ty })
            })
            .collect::<Result<_, _>>()?;
        types.push(CheckedType {
            def: t,
            fields,
            variants,
        });
    }
    let mut methods = Vec::new();
    for (i, m) in schema.methods.iter().enumerate() {
        let params = m
            .params
            .iter()
            .enumerate()
            .map(|(j, p)| field(format!("methods[{i}].params[{j}]"), p))
            .collect::<Result<_, _>>()?;
        let path = format!("methods[{i}].returns");
        let e = expr(path.clone())?;
        methods.push(CheckedMethod {
            def: m,
            params,
            returns: resolve(&path, &e)?,
        });
    }
    let index = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.def.name.as_str(), i))
        .collect();
    Ok(Checked {
        schema,
        types,
        methods,
        index,
    })
}

/// `e` resolved; `None` for an `X or Y` no synthetic union names.
fn resolve(e: &TypeExpr, synthetic: &HashMap<BTreeSet<TypeExpr>, &str>) -> Option<Ty> {
    Some(match e {
        TypeExpr::Integer => Ty::Integer,
        TypeExpr::Float => Ty::Float,
        TypeExpr::String => Ty::String,
        TypeExpr::Boolean | TypeExpr::True => Ty::Bool,
        TypeExpr::InputFile => Ty::InputFile,
        TypeExpr::Named(n) => Ty::Named(n.clone()),
        TypeExpr::Array(inner) => Ty::Array(Box::new(resolve(inner, synthetic)?)),
        TypeExpr::Or(alts) => {
            let set: BTreeSet<TypeExpr> = alts.iter().cloned().collect();
            if set.contains(&TypeExpr::InputFile) {
                Ty::InputFile
            } else {
                Ty::Named(synthetic.get(&set)?.to_string())
            }
        }
    })
}
