//! The contract between generated request types and the client: what a
//! method is called, what it returns, and which files it carries.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::Error;
use crate::send::input_file::InputFile;
use crate::send::throttle::Target;
use crate::validate::{Validate, Validator};

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

    /// The chat this request puts messages into, for a client
    /// [throttle](crate::throttle): generated for every method that has a
    /// required chat parameter and answers with the message it sent (or
    /// its id, or a list of them), derived from the schema. Requests that
    /// send nothing into a chat keep this default and are never held back.
    fn throttle_target(&self) -> Option<Target> {
        None
    }

    /// Turn a reply (HTTP status, body) into the result or an [`Error`],
    /// with `token` taken out of any text kept. Generated requests whose
    /// result the runtime decodes anyway (a `Message`, `true`) implement it
    /// with a function of their own, compiled once in this crate; the
    /// default is compiled in the crate that sends the request.
    fn decode_reply(status: u16, body: &[u8], token: &str) -> Result<Self::Response, Error>
    where
        Self: Sized,
    {
        crate::decode::reply::parse_reply(Self::METHOD, status, body, token)
    }
}

/// What the client needs of a request, without its type, so that sending
/// (validation, multipart, retries, transport) is compiled once, here, and
/// not once per request type in every crate that sends one.
pub(crate) trait Outgoing: Sync {
    /// [`Request::METHOD`].
    fn method(&self) -> &'static str;
    /// [`Request::IDEMPOTENT`].
    fn idempotent(&self) -> bool;
    /// [`Validate::validate_into`].
    fn validate_into(&self, v: &mut Validator);
    /// [`Request::visit_files`].
    fn visit_files<'a>(&'a self, f: &mut dyn FnMut(&'a InputFile));
    /// [`Request::throttle_target`].
    fn throttle_target(&self) -> Option<Target>;
    /// The request as a JSON body.
    fn encode_json(&self) -> serde_json::Result<Vec<u8>>;
}

impl Validate for dyn Outgoing + '_ {
    #[inline]
    fn validate_into(&self, v: &mut Validator) {
        Outgoing::validate_into(self, v)
    }
}

impl<R: Request> Outgoing for R {
    fn method(&self) -> &'static str {
        R::METHOD
    }
    fn idempotent(&self) -> bool {
        R::IDEMPOTENT
    }
    fn validate_into(&self, v: &mut Validator) {
        Validate::validate_into(self, v)
    }
    fn visit_files<'a>(&'a self, f: &mut dyn FnMut(&'a InputFile)) {
        Request::visit_files(self, f)
    }
    fn throttle_target(&self) -> Option<Target> {
        Request::throttle_target(self)
    }
    fn encode_json(&self) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec(self)
    }
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
