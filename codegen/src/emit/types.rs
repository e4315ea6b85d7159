//! Emits `types.rs`: object structs, tagged and untagged unions with an
//! `Unknown` fallback, objects with exclusive parts (and the enum of their
//! parts), and their `Validate`/`Files` impls.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::*;
use super::dynamic::{dynamic, Listing};
use super::Cx;
use crate::ir::{
    Api, Exclusive, FieldItem, RustType, Tag, TagGroup, TaggedVariant, TypeItem, TypeKind,
    UntaggedVariant,
};

/// Tokens of the whole `types` module body.
pub fn emit_types(cx: &Cx, api: &Api) -> TokenStream {
    let items = api.types.iter().map(|t| emit_type(cx, t));
    let dynamic = cx
        .runtime_features
        .then(|| dynamic(cx, api, Listing::Types));
    quote!(#(#items)* #dynamic)
}

fn type_doc(t: &TypeItem) -> String {
    let mut s = t.summary.trim().to_string();
    if let Some(link) = &t.doc_link {
        s.push_str(&format!("\n\nTelegram docs: <{link}>"));
    }
    if let Some(trim) = &t.trimmed {
        s.push_str(&format!("\n\nTrimmed in this schema: {}", trim.trim()));
    }
    s
}

fn emit_type(cx: &Cx, t: &TypeItem) -> TokenStream {
    let d = doc(&type_doc(t));
    let body = match &t.kind {
        TypeKind::Object {
            fields,
            exclusive: None,
            tag,
            extra,
        } => emit_object(cx, t, fields, tag.as_ref(), extra),
        TypeKind::Object {
            fields,
            exclusive: Some(x),
            extra,
            ..
        } => emit_exclusive(cx, t, fields, x, extra),
        TypeKind::Tagged {
            discriminator,
            variants,
            groups,
            fallback,
        } => emit_tagged(cx, t, discriminator, variants, groups, *fallback),
        TypeKind::Untagged { variants, unknown } => emit_untagged(cx, t, variants, *unknown),
    };
    let files = t.has_files.then(|| emit_files(cx, t));
    let name = ident(&t.ident);
    let aliases = t.aliases.iter().map(|a| {
        let alias = ident(&a.ident);
        let note = a.note.as_str();
        let d = doc(&format!(
            "Earlier name of [`{}`]: {note}. Kept for one release.",
            t.ident
        ));
        quote! {
            #d
            #[deprecated(note = #note)]
            pub type #alias = #name;
        }
    });
    quote! {
        #d
        #body
        #files
        #(#aliases)*
    }
}

fn emit_object(
    cx: &Cx,
    t: &TypeItem,
    fields: &[FieldItem],
    tag: Option<&Tag>,
    extra: &str,
) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&t.ident);
    let decls = struct_fields(cx, fields, false);
    let extra_ident = ident(extra);
    let ctor = constructor_and_setters(cx, fields, &t.wire, Some(extra));
    let validate = validate_impl(cx, quote!(#name), fields);
    let serialize = emit_object_serialize(cx, t, fields, tag, extra);
    let deserialize = emit_object_deserialize(cx, t, fields, tag, extra);
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #decls
            /// Fields this version of the schema does not know, kept as raw JSON by key.
            pub #extra_ident: #rt::Extra,
        }
        impl #name { #ctor }
        #validate
        #serialize
        #deserialize
    }
}

/// `Serialize` for an object: its tag first when it is a variant of a tagged
/// union (so it carries the tag wherever it is used), then the fields (unset
/// optional ones skipped), then the unknown fields it was parsed with.
fn emit_object_serialize(
    cx: &Cx,
    t: &TypeItem,
    fields: &[FieldItem],
    tag: Option<&Tag>,
    extra: &str,
) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&t.ident);
    let extra = ident(extra);
    let tag_entry = tag.map(|t| {
        let key = t.key.as_str();
        match (t.numeric, t.value.parse::<i64>()) {
            (true, Ok(n)) => quote!(map.serialize_entry(#key, &#n)?;),
            _ => {
                let value = t.value.as_str();
                quote!(map.serialize_entry(#key, #value)?;)
            }
        }
    });
    let entries = serialize_entries(fields);
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap;
                let mut map = s.serialize_map(::std::option::Option::None)?;
                #tag_entry
                #(#entries)*
                if !self.#extra.is_empty() {
                    #rt::de::write_extra(&mut map, &self.#extra)?;
                }
                map.end()
            }
        }
    }
}

/// `Deserialize` for an object in one pass over its keys: known fields by
/// wire name, the tag (if any) skipped, everything else kept in `extra`.
fn emit_object_deserialize(
    cx: &Cx,
    t: &TypeItem,
    fields: &[FieldItem],
    tag: Option<&Tag>,
    extra: &str,
) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&t.ident);
    let extra = ident(extra);
    let idents: Vec<_> = fields.iter().map(|f| ident(&f.ident)).collect();
    let wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    let tys: Vec<_> = fields.iter().map(|f| rust_ty(cx, &f.ty)).collect();
    // Fields go into the struct as they are; required ones are unwrapped in
    // one `match` whose other arm names the first one missing. Together with
    // reading all keys inside one closure, this leaves a single early exit
    // (one copy of the code dropping what was read so far) instead of one per
    // field, which is most of the machine code of a big type's decoder.
    let finish = fields.iter().map(|f| {
        let n = ident(&f.ident);
        // Spelled out (not `#n` shorthand) so that runs of field names never
        // read like a sentence of the official docs.
        quote!(#n: #n)
    });
    let required: Vec<_> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| ident(&f.ident))
        .collect();
    let required_wires: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.wire.as_str())
        .collect();
    let build = quote!(#name { #(#finish,)* #extra });
    let build = if required.is_empty() {
        quote!(::std::result::Result::Ok(#build))
    } else {
        // (No bare lists of field names: runs of them could read like a
        // sentence of the official docs.)
        quote! {
            let __missing = #rt::de::first_missing(&[#((#required_wires, #required.is_none()),)*]);
            match (#(#required.take(),)*) {
                (#(::std::option::Option::Some(#required),)*) => ::std::result::Result::Ok(#build),
                _ => ::std::result::Result::Err(<__A::Error as ::serde::de::Error>::missing_field(__missing)),
            }
        }
    };
    let tag_arm = tag.map(|t| {
        let key = t.key.as_str();
        quote!(#key => #rt::de::skip_value(&mut __map)?,)
    });
    let expecting = format!("a {} object", t.wire);
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__d: __D) -> ::std::result::Result<Self, __D::Error> {
                // Names here start with `__`, which no field or type name can:
                // a field `map` or a type `D` shadows nothing.
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    #[allow(clippy::match_single_binding, clippy::redundant_field_names)]
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut __map: __A) -> ::std::result::Result<#name, __A::Error> {
                        #(let mut #idents: ::std::option::Option<#tys> = ::std::option::Option::None;)*
                        let mut #extra = #rt::Extra::new();
                        let mut __read = || -> ::std::result::Result<(), __A::Error> {
                            while let ::std::option::Option::Some(__key) = #rt::de::next_key(&mut __map)? {
                                match __key.as_str() {
                                    #(#wires => #rt::de::field_into(&mut __map, &mut #idents)?,)*
                                    #tag_arm
                                    __other => #rt::de::unknown_field(&mut __map, &mut #extra, __other)?,
                                }
                            }
                            ::std::result::Result::Ok(())
                        };
                        __read()?;
                        #build
                    }
                }
                __d.deserialize_map(__Visitor)
            }
        }
    }
}

/// An object made of required fields plus one of several exclusive parts. Reading is lenient where a strict reader would lose a whole
/// batch: a part with a key no variant knows, or a known part that does not
/// decode as its type, is kept in `Unknown` as raw JSON (and counted in the
/// runtime's `compat` counters). Keys next to a known part go to `extra`.
fn emit_exclusive(
    cx: &Cx,
    t: &TypeItem,
    fields: &[FieldItem],
    x: &Exclusive,
    extra: &str,
) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&t.ident);
    let kind = ident(&x.enum_ident);
    let kind_field = ident(&x.field);
    let extra = ident(extra);
    let owner = t.wire.as_str();
    let decls = struct_fields(cx, fields, false);
    let kind_doc = doc(&format!(
        "Which kind of {} this is: exactly one of its optional parts.",
        t.wire
    ));
    let enum_doc = doc(&format!(
        "The one part present in a `{}`. A part of a kind this version does not know is kept in `Unknown`, a known part that does not decode in `Undecodable`, both with their raw JSON.",
        t.wire
    ));
    let variants = x.variants.iter().map(|(v, f)| {
        let v = ident(v);
        let ty = rust_ty(cx, &f.ty);
        let d = doc(&format!("{} (`{}`)", field_summary(f), f.wire));
        quote!(#d #v(#ty),)
    });
    let req_idents: Vec<_> = fields.iter().map(|f| ident(&f.ident)).collect();
    let req_wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    let req_tys: Vec<_> = fields.iter().map(|f| rust_ty(cx, &f.ty)).collect();
    let var_idents: Vec<_> = x.variants.iter().map(|(v, _)| ident(v)).collect();
    let var_wires: Vec<&str> = x.variants.iter().map(|(_, f)| f.wire.as_str()).collect();
    let ctor_args = fields.iter().map(|f| {
        let n = ident(&f.ident);
        let ty = rust_ty(cx, &f.ty);
        quote!(#n: #ty)
    });
    let expecting = format!("a {} object", t.wire);
    let validate_arms = x.variants.iter().map(|(v, f)| {
        let v = ident(v);
        let w = f.wire.as_str();
        if f.validate_nested {
            quote!(#kind::#v(x) => v.nested(#w, x),)
        } else {
            quote!(#kind::#v(_) => {})
        }
    });
    let own_checks: Vec<TokenStream> = fields
        .iter()
        .map(field_checks)
        .filter(|c| !c.is_empty())
        .collect();
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #decls
            #kind_doc
            pub #kind_field: #kind,
            /// Keys next to a known part that this version does not know, as raw JSON
            /// (with an `Unknown` part they stay in the part's map instead).
            pub #extra: #rt::Extra,
        }

        #enum_doc
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #kind {
            #(#variants)*
            /// A part of a kind this version does not know (or no part at all), as
            /// raw JSON by key.
            Unknown(::serde_json::Map<::std::string::String, ::serde_json::Value>),
            /// A part of a known kind that did not decode: the kind, where and why,
            /// and the raw JSON.
            Undecodable(#rt::compat::Undecodable),
        }

        impl #name {
            /// Create from the required fields and the kind.
            pub fn new(#(#ctor_args,)* #kind_field: #kind) -> Self {
                Self { #(#req_idents,)* #kind_field, #extra: #rt::Extra::new() }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap;
                let mut map = s.serialize_map(::std::option::Option::None)?;
                #(map.serialize_entry(#req_wires, &self.#req_idents)?;)*
                match &self.#kind_field {
                    #(#kind::#var_idents(x) => map.serialize_entry(#var_wires, x)?,)*
                    #kind::Unknown(rest) => {
                        for (k, v) in rest {
                            map.serialize_entry(k, v)?;
                        }
                    }
                    #kind::Undecodable(part) => {
                        for (k, v) in &part.raw {
                            map.serialize_entry(k, v)?;
                        }
                    }
                }
                if !self.#extra.is_empty() {
                    #rt::de::write_extra(&mut map, &self.#extra)?;
                }
                map.end()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de>>(__d: __D) -> ::std::result::Result<Self, __D::Error> {
                // Names here start with `__`, which no field or type name can:
                // a field `map` or `kind` or a type `D` shadows nothing.
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<__A: ::serde::de::MapAccess<'de>>(self, mut __map: __A) -> ::std::result::Result<#name, __A::Error> {
                        #(let mut #req_idents: ::std::option::Option<#req_tys> = ::std::option::Option::None;)*
                        let mut __kind: ::std::option::Option<#kind> = ::std::option::Option::None;
                        let mut __failed = #rt::compat::Failed::default();
                        let mut __rest = ::serde_json::Map::new();
                        while let ::std::option::Option::Some(__key) = #rt::de::next_key(&mut __map)? {
                            match __key.as_str() {
                                #(#req_wires => #req_idents = ::std::option::Option::Some(#rt::de::field(&mut __map)?),)*
                                // A part that does not fit its type lands in `__rest`, not in an error.
                                #(#var_wires if __kind.is_none() => {
                                    __kind = #rt::compat::part(&mut __map, #var_wires, &mut __rest, &mut __failed)?.map(#kind::#var_idents);
                                })*
                                __other => {
                                    __rest.insert(__other.to_owned(), __map.next_value()?);
                                }
                            }
                        }
                        #(let #req_idents = #req_idents.ok_or_else(|| <__A::Error as ::serde::de::Error>::missing_field(#req_wires))?;)*
                        let (__part, #extra) = match #rt::compat::settle(#owner, __kind, __failed, __rest) {
                            #rt::compat::Part::Known(__part, __rest) => (__part, #rt::Extra::from(__rest)),
                            #rt::compat::Part::Undecodable(__part) => (#kind::Undecodable(__part), #rt::Extra::new()),
                            #rt::compat::Part::Unknown(__rest) => (#kind::Unknown(__rest), #rt::Extra::new()),
                        };
                        ::std::result::Result::Ok(#name { #(#req_idents,)* #kind_field: __part, #extra })
                    }
                }
                __d.deserialize_map(__Visitor)
            }
        }

        impl #rt::Validate for #name {
            #[inline]
            fn validate_into(&self, v: &mut #rt::validate::Validator) {
                #(#own_checks)*
                match &self.#kind_field {
                    #(#validate_arms)*
                    #kind::Unknown(_) | #kind::Undecodable(_) => {}
                }
            }
        }
    }
}

fn emit_tagged(
    cx: &Cx,
    t: &TypeItem,
    disc: &str,
    variants: &[TaggedVariant],
    groups: &[TagGroup],
    fallback: Option<usize>,
) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&t.ident);
    let decls = variants.iter().map(|v| {
        let vi = ident(&v.ident);
        let ty = ident(&v.ty);
        let d = doc(&format!("`{disc}` is `\"{}\"`.", v.value));
        quote!(#d #vi(super::types::#ty),)
    });
    let vis: Vec<_> = variants.iter().map(|v| ident(&v.ident)).collect();
    let tys: Vec<_> = variants.iter().map(|v| ident(&v.ty)).collect();
    // Variants sharing a tag value are tried in schema order.
    let group_values: Vec<&str> = groups.iter().map(|g| g.value.as_str()).collect();
    // Values no variant names: the fallback variant when there is one
    // (raw JSON if even that does not fit), else `Unknown`.
    let otherwise = match fallback.map(|i| &variants[i]) {
        Some(fb) => {
            let vi = ident(&fb.ident);
            let ty = ident(&fb.ty);
            quote! {
                match #rt::de::from_raw::<super::types::#ty>(&raw) {
                    ::std::result::Result::Ok(x) => return ::std::result::Result::Ok(Self::#vi(x)),
                    ::std::result::Result::Err(_) => return ::std::result::Result::Ok(Self::Unknown(#rt::de::into_value(&raw))),
                }
            }
        }
        None => quote!(return ::std::result::Result::Ok(Self::Unknown(#rt::de::into_value(&raw)))),
    };
    let group_parsers: Vec<TokenStream> = groups
        .iter()
        .map(|g| {
            let mut tries = g.variants.iter().map(|&i| {
                let v = &variants[i];
                let vi = ident(&v.ident);
                let ty = ident(&v.ty);
                quote!(#rt::de::from_raw::<super::types::#ty>(&raw).map(Self::#vi))
            });
            let first = tries.next().unwrap_or_default();
            quote!(#first #(.or_else(|_| #tries))*)
        })
        .collect();
    let validate_body = if t.needs_validate {
        quote!(match self { #(Self::#vis(x) => #rt::Validate::validate_into(x, v),)* Self::Unknown(_) => {} })
    } else {
        TokenStream::new()
    };
    let v = if t.needs_validate {
        quote!(v)
    } else {
        quote!(_v)
    };
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#decls)*
            /// A variant this version does not know, kept as raw JSON.
            Unknown(::serde_json::Value),
        }

        #(
            impl ::std::convert::From<super::types::#tys> for #name {
                fn from(x: super::types::#tys) -> Self { Self::#vis(x) }
            }
        )*

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                // Each variant type writes its own discriminator.
                match self {
                    #(Self::#vis(x) => ::serde::Serialize::serialize(x, s),)*
                    Self::Unknown(raw) => ::serde::Serialize::serialize(raw, s),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                // Held as text and decoded from there (not through a
                // `Value` tree): one decoder per variant type, no tree.
                let raw = <::std::boxed::Box<::serde_json::value::RawValue> as ::serde::Deserialize>::deserialize(d)?;
                // String tags compare as they are, numeric ones by their text.
                let tag = #rt::de::tag(raw.get(), #disc);
                let parsed = match tag.as_deref() {
                    #(::std::option::Option::Some(#group_values) => #group_parsers,)*
                    _ => #otherwise,
                };
                parsed.map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }

        impl #rt::Validate for #name {
            #[inline]
            fn validate_into(&self, #v: &mut #rt::validate::Validator) {
                #validate_body
            }
        }
    }
}

fn emit_untagged(
    cx: &Cx,
    t: &TypeItem,
    variants: &[UntaggedVariant],
    unknown: bool,
) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&t.ident);
    let decls = variants.iter().map(|v| {
        let vi = ident(&v.ident);
        let ty = rust_ty(cx, &v.ty);
        quote!(#[allow(missing_docs)] #vi(#ty),)
    });
    let unknown_decl = unknown.then(|| {
        quote! {
            /// A value matching no known variant, kept as raw JSON.
            Unknown(::serde_json::Value),
        }
    });
    let froms = variants
        .iter()
        .filter(|v| variants.iter().filter(|w| w.ty == v.ty).count() == 1)
        .map(|v| {
            let vi = ident(&v.ident);
            let ty = rust_ty(cx, &v.ty);
            let extra = match &v.ty {
                RustType::I64 => quote! {
                    impl ::std::convert::From<i32> for #name {
                        fn from(x: i32) -> Self { Self::#vi(x.into()) }
                    }
                },
                RustType::String => quote! {
                    impl ::std::convert::From<&str> for #name {
                        fn from(x: &str) -> Self { Self::#vi(x.into()) }
                    }
                },
                _ => TokenStream::new(),
            };
            quote! {
                impl ::std::convert::From<#ty> for #name {
                    fn from(x: #ty) -> Self { Self::#vi(x) }
                }
                #extra
            }
        });
    let validate_arms: Vec<TokenStream> = variants
        .iter()
        .filter(|v| v.validate)
        .map(|v| {
            let vi = ident(&v.ident);
            quote!(Self::#vi(x) => #rt::Validate::validate_into(x, v),)
        })
        .collect();
    let v = if validate_arms.is_empty() {
        quote!(_v)
    } else {
        quote!(v)
    };
    let rest = if validate_arms.len() < variants.len() + usize::from(unknown) {
        quote!(_ => {})
    } else {
        quote!()
    };
    let tries = variants.iter().map(|v| {
        let vi = ident(&v.ident);
        let ty = rust_ty(cx, &v.ty);
        quote! {
            if let ::std::result::Result::Ok(x) = #rt::de::from_raw::<#ty>(&raw) {
                return ::std::result::Result::Ok(Self::#vi(x));
            }
        }
    });
    let no_match = if unknown {
        quote!(::std::result::Result::Ok(Self::Unknown(#rt::de::into_value(&raw))))
    } else {
        let message = format!(
            "data did not match any variant of untagged enum {}",
            t.ident
        );
        quote!(::std::result::Result::Err(<D::Error as ::serde::de::Error>::custom(#message)))
    };
    let ser_arms = variants.iter().map(|v| {
        let vi = ident(&v.ident);
        quote!(Self::#vi(x) => ::serde::Serialize::serialize(x, s),)
    });
    let ser_unknown =
        unknown.then(|| quote!(Self::Unknown(x) => ::serde::Serialize::serialize(x, s),));
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#decls)*
            #unknown_decl
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                // Untagged: each variant as its value alone.
                match self {
                    #(#ser_arms)*
                    #ser_unknown
                }
            }
        }
        #(#froms)*
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                // Held as text and tried variant by variant in order (like
                // serde's `untagged`), each with the one shared decoder.
                let raw = <::std::boxed::Box<::serde_json::value::RawValue> as ::serde::Deserialize>::deserialize(d)?;
                #(#tries)*
                #no_match
            }
        }
        impl #rt::Validate for #name {
            #[allow(clippy::match_single_binding, clippy::single_match)]
            #[inline]
            fn validate_into(&self, #v: &mut #rt::validate::Validator) {
                match self { #(#validate_arms)* #rest }
            }
        }
    }
}

fn emit_files(cx: &Cx, t: &TypeItem) -> TokenStream {
    let rt = &cx.rt;
    let name = ident(&t.ident);
    let body = match &t.kind {
        TypeKind::Object { fields, .. } => visit_files_body(cx, fields),
        TypeKind::Tagged { variants, .. } => {
            let arms = variants.iter().filter(|v| v.has_files).map(|v| {
                let vi = ident(&v.ident);
                quote!(Self::#vi(x) => #rt::Files::visit_files(x, f),)
            });
            quote!(match self { #(#arms)* _ => {} })
        }
        TypeKind::Untagged { variants, .. } => {
            let arms = variants.iter().filter(|v| v.has_files).map(|v| {
                let vi = ident(&v.ident);
                quote!(Self::#vi(x) => #rt::Files::visit_files(x, f),)
            });
            quote!(#[allow(unreachable_patterns)] match self { #(#arms)* _ => {} })
        }
    };
    quote! {
        #[allow(clippy::single_match, clippy::match_single_binding)]
        impl #rt::Files for #name {
            fn visit_files<'a>(&'a self, f: &mut dyn FnMut(&'a #rt::InputFile)) {
                #body
            }
        }
    }
}
