//! The contract between generated request types and the client: what a
//! method is called, what it returns, and which files it carries.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::input_file::InputFile;
use crate::validate::Validate;

/// A Bot API method call with its arguments. Implemented by every type in
/// [`crate::methods`]; send one with [`crate::Client::send`].
pub trait Request: Serialize + Validate + Send + Sync {
    /// Wire name of the method (`sendAudio`).
    const METHOD: &'static str;
    /// What a successful call returns.
    type Response: DeserializeOwned + Send + 'static;
    /// Sending it twice has the same effect as once (`get*` methods), so it
    /// may be retried after an ambiguous failure.
    const IDEMPOTENT: bool = false;

    /// Visit every [`InputFile`] the request carries, nested ones included.
    /// Requests that can carry no file keep this default.
    fn visit_files<'a>(&'a self, _f: &mut dyn FnMut(&'a InputFile)) {}
}

/// A value that may contain [`InputFile`]s somewhere inside it.
pub trait Files {
    /// Visit every file inside `self`.
    fn visit_files<'a>(&'a self, f: &mut dyn FnMut(&'a InputFile));
}

impl Files for InputFile {
    fn visit_files<'a>(&'a self, f: &mut dyn FnMut(&'a InputFile)) {
        f(self)
    }
}

impl<T: Files> Files for Option<T> {
    fn visit_files<'a>(&'a self, f: &mut dyn FnMut(&'a InputFile)) {
        if let Some(x) = self {
            x.visit_files(f)
        }
    }
}

impl<T: Files> Files for Vec<T> {
    fn visit_files<'a>(&'a self, f: &mut dyn FnMut(&'a InputFile)) {
        self.iter().for_each(|x| x.visit_files(f))
    }
}

impl<T: Files + ?Sized> Files for Box<T> {
    fn visit_files<'a>(&'a self, f: &mut dyn FnMut(&'a InputFile)) {
        (**self).visit_files(f)
    }
}
