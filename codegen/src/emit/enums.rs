//! Emits the open enums of named value sets: one variant per known value
//! and one keeping any other string exactly; the wire string in and out
//! (`as_str`, `Display`, `FromStr`, `From<&str>`, serde), comparison with a
//! `&str`, and for a set of parts, the method naming the part a kind holds.

use proc_macro2::TokenStream;
use quote::quote;

use super::ser::inline_hint;
use super::tokens::{doc, ident};
use crate::ir::EnumItem;

/// Every named set.
pub fn emit_enums(enums: &[EnumItem]) -> TokenStream {
    let items = enums.iter().map(emit_enum);
    quote!(#(#items)*)
}

fn emit_enum(e: &EnumItem) -> TokenStream {
    let hint = inline_hint();
    let name = ident(&e.ident);
    let other = ident(&e.other);
    let d = doc(&format!(
        "{}\n\nOpen: a value this version does not know is kept in `{}`, exactly as sent, and written back unchanged.",
        e.summary.trim(),
        e.other
    ));
    let variants = e.values.iter().map(|v| {
        let vi = ident(&v.ident);
        let text = if v.summary.trim().is_empty() {
            format!("`{}`", v.value)
        } else {
            format!("`{}`: {}", v.value, v.summary.trim())
        };
        let vd = doc(&text);
        quote!(#vd #vi,)
    });
    let idents: Vec<_> = e.values.iter().map(|v| ident(&v.ident)).collect();
    let values: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
    let parts = e.parts_of.as_ref().map(|kind| {
        let kind = ident(kind);
        let f = ident(&e.parts_fn);
        let arms = e.values.iter().filter_map(|v| {
            let part = ident(v.part.as_ref()?);
            let vi = ident(&v.ident);
            Some(quote!(Self::#part(_) => ::std::option::Option::Some(#name::#vi),))
        });
        let fd = doc(&format!(
            "Which kind of part this is, as `{}` names it; `None` for a part this version does not know or could not decode.",
            e.ident
        ));
        quote! {
            impl #kind {
                #fd
                pub fn #f(&self) -> ::std::option::Option<#name> {
                    #[allow(unreachable_patterns)]
                    match self {
                        #(#arms)*
                        _ => ::std::option::Option::None,
                    }
                }
            }
        }
    });
    quote! {
        #d
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version does not know, as sent.
            #other(::std::string::String),
        }

        impl #name {
            /// The string on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #values,)*
                    Self::#other(s) => s,
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(s: &str) -> Self {
                match s {
                    #(#values => Self::#idents,)*
                    other => Self::#other(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(s: ::std::string::String) -> Self {
                match s.as_str() {
                    #(#values => Self::#idents,)*
                    _ => Self::#other(s),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(s))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::cmp::PartialEq<str> for #name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl ::std::cmp::PartialEq<&str> for #name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl ::serde::Serialize for #name {
            #hint
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                struct __Visitor;
                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> ::std::result::Result<#name, E> {
                        ::std::result::Result::Ok(#name::from(v))
                    }
                    fn visit_string<E: ::serde::de::Error>(self, v: ::std::string::String) -> ::std::result::Result<#name, E> {
                        ::std::result::Result::Ok(#name::from(v))
                    }
                }
                d.deserialize_str(__Visitor)
            }
        }

        #parts
    }
}
