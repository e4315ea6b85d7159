//! Emits the accessors of unions: one method per field the variants share,
//! reading it from whichever variant the value is, and the method reading
//! a tagged union's tag.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc, ident, rust_ty};
use super::Cx;
use crate::ir::{AccessorItem, FieldPath, TypeItem, TypeKind};

/// `impl` with the accessors of `t`, if it has any.
pub fn accessors(cx: &Cx, t: &TypeItem) -> Option<TokenStream> {
    let tag = match &t.kind {
        TypeKind::Tagged {
            discriminator,
            variants,
            tag_accessor: Some(f),
            ..
        } => {
            let f = ident(f);
            let arms = variants.iter().map(|v| {
                let vi = ident(&v.ident);
                let value = v.value.as_str();
                quote!(Self::#vi(_) => ::std::option::Option::Some(#value),)
            });
            let d = doc(&format!(
                "The `{discriminator}` this value was sent with, for a variant this version does not know too."
            ));
            Some(quote! {
                #d
                pub fn #f(&self) -> ::std::option::Option<&str> {
                    match self {
                        #(#arms)*
                        Self::Unknown(raw) => raw.get(#discriminator).and_then(::serde_json::Value::as_str),
                    }
                }
            })
        }
        _ => None,
    };
    if t.accessors.is_empty() && tag.is_none() {
        return None;
    }
    let name = ident(&t.ident);
    let fns = t.accessors.iter().map(|a| accessor(cx, a));
    Some(quote! {
        impl #name {
            #tag
            #(#fns)*
        }
    })
}

fn accessor(cx: &Cx, a: &AccessorItem) -> TokenStream {
    let f = ident(&a.ident);
    let ty = rust_ty(cx, &a.ty);
    let d = doc(&a.doc);
    // On a union the variants are its own; on an object with exclusive
    // parts they are those of its kind enum, matched on the part.
    let (scrutinee, owner) = match &a.on {
        Some((field, kind)) => {
            let (field, kind) = (ident(field), ident(kind));
            (quote!(&self.#field), quote!(#kind))
        }
        None => (quote!(self), quote!(Self)),
    };
    let arms = a.arms.iter().map(|(variant, path)| {
        let vi = ident(variant);
        let read = match path {
            None => quote!(::std::option::Option::None),
            Some(FieldPath::Required {
                ident: field,
                boxed,
            }) => {
                let field = ident(field);
                if *boxed {
                    quote!(::std::option::Option::Some(&*x.#field))
                } else {
                    quote!(::std::option::Option::Some(&x.#field))
                }
            }
            Some(FieldPath::Optional {
                ident: field,
                boxed,
            }) => {
                let field = ident(field);
                if *boxed {
                    quote!(x.#field.as_deref())
                } else {
                    quote!(x.#field.as_ref())
                }
            }
            Some(FieldPath::Through {
                ident: field,
                optional,
                accessor,
            }) => {
                let field = ident(field);
                let via = ident(accessor);
                if *optional {
                    quote!(x.#field.as_ref().and_then(|m| m.#via()))
                } else {
                    quote!(x.#field.#via())
                }
            }
        };
        quote!(#owner::#vi(x) => #read,)
    });
    // A number, flag or id comes out by value.
    let (ret, copied) = if a.copy {
        (quote!(#ty), quote!(.copied()))
    } else {
        (quote!(&#ty), TokenStream::new())
    };
    quote! {
        #d
        #[allow(unused_variables, unreachable_patterns)]
        pub fn #f(&self) -> ::std::option::Option<#ret> {
            let found: ::std::option::Option<&#ty> = match #scrutinee {
                #(#arms)*
                _ => ::std::option::Option::None,
            };
            found #copied
        }
    }
}
