//! Assembles `types.rs`: per type its declaration, then its `Validate`,
//! `Serialize` and `Deserialize` in the order each kind has always had,
//! its `Files` impl and deprecated aliases; `dynamic` last.

use proc_macro2::TokenStream;
use quote::quote;

use super::dynamic::{dynamic, Listing};
use super::tokens::{doc, ident};
use super::{accessors, de, decl, docs, enums, files, ser, validate, Cx};
use crate::ir::{Api, TypeItem, TypeKind};

/// Tokens of the whole `types` module body.
pub fn emit_types(cx: &Cx, api: &Api) -> TokenStream {
    let items = api.types.iter().map(|t| emit_type(cx, t));
    let enums = enums::emit_enums(&api.enums);
    let dynamic = cx
        .runtime_features
        .then(|| dynamic(cx, api, Listing::Types));
    quote!(#(#items)* #enums #dynamic)
}

fn emit_type(cx: &Cx, t: &TypeItem) -> TokenStream {
    let d = doc(&docs::type_doc(t));
    let body = match &t.kind {
        TypeKind::Object {
            fields,
            exclusive: None,
            tag,
            extra,
            into_box,
        } => {
            let name = ident(&t.ident);
            let decl = decl::object(cx, t, fields, extra);
            let validate = validate::fields(cx, quote!(#name), fields, &t.rules);
            let ser = ser::object(cx, t, fields, tag.as_ref(), extra);
            let de = de::object(cx, t, fields, tag.as_ref(), extra, into_box.as_deref());
            quote!(#decl #validate #ser #de)
        }
        TypeKind::Object {
            fields,
            exclusive: Some(x),
            extra,
            ..
        } => {
            let decl = decl::exclusive(cx, t, fields, x, extra);
            let ser = ser::exclusive(cx, t, fields, x, extra);
            let de = de::exclusive(cx, t, fields, x, extra);
            let validate = validate::exclusive(cx, t, fields, x);
            quote!(#decl #ser #de #validate)
        }
        TypeKind::Tagged {
            discriminator,
            variants,
            groups,
            fallback,
            streamed,
            ..
        } => {
            let decl = decl::tagged(t, discriminator, variants);
            let ser = ser::tagged(t, variants);
            let de = de::tagged(cx, t, discriminator, variants, groups, *fallback, *streamed);
            let validate = validate::tagged(cx, t, variants);
            quote!(#decl #ser #de #validate)
        }
        TypeKind::Untagged { variants, unknown } => {
            let decl = decl::untagged(cx, t, variants, *unknown);
            let ser = ser::untagged(t, variants, *unknown);
            let froms = decl::untagged_froms(cx, t, variants);
            let de = de::untagged(cx, t, variants, *unknown);
            let validate = validate::untagged(cx, t, variants, *unknown);
            quote!(#decl #ser #froms #de #validate)
        }
    };
    let files = files::type_impl(cx, t);
    let aliases = decl::aliases(t);
    let accessors = accessors::accessors(cx, t);
    quote! {
        #d
        #body
        #accessors
        #files
        #aliases
    }
}
