//! Emits file visiting: `impl Files` for types that may hold an
//! `InputFile`, and the `visit_files` of requests.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::ident;
use super::Cx;
use crate::ir::{FieldItem, MethodItem, TypeItem, TypeKind};

/// `visit_files` running `body`, which hands every file to `f`.
fn visit_files_fn(cx: &Cx, body: TokenStream) -> TokenStream {
    let rt = &cx.rt;
    quote! {
        fn visit_files<'a>(&'a self, f: &mut dyn FnMut(&'a #rt::InputFile)) {
            #body
        }
    }
}

/// Statements visiting the files of the fields (of `self`) that may hold some.
fn field_visits(cx: &Cx, fields: &[FieldItem]) -> TokenStream {
    let rt = &cx.rt;
    let calls = fields.iter().filter(|f| f.has_files).map(|f| {
        let n = ident(&f.ident);
        quote!(#rt::Files::visit_files(&self.#n, f);)
    });
    quote!(#(#calls)*)
}

/// Arm visiting the payload of the variant `variant`.
fn variant_visit(cx: &Cx, variant: &str) -> TokenStream {
    let rt = &cx.rt;
    let vi = ident(variant);
    quote!(Self::#vi(x) => #rt::Files::visit_files(x, f),)
}

/// `impl Files` for a type that may hold files (nothing for other types).
pub fn type_impl(cx: &Cx, t: &TypeItem) -> Option<TokenStream> {
    if !t.has_files {
        return None;
    }
    let rt = &cx.rt;
    let name = ident(&t.ident);
    let body = match &t.kind {
        TypeKind::Object { fields, .. } => field_visits(cx, fields),
        TypeKind::Tagged { variants, .. } => {
            let arms = variants
                .iter()
                .filter(|v| v.has_files)
                .map(|v| variant_visit(cx, &v.ident));
            quote!(match self { #(#arms)* _ => {} })
        }
        TypeKind::Untagged { variants, .. } => {
            let arms = variants
                .iter()
                .filter(|v| v.has_files)
                .map(|v| variant_visit(cx, &v.ident));
            quote!(#[allow(unreachable_patterns)] match self { #(#arms)* _ => {} })
        }
    };
    let visit = visit_files_fn(cx, body);
    Some(quote! {
        #[allow(clippy::single_match, clippy::match_single_binding)]
        impl #rt::Files for #name {
            #visit
        }
    })
}

/// `Request::visit_files` of a method whose parameters may hold files
/// (nothing for other methods: the trait's default visits none).
pub fn request_fn(cx: &Cx, m: &MethodItem) -> Option<TokenStream> {
    m.has_files
        .then(|| visit_files_fn(cx, field_visits(cx, &m.params)))
}
