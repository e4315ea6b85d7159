//! Pieces shared by the emitters: identifiers, Rust type tokens, doc
//! attributes built from IR strings, constructors/setters, validation and
//! file-visiting statements for fields.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::Cx;
use crate::ir::{Constraints, FieldItem, RustType};

/// An identifier token. Names come from `naming`, which only yields valid ones.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Tokens of a Rust type, fully qualified so that a Telegram type named
/// `Option` or `Result` can never shadow what the generated code means.
pub fn rust_ty(cx: &Cx, t: &RustType) -> TokenStream {
    let rt = &cx.rt;
    match t {
        RustType::I64 => quote!(i64),
        RustType::F64 => quote!(f64),
        RustType::Bool => quote!(bool),
        RustType::String => quote!(::std::string::String),
        RustType::InputFile => quote!(#rt::InputFile),
        RustType::Named(n) => {
            let n = ident(n);
            quote!(super::types::#n)
        }
        RustType::Vec(inner) => {
            let inner = rust_ty(cx, inner);
            quote!(::std::vec::Vec<#inner>)
        }
        RustType::Boxed(inner) => {
            let inner = rust_ty(cx, inner);
            quote!(::std::boxed::Box<#inner>)
        }
    }
}

/// Type of the struct field: optional fields are wrapped in `Option`.
pub fn field_ty(cx: &Cx, f: &FieldItem) -> TokenStream {
    let t = rust_ty(cx, &f.ty);
    if f.required {
        t
    } else {
        quote!(::std::option::Option<#t>)
    }
}

/// `#[doc = "..."]` attributes, one per line of `text`. The formatter turns
/// them into `///` comments holding the text as it is, so a lone `\r` (which
/// Rust rejects in a doc comment) also ends a line, and other control
/// characters and the bidirectional overrides that Rust denies in comments
/// are written as `\u{..}` escapes.
pub fn doc(text: &str) -> TokenStream {
    let lines = text.lines().flat_map(|l| l.split('\r')).map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            let mut line = String::from(" ");
            for c in l.chars() {
                if (c.is_control() && c != '\t') || is_bidi_control(c) {
                    line.extend(c.escape_unicode());
                } else {
                    line.push(c);
                }
            }
            line
        }
    });
    quote!(#(#[doc = #lines])*)
}

/// Characters that reorder how text around them is shown (the "Trojan
/// source" set); rustc denies them in comments and literals.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Markdown code span of a wire name.
pub fn code(s: &str) -> String {
    format!("`{s}`")
}

/// Documentation of a field: summary, constraints, default.
pub fn field_doc(f: &FieldItem) -> String {
    let mut out = field_summary(f);
    if let Some(c) = describe_constraints(&f.constraints) {
        out.push_str("\n\n");
        out.push_str(&c);
    }
    if let Some(d) = &f.default {
        out.push_str(&format!("\n\nDefault: `{d}`."));
    }
    if let Some(v) = &f.absent_before {
        out.push_str(&format!(
            "\n\nRequired since Bot API {v} at the latest (the first version read that has it): `None` only in replies from older servers."
        ));
    }
    if f.ident != f.wire {
        out.push_str(&format!("\n\nWire name: `{}`.", f.wire));
    }
    out
}

/// The field's summary, or a plain statement of what it is when the schema
/// has none.
pub fn field_summary(f: &FieldItem) -> String {
    let s = f.summary.trim();
    if !s.is_empty() {
        return s.to_string();
    }
    let presence = if f.required { "Required" } else { "Optional" };
    format!("{presence} `{}` ({}).", f.wire, f.type_expr)
}

fn range<T: std::fmt::Display>(lo: &Option<T>, hi: &Option<T>) -> String {
    match (lo, hi) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => "any".into(),
    }
}

/// Human-readable constraints, for docs. Built from the IR only.
pub fn describe_constraints(c: &Constraints) -> Option<String> {
    let mut parts = Vec::new();
    if let Some((lo, hi)) = &c.int_range {
        parts.push(format!("Range: {}.", range(lo, hi)));
    }
    if let Some((lo, hi)) = &c.float_range {
        parts.push(format!("Range: {}.", range(lo, hi)));
    }
    if let Some(l) = &c.len {
        let unit = if l.bytes { "UTF-8 bytes" } else { "characters" };
        let mut s = format!("Length: {} {unit}", range(&l.min, &l.max));
        if let Some(sib) = &l.skip_if_set {
            s.push_str(&format!(
                " after entity parsing (checked only while `{sib}` is unset)"
            ));
        }
        s.push('.');
        parts.push(s);
    }
    if let Some((lo, hi)) = &c.items {
        parts.push(format!("Items: {}.", range(lo, hi)));
    }
    if let Some(a) = &c.allowed {
        let vals: Vec<String> = a.iter().map(|v| code(v)).collect();
        parts.push(format!("One of: {}.", vals.join(", ")));
    }
    if let Some(m) = c.max_upload {
        parts.push(format!("Largest upload: {} bytes ({}).", m, human_size(m)));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn human_size(n: u64) -> String {
    const MB: u64 = 1024 * 1024;
    const KB: u64 = 1024;
    if n >= MB && n % MB == 0 {
        format!("{} MB", n / MB)
    } else if n >= KB && n % KB == 0 {
        format!("{} kB", n / KB)
    } else {
        format!("{n} bytes")
    }
}

/// Serde attributes of a request field, for the `Deserialize` derived under
/// the runtime's `serde-requests` feature (`Serialize` is written out, so
/// the default build needs no serde derive at all).
pub fn serde_attrs(f: &FieldItem) -> TokenStream {
    let rename = (f.ident != f.wire).then(|| {
        let w = &f.wire;
        quote!(#[cfg_attr(feature = "serde-requests", serde(rename = #w))])
    });
    let skip =
        (!f.required).then(|| quote!(#[cfg_attr(feature = "serde-requests", serde(default))]));
    quote!(#rename #skip)
}

/// `map.serialize_entry` statements for `fields` (of `self`), by wire name,
/// unset optional fields left out.
pub fn serialize_entries(fields: &[FieldItem]) -> Vec<TokenStream> {
    fields
        .iter()
        .map(|f| {
            let n = ident(&f.ident);
            let w = f.wire.as_str();
            if f.required {
                quote!(map.serialize_entry(#w, &self.#n)?;)
            } else {
                quote!(if let ::std::option::Option::Some(x) = &self.#n { map.serialize_entry(#w, x)?; })
            }
        })
        .collect()
}

/// `Serialize` for a struct of fields (a request): every field by its wire
/// name, unset optional ones left out, as `#[derive(Serialize)]` with
/// `skip_serializing_if` would write it.
pub fn fields_serialize(name: &Ident, fields: &[FieldItem]) -> TokenStream {
    let entries = serialize_entries(fields);
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                #[allow(unused_imports)]
                use ::serde::ser::SerializeMap;
                #[allow(unused_mut)]
                let mut map = s.serialize_map(::std::option::Option::None)?;
                #(#entries)*
                map.end()
            }
        }
    }
}

/// Struct field declarations with docs and serde attributes.
pub fn struct_fields(cx: &Cx, fields: &[FieldItem], with_serde: bool) -> TokenStream {
    let items = fields.iter().map(|f| {
        let d = doc(&field_doc(f));
        let attrs = if with_serde {
            serde_attrs(f)
        } else {
            TokenStream::new()
        };
        let name = ident(&f.ident);
        let ty = field_ty(cx, f);
        quote!(#d #attrs pub #name: #ty,)
    });
    quote!(#(#items)*)
}

/// Parameter type of a constructor argument or setter (`impl Into<T>`).
fn arg_ty(cx: &Cx, f: &FieldItem) -> TokenStream {
    let t = rust_ty(cx, f.ty.unboxed());
    quote!(impl ::std::convert::Into<#t>)
}

/// Expression turning the argument `value` into the field's type.
fn convert(f: &FieldItem, value: &Ident) -> TokenStream {
    match &f.ty {
        RustType::Boxed(_) => quote!(::std::boxed::Box::new(#value.into())),
        _ => quote!(#value.into()),
    }
}

/// `new(required...)` and one chainable setter per optional field.
pub fn constructor_and_setters(
    cx: &Cx,
    fields: &[FieldItem],
    type_name: &str,
    extra: Option<&str>,
) -> TokenStream {
    let required: Vec<&FieldItem> = fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let n = ident(&f.ident);
        let t = arg_ty(cx, f);
        quote!(#n: #t)
    });
    let inits = fields.iter().map(|f| {
        let n = ident(&f.ident);
        if f.required {
            let v = convert(f, &n);
            quote!(#n: #v)
        } else {
            quote!(#n: ::std::option::Option::None)
        }
    });
    let extra_init = extra.map(|e| {
        let e = ident(e);
        let rt = &cx.rt;
        quote!(#e: #rt::Extra::new())
    });
    let new_doc = doc(&format!(
        "Create a `{type_name}` from its required fields; optional ones start unset."
    ));
    let setters = fields.iter().filter(|f| !f.required).map(|f| {
        let n = ident(&f.ident);
        let s = ident(&f.setter);
        let t = arg_ty(cx, f);
        let value = ident("value");
        let v = convert(f, &value);
        let d = doc(&format!("Set {}: {}", code(&f.wire), field_summary(f)));
        quote! {
            #d
            #[must_use]
            pub fn #s(mut self, value: #t) -> Self {
                self.#n = ::std::option::Option::Some(#v);
                self
            }
        }
    });
    quote! {
        #new_doc
        #[allow(clippy::new_without_default)]
        pub fn new(#(#args),*) -> Self {
            Self { #(#inits,)* #extra_init }
        }
        #(#setters)*
    }
}

/// Checks on one value `x` of `ty` for constraints that apply to leaves
/// (ranges, lengths, allowed values, upload size). `field` is the name used
/// in paths; items of arrays are checked under `field[i]`.
fn leaf_checks(ty: &RustType, c: &Constraints, field: &str, x: TokenStream) -> TokenStream {
    match ty {
        RustType::Vec(inner) => {
            let inner_checks = leaf_checks(inner, c, "", quote!(x));
            if inner_checks.is_empty() {
                return TokenStream::new();
            }
            quote!(v.each(#field, #x, |v, x| { #inner_checks });)
        }
        RustType::Boxed(inner) => leaf_checks(inner, c, field, x),
        RustType::I64 => match &c.int_range {
            Some((lo, hi)) => {
                let (lo, hi) = (opt(lo), opt(hi));
                quote!(v.int_range(#field, *#x, #lo, #hi);)
            }
            None => TokenStream::new(),
        },
        RustType::F64 => match &c.float_range {
            Some((lo, hi)) => {
                let (lo, hi) = (opt(lo), opt(hi));
                quote!(v.float_range(#field, *#x, #lo, #hi);)
            }
            None => TokenStream::new(),
        },
        RustType::String => {
            let mut out = TokenStream::new();
            if let Some(l) = &c.len {
                let (lo, hi) = (opt(&l.min), opt(&l.max));
                let check = if l.bytes {
                    quote!(bytes_len)
                } else {
                    quote!(chars_len)
                };
                out.extend(quote!(v.#check(#field, #x, #lo, #hi);));
            }
            if let Some(a) = &c.allowed {
                out.extend(quote!(v.one_of(#field, #x, &[#(#a),*]);));
            }
            out
        }
        RustType::InputFile => match c.max_upload {
            Some(m) => quote!(v.upload_size(#field, #x, #m);),
            None => TokenStream::new(),
        },
        _ => TokenStream::new(),
    }
}

fn opt<T: quote::ToTokens>(v: &Option<T>) -> TokenStream {
    match v {
        Some(x) => quote!(::std::option::Option::Some(#x)),
        None => quote!(::std::option::Option::None),
    }
}

/// Validation statements for one field of `self`.
pub fn field_checks(f: &FieldItem) -> TokenStream {
    let c = &f.constraints;
    let field = f.wire.as_str();
    let x = quote!(x);
    let mut body = TokenStream::new();
    if let Some((lo, hi)) = &c.items {
        let (lo, hi) = (opt(lo), opt(hi));
        body.extend(quote!(v.items(#field, #x, #lo, #hi);));
    }
    body.extend(leaf_checks(&f.ty, c, field, x.clone()));
    if f.validate_nested {
        body.extend(quote!(v.nested(#field, #x);));
    }
    if body.is_empty() {
        return body;
    }
    let name = ident(&f.ident);
    let guarded = match c.len.as_ref().and_then(|l| l.skip_if_set.as_ref()) {
        Some(sib) => {
            let sib = ident(sib);
            quote!(if self.#sib.is_none() { #body })
        }
        None => body,
    };
    if f.required {
        quote!({ let x = &self.#name; #guarded })
    } else {
        quote!(if let ::std::option::Option::Some(x) = &self.#name { #guarded })
    }
}

/// `impl Validate` for a struct with these fields.
pub fn validate_impl(cx: &Cx, type_path: TokenStream, fields: &[FieldItem]) -> TokenStream {
    let rt = &cx.rt;
    let checks: Vec<TokenStream> = fields
        .iter()
        .map(field_checks)
        .filter(|t| !t.is_empty())
        .collect();
    let v = if checks.is_empty() {
        quote!(_v)
    } else {
        quote!(v)
    };
    quote! {
        impl #rt::Validate for #type_path {
            #[inline]
            fn validate_into(&self, #v: &mut #rt::validate::Validator) {
                #(#checks)*
            }
        }
    }
}

/// Statements visiting the files of the fields that may hold some.
pub fn visit_files_body(cx: &Cx, fields: &[FieldItem]) -> TokenStream {
    let rt = &cx.rt;
    let calls = fields.iter().filter(|f| f.has_files).map(|f| {
        let n = ident(&f.ident);
        quote!(#rt::Files::visit_files(&self.#n, f);)
    });
    quote!(#(#calls)*)
}
